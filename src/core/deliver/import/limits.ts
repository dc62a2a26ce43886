// The bounds a bundle must stay inside before anything of it is inflated or stored. A real bundle is a few hundred
// KB to a few MB (the weights, the JSON files, the runtime sources); every cap is an order of magnitude above that,
// so only a hostile or broken file meets one.

import type { ZipLimits } from '../../shared/zip';

export const LIMITS: Readonly<ZipLimits> = {
  fileBytes: 64 * 1024 * 1024,
  /** The bundle has about twenty files. */
  entries: 100,
  entryBytes: 32 * 1024 * 1024,
  totalBytes: 64 * 1024 * 1024,
  /**
   * JSON and text compress 3-30x and weights hardly at all; a run of zeros compresses about 1000x. Small files are
   * exempt: a short file of repeated text can beat any ratio harmlessly.
   */
  ratio: 200,
  ratioExemptBytes: 1024 * 1024,
};
