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

/** Where the built app serves the standalone page's runtime (scripts/standalone-runtime.mjs emits it there). */
const STANDALONE_RUNTIME_FILE = 'standalone-runtime.js';
let standaloneRuntimeText: Promise<string> | null = null;

/**
 * The standalone page's runtime script, fetched once from the app's own origin (the service worker precaches it, so
 * this works offline). Outside a page (Node tests) there is no built app to fetch it from: undefined, and the bundle
 * goes without its standalone page.
 */
export function standaloneRuntime(): Promise<string | undefined> {
  if (typeof location === 'undefined' || typeof fetch === 'undefined') return Promise.resolve(undefined);
  standaloneRuntimeText ??= (async () => {
    const url = new URL(`${import.meta.env.BASE_URL}${STANDALONE_RUNTIME_FILE}`, location.href);
    let response: Response;
    try {
      response = await fetch(url);
    } catch (e) {
      throw new Error(`the standalone page's runtime (${url.pathname}) could not be loaded: ${e instanceof Error ? e.message : String(e)}. Reload the app while online once, then export again.`);
    }
    const text = await response.text();
    if (!response.ok) throw new Error(`the standalone page's runtime (${url.pathname}) could not be loaded: HTTP ${response.status} ${text.slice(0, 300)}`);
    // A server that answers every path with the app's index.html (a single-page fallback) is not serving the runtime.
    if (/^\s*</.test(text)) throw new Error(`the standalone page's runtime (${url.pathname}) is missing from this build: the server answered with a page, not the script`);
    return text;
  })();
  // A failure is not remembered: the next export tries again.
  standaloneRuntimeText.catch(() => (standaloneRuntimeText = null));
  return standaloneRuntimeText;
}

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
