// Fingerprints of the rows a set of figures was computed on. A change threshold is meaningful only when candidate and
// baseline were scored on the same rows; comparing the fingerprints is how a gate refuses anything else.

/** FNV-1a, 32-bit, over a string's UTF-16 code units: small, synchronous, and the same in every runtime. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Two independent 32-bit hashes as 16 hex digits: collisions between different row sets are then negligible. */
export function hash64(text: string): string {
  const a = fnv1a(text);
  const b = fnv1a(text, 0x050c5d1f);
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/**
 * The fingerprint of `rows` (indices into a dataset version) of `datasetVersion`: names the version, the count and a
 * hash of the indices in order, so the same split of the same version always gives the same string.
 */
export function rowsFingerprint(datasetVersion: string, rows: ArrayLike<number>): string {
  const parts: string[] = [];
  for (let i = 0; i < rows.length; i++) parts.push(String(rows[i]));
  return `${datasetVersion}:${rows.length}:${hash64(parts.join(','))}`;
}
