// The standalone page's files as the bundle writes them: a page with script files only (no inline script or style
// attribute, so a strict policy holds), loading model.js before runtime.js, and a model.js that is one global
// assignment giving back exactly the model, weights and serving data it was made from.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  base64Of,
  STANDALONE_DATA_VERSION,
  STANDALONE_GLOBAL,
  standaloneFiles,
  standaloneHtml,
  type StandaloneData,
} from '../../src/core/deliver/export/standalone';
import type { Preprocessor } from '../../src/core/shared/types';
import { answersCsv } from '../../workers/standalone/answers-csv';
import { mismatch } from '../../workers/standalone/examples';

const pre: Preprocessor = {
  version: 1,
  task: 'classification',
  target: 'species',
  features: [
    { name: 'mass', kind: 'number', mean: 4200, std: 800 },
    { name: 'island', kind: 'category', categories: ['Biscoe', 'Dream'] },
  ] as Preprocessor['features'],
  labels: ['Adelie', 'Gentoo'],
  targetMean: 0,
  targetStd: 1,
  inputSize: 3,
};

function data(weights: Uint8Array, name = 'penguin-species'): StandaloneData {
  return {
    dataVersion: STANDALONE_DATA_VERSION,
    name,
    version: 2,
    modelTopology: { class_name: 'Sequential', config: { layers: [] } },
    weightSpecs: [{ name: 'dense/kernel', shape: [3, 2], dtype: 'float32' }],
    weightsBase64: base64Of(weights),
    preprocessing: pre,
    schema: {
      task: 'classification',
      target: 'species',
      missingValues: ['', 'NA'],
      inputs: [
        { name: 'mass', type: 'number', trainingMean: 4200, trainingStd: 800 },
        { name: 'island', type: 'category', values: ['Biscoe', 'Dream'] },
      ],
      output: { name: 'species', type: 'category', labels: ['Adelie', 'Gentoo'] },
      format: { number: { decimal: ',', thousands: '.' }, dayFirst: true },
    },
    recipes: [],
    examples: [{ input: { mass: '4100', island: 'Dream\u2028"</script>' }, output: 'Adelie', probabilities: [0.75, 0.25] }],
  };
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

describe('standalone page files', () => {
  it('base64 matches Node for every padding case and for long input', () => {
    for (let n = 0; n < 8; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 13) & 255);
      expect(base64Of(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
    const long = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 7919) & 255);
    expect(base64Of(long)).toBe(Buffer.from(long).toString('base64'));
  });

  it('index.html loads model.js then runtime.js as files, with no inline script, style or handler', () => {
    const html = standaloneHtml('penguin <b>species</b> & "co"', 4);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((m) => /src="([^"]+)"/.exec(m[1] ?? '')?.[1])).toEqual(['model.js', 'runtime.js']);
    expect(scripts.every((m) => m[2] === '')).toBe(true);
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=|<style/i);
    expect(html).toContain('<link rel="stylesheet" href="style.css">');
    // The app's policy: scripts from files only, WebAssembly compiled without eval (tfjs's long.js tries), no inline code.
    expect(html).toContain(`script-src 'self' 'wasm-unsafe-eval'; style-src 'self';`);
    expect(html).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
    // The model's name is text, never markup.
    expect(html).toContain('<title>penguin &#60;b&#62;species&#60;/b&#62; &#38; &#34;co&#34; v4: predict offline</title>');
    expect(html).not.toContain('<b>');
  });

  it('model.js sets one global holding the model, serving data and the exact weight bytes', () => {
    const weights = Uint8Array.from({ length: 24 }, (_, i) => (i * 31 + 7) & 255);
    const files = standaloneFiles(data(weights, 'name */ with "quotes"\nand a newline'), '/* runtime */');
    expect(Object.keys(files).sort()).toEqual(['standalone/index.html', 'standalone/model.js', 'standalone/runtime.js', 'standalone/style.css']);
    expect(text(files['standalone/runtime.js'])).toBe('/* runtime */');
    const sandbox: Record<string, unknown> = {};
    sandbox.globalThis = sandbox;
    runInNewContext(text(files['standalone/model.js']), sandbox);
    const loaded = sandbox[STANDALONE_GLOBAL] as StandaloneData;
    expect(loaded).toEqual(data(weights, 'name */ with "quotes"\nand a newline'));
    expect(new Uint8Array(Buffer.from(loaded.weightsBase64, 'base64'))).toEqual(weights);
    expect(loaded.schema.format.number.decimal).toBe(',');
    expect(loaded.examples[0]?.input.island).toBe('Dream\u2028"</script>');
  });

  it('refuses to build a page without its runtime', () => {
    expect(() => standaloneFiles(data(new Uint8Array(4)), '  ')).toThrow(/runtime script \(standalone-runtime\.js\) is empty/);
  });
});

describe('standalone page answers', () => {
  it('compares with examples as predict.mjs --verify does (1e-4)', () => {
    const want = { input: {}, output: 'Adelie', probabilities: [0.7, 0.3] };
    expect(mismatch({ ok: true, output: 'Adelie', probabilities: [0.70005, 0.29995], warnings: [] }, want)).toBeNull();
    expect(mismatch({ ok: true, output: 'Adelie', probabilities: [0.7002, 0.2998], warnings: [] }, want)).toBe('probability 0 is 0.7002, expected 0.7');
    expect(mismatch({ ok: true, output: 'Gentoo', probabilities: [0.3, 0.7], warnings: [] }, want)).toBe('output Gentoo, expected Adelie');
    expect(mismatch({ ok: false, error: 'NaN', warnings: [] }, want)).toBe('no prediction (NaN), expected Adelie');
    expect(mismatch({ ok: true, output: 10.0005, probabilities: null, warnings: [] }, { input: {}, output: 10, probabilities: null })).toBeNull();
    expect(mismatch({ ok: true, output: 10.01, probabilities: null, warnings: [] }, { input: {}, output: 10, probabilities: null })).toBe('output 10.01, expected 10');
  });

  it('writes answers as CSV with the file columns, guarding formula-like text but not numbers', () => {
    const warning = { kind: 'unseen-category' as const, column: 'island', value: 'Atlantis', message: '"Atlantis" never appeared' };
    const csv = answersCsv(
      ['mass', 'island'],
      [
        { mass: '-3.5', island: '=HYPERLINK("x")' },
        { mass: '4100', island: 'Atlantis' },
      ],
      [
        { ok: true, output: 'Adelie', probabilities: [0.75, 0.25], warnings: [] },
        { ok: false, error: 'no number', warnings: [warning] },
      ],
      ['Adelie', 'Gentoo'],
    );
    expect(csv.split('\r\n')).toEqual([
      'mass,island,prediction,probability Adelie,probability Gentoo,warnings,error',
      `-3.5,"'=HYPERLINK(""x"")",Adelie,0.75,0.25,,`,
      '4100,Atlantis,,,,"""Atlantis"" never appeared",no number',
      '',
    ]);
  });
});
