// The export bundle's standalone page: standalone/index.html opened from disk (file://), offline. Chromium gives such
// a page no ES modules and no fetch of its siblings, so everything arrives as classic scripts: model.js sets one
// global with the model and its serving data (weights as base64), runtime.js (the app's build of
// workers/standalone/main.ts, tfjs inside) reads it and draws the page. No inline script or style attribute: the page
// carries the app's strict Content-Security-Policy ('wasm-unsafe-eval' because tfjs's 64-bit integer helper, long.js,
// tries to compile a tiny WebAssembly module, as in the app). Pure: the caller supplies the runtime's source.

import type { Preprocessor, WeightManifest } from '../../shared/types';
import type { FittedRecipe } from '../../recipe/types';
import type { BundleExample, BundleSchema } from './bundle';

/** The global model.js assigns and runtime.js reads. */
export const STANDALONE_GLOBAL = 'LOOPBENCH_STANDALONE';
/** Bumped when runtime.js can no longer read what an older model.js holds. */
export const STANDALONE_DATA_VERSION = 1;

/** What model.js holds: the bundle's model/, preprocessing.json, schema.json, recipes.json and examples.json in one. */
export interface StandaloneData {
  dataVersion: typeof STANDALONE_DATA_VERSION;
  name: string;
  version: number;
  /** model/model.json's modelTopology and weight specs; the weights are model/group1-shard1of1.bin in base64. */
  modelTopology: unknown;
  weightSpecs: WeightManifest['weightSpecs'];
  weightsBase64: string;
  preprocessing: Preprocessor;
  schema: BundleSchema;
  recipes: FittedRecipe[];
  examples: BundleExample[];
}

const encoder = new TextEncoder();
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding (core has no btoa). */
export function base64Of(bytes: Uint8Array): string {
  const parts: string[] = [];
  let line = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number;
    const b = i + 1 < bytes.length ? (bytes[i + 1] as number) : 0;
    const c = i + 2 < bytes.length ? (bytes[i + 2] as number) : 0;
    const n = (a << 16) | (b << 8) | c;
    line += BASE64[(n >> 18) & 63]! + BASE64[(n >> 12) & 63]!;
    line += i + 1 < bytes.length ? BASE64[(n >> 6) & 63]! : '=';
    line += i + 2 < bytes.length ? BASE64[n & 63]! : '=';
    // Joining once at the end: repeated concatenation of one long string is quadratic in some engines.
    if (line.length >= 4096) {
      parts.push(line);
      line = '';
    }
  }
  parts.push(line);
  return parts.join('');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** model.js: one assignment of JSON (a JavaScript expression), read by the runtime as a global. */
export function standaloneDataScript(data: StandaloneData): string {
  return [
    `// ${data.name} v${data.version}: the model and its serving data for index.html, exported from Loopbench.`.replace(/[\r\n\u2028\u2029]/g, ' '),
    '// A classic script, not JSON: a page opened from disk cannot fetch its sibling files.',
    `globalThis.${STANDALONE_GLOBAL} = ${JSON.stringify(data)};`,
    '',
  ].join('\n');
}

export function standaloneHtml(name: string, version: number): string {
  const title = escapeHtml(`${name} v${version}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:">
<title>${title}: predict offline</title>
<link rel="stylesheet" href="style.css">
<script src="model.js" defer></script>
<script src="runtime.js" defer></script>
</head>
<body>
<main>
<h1>${title}</h1>
<p>Predictions from this model, made in this page: nothing leaves your computer and no network is needed.</p>
<p id="loading" role="status">Loading the model…</p>
<noscript><p>This page needs JavaScript to predict.</p></noscript>
<div id="app"></div>
</main>
</body>
</html>
`;
}

const STYLE = `body { font: 15px/1.45 system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1b1f24; }
main { max-width: 960px; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0; }
section { background: #fff; border: 1px solid #d6dae0; border-radius: 6px; padding: 1rem; margin: 1rem 0; }
h2 { font-size: 1.15rem; margin: 0 0 0.75rem; }
form.row { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-end; }
label { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.9rem; }
input, select, button { font: inherit; padding: 0.3rem 0.45rem; }
button { background: #1f3a5f; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
button:disabled { opacity: 0.6; cursor: default; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border-bottom: 1px solid #e3e6ea; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; height: 10px; background: #2f6fb3; border-radius: 2px; }
.output { font-size: 1.2rem; }
.warn { background: #fff6e0; border: 1px solid #e6c46a; border-radius: 4px; padding: 0.5rem 0.75rem; margin: 0.5rem 0; }
.error { background: #fdeaea; border: 1px solid #d98a8a; border-radius: 4px; padding: 0.5rem 0.75rem; margin: 0.5rem 0; }
.drop { border: 2px dashed #9aa5b1; border-radius: 6px; padding: 1rem; margin: 0.5rem 0; }
.drop.over { border-color: #2f6fb3; background: #eef4fb; }
.table-wrap { overflow: auto; max-height: 480px; }
.muted { color: #5b6570; }
`;

/**
 * The files under standalone/ in the bundle. `runtimeJs` is the app's built standalone-runtime.js; the page is only
 * as good as that script, so it must come from the same build as the app that exported the model.
 */
export function standaloneFiles(data: StandaloneData, runtimeJs: string): Record<string, Uint8Array> {
  if (runtimeJs.trim() === '') throw new Error('the standalone page cannot be built: its runtime script (standalone-runtime.js) is empty');
  return {
    'standalone/index.html': encoder.encode(standaloneHtml(data.name, data.version)),
    'standalone/style.css': encoder.encode(STYLE),
    'standalone/model.js': encoder.encode(standaloneDataScript(data)),
    'standalone/runtime.js': encoder.encode(runtimeJs),
  };
}
