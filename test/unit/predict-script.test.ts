import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FittedRecipe } from '../../src/core/recipe/types';

const number = (name: string) => ({ name, type: 'number' as const, role: 'feature' as const });
// Two recipes: the second reads what the first produced, so their order matters.
const first: FittedRecipe = {
  version: 1,
  input: [number('mass')],
  output: [number('grams')],
  steps: [
    { kind: 'impute', column: 'mass', strategy: 'constant', constant: 4000, fill: 4000 },
    { kind: 'rename', from: 'mass', to: 'grams' },
  ],
};
const second: FittedRecipe = {
  version: 1,
  input: [number('grams')],
  output: [number('grams')],
  steps: [{ kind: 'scale', column: 'grams', method: 'standard', offset: 4000, factor: 500 }],
};

// The script is tested as it is shipped: next to transform.js and recipe.js, as in the export bundle. (Its
// relative imports only resolve there, so its types are restated here.)
interface Answer {
  output: string | number;
  probabilities: number[] | null;
}
interface Script {
  mismatch(got: Answer, want: Answer & { input: object }): string | null;
  parseRows(text: string, name: string): Record<string, unknown>[];
  readRows(content: Uint8Array | string, name: string): { rows: Record<string, unknown>[]; lines: number[] | null };
  applyRecipes(recipes: FittedRecipe[], row: Record<string, unknown>): Record<string, unknown>;
  loadRecipes(base: string): Promise<FittedRecipe[]>;
}
let mismatch: Script['mismatch'];
let parseRows: Script['parseRows'];
let readRows: Script['readRows'];
let applyRecipes: Script['applyRecipes'];
let loadRecipes: Script['loadRecipes'];
let dir: string;

beforeAll(async () => {
  dir = join(process.cwd(), '.tmp', 'predict-script');
  mkdirSync(dir, { recursive: true });
  // Every serving file the bundle ships next to the script.
  for (const name of readdirSync('src/core/serving')) copyFileSync(join('src/core/serving', name), join(dir, name));
  copyFileSync('workers/predict/predict.mjs', join(dir, 'predict.mjs'));
  ({ mismatch, parseRows, readRows, applyRecipes, loadRecipes } = (await import(/* @vite-ignore */ pathToFileURL(join(dir, 'predict.mjs')).href)) as Script);
});

describe('the bundle script', () => {
  it('accepts answers within tolerance and names the difference otherwise', () => {
    const want = { input: {}, output: 'Adelie', probabilities: [0.9, 0.05, 0.05] };
    expect(mismatch({ output: 'Adelie', probabilities: [0.90005, 0.04995, 0.05] }, want)).toBeNull();
    expect(mismatch({ output: 'Gentoo', probabilities: [0.9, 0.05, 0.05] }, want)).toMatch(/expected Adelie/);
    expect(mismatch({ output: 'Adelie', probabilities: [0.8, 0.15, 0.05] }, want)).toMatch(/probability 0/);
    expect(mismatch({ output: 'Adelie', probabilities: [0.9, 0.1] }, want)).toMatch(/2 probabilities/);
    const number = { input: {}, output: 1000, probabilities: null };
    expect(mismatch({ output: 1000.05, probabilities: null }, number)).toBeNull();
    expect(mismatch({ output: 1000.5, probabilities: null }, number)).toMatch(/expected 1000/);
    expect(mismatch({ output: Number.NaN, probabilities: null }, number)).not.toBeNull();
  });

  it('reads rows from JSON or from a simple CSV', () => {
    expect(parseRows('[{"a": 1, "b": null}]', 'rows.json')).toEqual([{ a: 1, b: null }]);
    expect(parseRows('a, b\n1,x\n\n2,\n', 'rows.CSV')).toEqual([
      { a: '1', b: 'x' },
      { a: '2', b: '' },
    ]);
    expect(() => parseRows('{"a": 1}', 'rows.json')).toThrow(/array/);
  });

  it('reads CSV as the import does: separator detected, quotes, line numbers, encodings', () => {
    const text = 'name;"mass, g";note\r\n"Dream; isle";"83,35";"say ""hi"""\r\n\r\nBiscoe;4,5;"two\nlines"\r\nTorgersen;;x\r\n';
    const { rows, lines } = readRows(text, 'rows.csv');
    expect(rows.map((r) => ({ ...r }))).toEqual([
      { name: 'Dream; isle', 'mass, g': '83,35', note: 'say "hi"' },
      { name: 'Biscoe', 'mass, g': '4,5', note: 'two\nlines' },
      { name: 'Torgersen', 'mass, g': '', note: 'x' },
    ]);
    expect(lines).toEqual([2, 4, 6]);
    // Windows-1252 bytes (not UTF-8) are read as the import reads them.
    const latin = Uint8Array.from('name\tcity\nA\tZ\xfcrich\n', (c) => c.charCodeAt(0));
    expect(readRows(latin, 'rows.tsv').rows.map((r) => ({ ...r }))).toEqual([{ name: 'A', city: 'Zürich' }]);
  });

  it('refuses input it cannot read, saying what and where', () => {
    expect(() => readRows('a,b\n1,2\n3\n', 'rows.csv')).toThrow(/Line 3 has 1 field but the header has 2/);
    expect(() => readRows('a,b\n"1,2\n', 'rows.csv')).toThrow(/Line 2: a quoted value is never closed/);
    expect(() => readRows('a,b\n', 'rows.csv')).toThrow(/header line but no data rows/);
    expect(() => readRows('a,b', 'rows.xlsx')).toThrow(/unknown file type/);
    expect(() => readRows('[1]', 'rows.json')).toThrow(/item 1 is not an object/);
    expect(() => readRows('{"a":1}\nnot json\n', 'rows.jsonl')).toThrow(/line 2 is not valid JSON/);
  });

  it('replays the recipes in order on a raw row, and none leaves the row as it is', () => {
    expect(applyRecipes([first, second], { mass: '5000', other: 'x' })).toEqual({ grams: 2 });
    expect(applyRecipes([first, second], { mass: 'NA' })).toEqual({ grams: 0 });
    const row = { mass: 3 };
    expect(applyRecipes([], row)).toBe(row);
    expect(applyRecipes([second, first], { mass: 5000 })).toEqual({ grams: 4000 });
  });

  it('loads recipes.json, and reads a bundle without one as having no recipes', async () => {
    const bundle = mkdtempSync(join(dir, 'bundle-'));
    try {
      await expect(loadRecipes(bundle)).resolves.toEqual([]);
      writeFileSync(join(bundle, 'recipes.json'), JSON.stringify([first, second]));
      await expect(loadRecipes(bundle)).resolves.toEqual([first, second]);
    } finally {
      rmSync(bundle, { recursive: true, force: true });
    }
  });
});
