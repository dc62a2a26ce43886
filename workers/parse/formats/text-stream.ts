// Reads a Blob as text, chunk by chunk: decoding streams (a character split between chunks is kept
// for the next one), progress is reported by bytes, and cancelling is checked between chunks.

import type { TextEncodingName } from '../../../src/core/data/text-decode';

/** Longest stretch of work without letting other messages (a cancel) in. */
const YIELD_MS = 50;
/**
 * Bytes read at a time. Slices rather than Blob.stream(): a stream's chunk size is the engine's
 * choice (Node hands over a whole in-memory part at once), and a bounded chunk is what keeps a
 * 100 MB line from becoming one 100 MB string before any limit can look at it.
 */
const CHUNK_BYTES = 1024 * 1024;

export interface Job {
  cancelled: boolean;
}

export type TextResult = 'done' | 'cancelled' | 'not-utf8' | { error: string };

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Streams `file` as text into `onText`, which returns an error message to stop. With UTF-8 the
 * decoder is strict: 'not-utf8' means the caller should read again as Windows-1252.
 */
export async function streamText(
  file: Blob,
  encoding: TextEncodingName,
  job: Job,
  onBytes: (bytesRead: number) => void,
  onText: (text: string) => string | null,
): Promise<TextResult> {
  const decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
  let lastYield = performance.now();
  for (let at = 0; ; at += CHUNK_BYTES) {
    if (job.cancelled) return 'cancelled';
    const done = at >= file.size;
    let text: string;
    try {
      text = done
        ? decoder.decode()
        : decoder.decode(new Uint8Array(await file.slice(at, at + CHUNK_BYTES).arrayBuffer()), { stream: true });
    } catch {
      return 'not-utf8';
    }
    if (text !== '') {
      const error = onText(text);
      if (error !== null) return { error };
    }
    if (done) return 'done';
    onBytes(Math.min(at + CHUNK_BYTES, file.size));
    if (performance.now() - lastYield >= YIELD_MS) {
      await pause();
      lastYield = performance.now();
    }
  }
}
