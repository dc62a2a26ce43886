// Packs the export bundle into one zip, with the serving runtime taken verbatim from the app's own sources.

import { unzipSync, zipSync } from 'fflate';
import predictJs from '../../workers/predict/predict.mjs?raw';
import transformJs from '../core/serving/transform.js?raw';
import recipeJs from '../core/serving/recipe.js?raw';
import datesJs from '../core/serving/dates.js?raw';
import checkJs from '../core/serving/check.js?raw';
import csvJs from '../core/serving/csv.js?raw';
import type { BundleInput } from '../core/deliver/export/bundle';

export const runtimeSources: BundleInput['runtime'] = { transformJs, recipeJs, predictJs, datesJs, checkJs, csvJs };

export function zipBundle(files: Record<string, Uint8Array>): Uint8Array {
  // Sorted names give the same archive for the same files; the bundle is small, so default compression is cheap.
  const sorted: Record<string, Uint8Array> = {};
  for (const name of Object.keys(files).sort()) sorted[name] = files[name];
  return zipSync(sorted, { level: 6, mtime: new Date('2000-01-01T00:00:00Z') });
}

/** The files of a zip made by zipBundle (or any zip), by path; bytes that are no zip are refused with what they are. */
export function unzipBundle(bytes: Uint8Array): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes);
  } catch (e) {
    throw new Error(`the bundle (${bytes.byteLength} bytes) is not a readable zip: ${e instanceof Error ? e.message : String(e)}`);
  }
}
