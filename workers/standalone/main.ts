// The standalone page's entry, built into one classic script (scripts/standalone-runtime.mjs) and shipped in the
// export bundle as standalone/runtime.js. It reads the global model.js sets and draws the page's three parts.

import { STANDALONE_DATA_VERSION, STANDALONE_GLOBAL, type StandaloneData } from '../../src/core/deliver/export/standalone';
import { el, messageOf } from './dom';
import { examplesPanel } from './examples-panel';
import { filePanel } from './file-panel';
import { formPanel } from './form-panel';
import { loadServed } from './serve';

function dataOf(value: unknown): StandaloneData {
  if (value === null || typeof value !== 'object') {
    throw new Error('model.js did not load: keep index.html, model.js and runtime.js together in one folder');
  }
  const data = value as Partial<StandaloneData>;
  if (data.dataVersion !== STANDALONE_DATA_VERSION) {
    throw new Error(`model.js holds data version ${String(data.dataVersion)}, but this runtime.js reads version ${STANDALONE_DATA_VERSION}: export the bundle again`);
  }
  return value as StandaloneData;
}

async function start(): Promise<void> {
  const app = document.getElementById('app');
  const loading = document.getElementById('loading');
  if (!app || !loading) throw new Error('index.html has no #app or #loading element: it is not the page this runtime was built for');
  try {
    const data = dataOf((globalThis as Record<string, unknown>)[STANDALONE_GLOBAL]);
    const served = await loadServed(data);
    const slug = `${data.name}-v${data.version}`.replace(/[^a-z0-9-_]+/gi, '-').toLowerCase();
    app.replaceChildren(formPanel(served), filePanel(served, slug), examplesPanel(served, data.examples));
    loading.textContent = `Ready: ${data.name} v${data.version} predicts ${data.schema.target}, in this page.`;
  } catch (e) {
    loading.remove();
    app.replaceChildren(el('div', { class: 'error', role: 'alert' }, `The model could not be loaded: ${messageOf(e)}`));
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void start());
else void start();
