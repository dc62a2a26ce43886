// The web APIs the core relies on, declared narrowly. The core is compiled without DOM or Node libraries
// (src/core/tsconfig.json) so that nothing in it can reach for the document, IndexedDB, workers or the file
// system; these few globals are the exception because they exist, with these shapes, in every place core code
// runs: browser pages and workers, and Node 20 (the tests and the export bundle's command-line script).
// Only the core's own tsconfig reads this file: the app and workers configs exclude it, since lib.dom and
// lib.webworker declare the same names more fully and a second, narrower declaration would clash with them.

interface SubtleCrypto {
  digest(algorithm: 'SHA-256', data: ArrayBuffer | Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
}

interface Crypto {
  readonly subtle: SubtleCrypto;
  randomUUID(): string;
}

declare var crypto: Crypto;

interface TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}

declare var TextEncoder: { new (): TextEncoder };

interface TextDecoder {
  decode(input?: ArrayBuffer | ArrayBufferView, options?: { stream?: boolean }): string;
}

declare var TextDecoder: { new (label?: string, options?: { fatal?: boolean }): TextDecoder };

declare function structuredClone<T>(value: T): T;

/** Only passed through the worker contracts (files the user picked), never read by the core. */
interface Blob {
  readonly size: number;
  readonly type: string;
}

/** What the pipeline driver reads of a cancellation signal; the page and the tests pass a real AbortSignal. */
interface AbortSignal {
  readonly aborted: boolean;
}
