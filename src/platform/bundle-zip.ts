// Packs the export bundle into one zip, with the serving runtime taken verbatim from the app's own sources.

import { zipSync } from 'fflate';
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
