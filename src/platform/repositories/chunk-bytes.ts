// Large binaries (weights, checkpoints) are stored as a run of chunks; reading one back must prove the chunks add up
// to exactly the byte length its record promised, or a half-written or tampered value would pass as whole.

/** The chunks' bytes joined in order; `what` names the value in messages ("The weights of run r1 are"). */
export function joinChunks(chunks: readonly { data: ArrayBuffer }[], byteLength: number, what: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(byteLength);
  let offset = 0;
  for (const chunk of chunks) {
    if (offset + chunk.data.byteLength > byteLength) throw new Error(`${what} longer than recorded.`);
    bytes.set(new Uint8Array(chunk.data), offset);
    offset += chunk.data.byteLength;
  }
  if (offset !== byteLength) throw new Error(`${what} shorter than recorded.`);
  return bytes;
}
