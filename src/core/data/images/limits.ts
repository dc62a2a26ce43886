// Limits of an image import. Each one stops a class of hostile or accidental input before it can
// take the tab's memory: a decompression bomb (tiny file, huge declared dimensions), a zip bomb,
// or simply far more files than a browser can hold decoded.

export const IMAGE_LIMITS = {
  /** Files (or zip entries) per import. */
  maxFiles: 20_000,
  /** Bytes of one image file. */
  maxFileBytes: 20 * 1024 * 1024,
  /** Bytes of one zip archive (it is read into memory). */
  maxZipBytes: 512 * 1024 * 1024,
  /** Sum of the uncompressed sizes of a zip's entries, declared and actual. */
  maxZipUncompressedBytes: 1024 * 1024 * 1024,
  /** Uncompressed / compressed size of an entry above `ratioFloorBytes`; images are already compressed. */
  maxCompressionRatio: 100,
  ratioFloorBytes: 1024 * 1024,
  /** Width or height an image header may declare; decoding it makes a bitmap of width x height x 4 bytes. */
  maxSide: 16_384,
  /** Width x height an image header may declare (40 megapixels is 160 MB as a decoded RGBA bitmap). */
  maxPixels: 40_000_000,
  /** Bytes of the decoded, resized pixels of the whole import (what is stored). */
  maxStoredBytes: 512 * 1024 * 1024,
  /** Sides of a project's input size. */
  minInputSide: 8,
  maxInputSide: 256,
} as const;

export function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
}

/** Why a project's image input size is unusable, or null. */
export function checkImageShape(shape: { width: number; height: number; channels: number }): string | null {
  const { minInputSide: min, maxInputSide: max } = IMAGE_LIMITS;
  const side = (n: number) => Number.isInteger(n) && n >= min && n <= max;
  if (!side(shape.width) || !side(shape.height)) return `The image input size must be ${min} to ${max} pixels per side.`;
  if (shape.channels !== 1 && shape.channels !== 3) return 'Images are stored as grey (1 channel) or RGB (3 channels).';
  return null;
}
