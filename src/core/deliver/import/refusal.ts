// A bundle refused: one sentence naming the file and what was wrong, shown to the person as it is.

export class BundleRefusal extends Error {
  override readonly name = 'BundleRefusal';
}

export function refuse(message: string): never {
  throw new BundleRefusal(message);
}

/** Numbers as people read them in messages: 1,584. */
export function count(n: number): string {
  return n.toLocaleString('en');
}
