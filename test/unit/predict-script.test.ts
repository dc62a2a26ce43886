import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// The script is tested as it is shipped: next to transform.js, as in the export bundle. (Its
// './transform.js' import only resolves there, so its types are restated here.)
interface Answer {
  output: string | number;
  probabilities: number[] | null;
}
interface Script {
  mismatch(got: Answer, want: Answer & { input: object }): string | null;
  parseRows(text: string, name: string): Record<string, unknown>[];
}
let mismatch: Script['mismatch'];
let parseRows: Script['parseRows'];

beforeAll(async () => {
  const dir = join(process.cwd(), '.tmp', 'predict-script');
  mkdirSync(dir, { recursive: true });
  copyFileSync('src/core/serving/transform.js', join(dir, 'transform.js'));
  copyFileSync('workers/serving/predict.mjs', join(dir, 'predict.mjs'));
  ({ mismatch, parseRows } = (await import(/* @vite-ignore */ pathToFileURL(join(dir, 'predict.mjs')).href)) as Script);
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
});
