// A bundle refused: one sentence naming the file and what was wrong, shown to the person as it is.

export { count } from '../../shared/zip/refusal';

export class BundleRefusal extends Error {
  override readonly name = 'BundleRefusal';
}

export function refuse(message: string): never {
  throw new BundleRefusal(message);
}
