import { describe, expect, it } from 'vitest';
import { mismatch, parseRows } from '../../src/core/serving/predict.mjs';

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
