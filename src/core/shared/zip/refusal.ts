// A zip refused before or while it is inflated. The message is one sentence naming the entry and the fault, worded for
// the archive the caller named ("a bundle has at most 100"); `problem` says which rule was broken, with its figures,
// so a caller that words its refusals its own way (the workspace restore, in MB) can do so without parsing text.

export type ZipProblem =
  | { kind: 'file-bytes'; bytes: number; limit: number }
  | { kind: 'entries'; entries: number; limit: number }
  | { kind: 'entry-bytes'; name: string; size: number; limit: number }
  | { kind: 'total-bytes'; limit: number }
  | { kind: 'ratio'; name: string; size: number; compressedSize: number; limit: number }
  | { kind: 'path'; name: string }
  /** Anything else: not a zip, damaged, crafted, or using a feature this reader does not read. */
  | { kind: 'unreadable' };

export class ZipRefusal extends Error {
  override readonly name = 'ZipRefusal';

  constructor(
    message: string,
    readonly problem: ZipProblem,
  ) {
    super(message);
  }
}

export function refuse(message: string, problem: ZipProblem = { kind: 'unreadable' }): never {
  throw new ZipRefusal(message, problem);
}

/** Numbers as people read them in messages: 1,584. */
export function count(n: number): string {
  return n.toLocaleString('en');
}
