// The bounds a bundle must stay inside before anything of it is inflated or stored. A real bundle is a few hundred
// KB to a few MB (the weights, the JSON files, the runtime sources); every cap is an order of magnitude above that,
// so only a hostile or broken file meets one.

/** The zip file itself. */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;
/** Files in the zip: the bundle has about twenty. */
export const MAX_ENTRIES = 100;
/** One file's inflated size, as declared in the central directory and as actually inflated. */
export const MAX_ENTRY_BYTES = 32 * 1024 * 1024;
/** All files' inflated sizes together. */
export const MAX_TOTAL_BYTES = 64 * 1024 * 1024;
/**
 * Inflated size over compressed size. JSON and text compress 3-30x and weights hardly at all; a run of zeros
 * compresses about 1000x. Small files are exempt: a short file of repeated text can beat any ratio harmlessly.
 */
export const MAX_RATIO = 200;
export const RATIO_EXEMPT_BYTES = 1024 * 1024;
/** Path length of one entry. */
export const MAX_PATH_CHARS = 255;

export const LIMITS = {
  bundleBytes: MAX_BUNDLE_BYTES,
  entries: MAX_ENTRIES,
  entryBytes: MAX_ENTRY_BYTES,
  totalBytes: MAX_TOTAL_BYTES,
  ratio: MAX_RATIO,
  ratioExemptBytes: RATIO_EXEMPT_BYTES,
} as const;

export type ImportLimits = { -readonly [K in keyof typeof LIMITS]: number };
