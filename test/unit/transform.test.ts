import { describe, expect, it } from 'vitest';
import { isMissing, parseNumber } from '../../src/core/data/missing';
import { encodeRows, fitPreprocessor, rawRow, rowsOf } from '../../src/core/train/preprocess';
import { decodeOutput, encodeRow, missingValue, numberValue } from '../../src/core/serving/transform.js';
import type { ColumnSchema, Preprocessor, Table } from '../../src/core/shared/types';
import { SPLIT_NONE, SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from '../../src/core/shared/types';
import { penguins } from '../fixtures/tabular';

const pre: Preprocessor = {
  version: 1,
  task: 'classification',
  target: 'species',
  features: [
    { kind: 'number', name: 'mass', mean: 4000, std: 500 },
    { kind: 'category', name: 'island', categories: ['Biscoe', 'Dream', 'Torgersen'] },
    { kind: 'number', name: 'constant', mean: 2, std: 0 },
  ],
  labels: ['Adelie', 'Chinstrap', 'Gentoo'],
  targetMean: 0,
  targetStd: 1,
  inputSize: 5,
};

describe('missing values and numbers', () => {
  it('reads cells exactly as the importer does', () => {
    const cells = ['', '  ', 'NA', ' N/A ', 'null', 'NULL', 'None', '?', 'NaN', 'nan', 'na', '0', '-1.5e3', '.5', '5.', '1,000', '0x10', 'Infinity', ' 42 ', 'abc'];
    for (const c of cells) {
      expect(missingValue(c), c).toBe(isMissing(c));
      const parsed = isMissing(c) ? null : parseNumber(c);
      expect(Number.isNaN(numberValue(c)) ? null : numberValue(c), c).toBe(parsed);
    }
    expect(missingValue(null)).toBe(true);
    expect(missingValue(undefined)).toBe(true);
    expect(missingValue(NaN)).toBe(true);
    expect(missingValue(0)).toBe(false);
  });
});

describe('encodeRow', () => {
  it('standardises numbers and one-hot encodes categories', () => {
    expect(encodeRow(pre, { mass: 4500, island: 'Dream', constant: 3 })).toEqual([1, 0, 1, 0, 1]);
    expect(encodeRow(pre, { mass: '3000', island: ' Torgersen ', constant: '2' })).toEqual([-2, 0, 0, 1, 0]);
  });

  it('imputes missing or unreadable numbers with the training mean and zeroes unknown categories', () => {
    expect(encodeRow(pre, { mass: null, island: 'Atlantis', constant: 'NA' })).toEqual([0, 0, 0, 0, 0]);
    expect(encodeRow(pre, { mass: 'heavy', island: null })).toEqual([0, 0, 0, 0, 0]);
    expect(encodeRow(pre, {})).toEqual([0, 0, 0, 0, 0]);
  });

  it('matches category values given as numbers', () => {
    const p: Preprocessor = { ...pre, features: [{ kind: 'category', name: 'n', categories: ['1', '2'] }], inputSize: 2 };
    expect(encodeRow(p, { n: 2 })).toEqual([0, 1]);
  });

  it('rejects a preprocessor whose size does not add up', () => {
    expect(() => encodeRow({ ...pre, inputSize: 4 }, { mass: 1 })).toThrow(/inputSize/);
  });
});

describe('decodeOutput', () => {
  it('picks the most probable label and keeps the probabilities', () => {
    expect(decodeOutput(pre, Float32Array.of(0.1, 0.7, 0.2))).toEqual({ output: 'Chinstrap', probabilities: [Math.fround(0.1), Math.fround(0.7), Math.fround(0.2)] });
    expect(() => decodeOutput(pre, [0.5, 0.5])).toThrow();
  });

  it('restores the regression target to its own units', () => {
    const reg: Preprocessor = { ...pre, task: 'regression', labels: [], targetMean: 20, targetStd: 5 };
    expect(decodeOutput(reg, [1.5])).toEqual({ output: 27.5, probabilities: null });
    expect(decodeOutput({ ...reg, targetStd: 0 }, [1.5]).output).toBe(21.5);
  });
});

describe('fitPreprocessor', () => {
  const schema: ColumnSchema[] = [
    { name: 'mass', type: 'number', role: 'feature' },
    { name: 'island', type: 'category', role: 'feature' },
    { name: 'note', type: 'category', role: 'ignore' },
    { name: 'species', type: 'category', role: 'target' },
  ];
  const table: Table = {
    names: ['mass', 'island', 'note', 'species'],
    rowCount: 6,
    columns: [
      { kind: 'number', values: Float64Array.of(1, 3, NaN, 1000, 2000, 5) },
      { kind: 'category', codes: Int32Array.of(2, 0, -1, 1, 1, 0), dictionary: ['Biscoe', 'Dream', 'Torgersen'] },
      { kind: 'category', codes: Int32Array.of(0, 0, 0, 0, 0, 0), dictionary: ['x'] },
      { kind: 'category', codes: Int32Array.of(0, 1, 0, 2, 1, -1), dictionary: ['A', 'B', 'C'] },
    ],
  };
  const assignment = Uint8Array.of(SPLIT_TRAIN, SPLIT_TRAIN, SPLIT_TRAIN, SPLIT_VALIDATION, SPLIT_TEST, SPLIT_NONE);

  it('fits on training rows only', () => {
    const p = fitPreprocessor('classification', schema, table, assignment);
    expect(p.features).toEqual([
      // The range too: serving flags inputs outside what the training rows held.
      { kind: 'number', name: 'mass', mean: 2, std: 1, min: 1, max: 3 },
      { kind: 'category', name: 'island', categories: ['Biscoe', 'Torgersen'] },
    ]);
    expect(p.labels).toEqual(['A', 'B', 'C']);
    expect(p.inputSize).toBe(3);
  });

  it('standardises a regression target with training statistics', () => {
    const regSchema = schema.map((c) => (c.name === 'species' ? { ...c, role: 'ignore' as const } : c.name === 'mass' ? { ...c, role: 'target' as const } : c));
    const p = fitPreprocessor('regression', regSchema, table, assignment);
    expect([p.targetMean, p.targetStd, p.labels]).toEqual([2, 1, []]);
    const { y } = encodeRows(p, regSchema, table, Int32Array.of(0, 3));
    expect(Array.from(y)).toEqual([-1, 998]);
  });

  it('encodes targets as label indices and refuses rows without one', () => {
    const p = fitPreprocessor('classification', schema, table, assignment);
    expect(Array.from(encodeRows(p, schema, table, Int32Array.of(0, 1, 3)).y)).toEqual([0, 1, 2]);
    expect(() => encodeRows(p, schema, table, Int32Array.of(5))).toThrow(/target/);
  });

  it('lists rows of a partition in order', () => {
    expect(Array.from(rowsOf(assignment, SPLIT_TRAIN))).toEqual([0, 1, 2]);
    expect(Array.from(rowsOf(assignment, SPLIT_NONE))).toEqual([5]);
  });
});

describe('encodeRows and encodeRow agree', () => {
  it('on every row of the penguins data, whatever its split, given as numbers or as text', async () => {
    const ds = await penguins();
    const p = fitPreprocessor('classification', ds.schema, ds.table, ds.assignment);
    expect(p.features.map((f) => f.name)).toEqual(['Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex']);
    const labelled = Int32Array.from({ length: ds.table.rowCount }, (_, i) => i).filter((r) => ds.assignment[r] !== SPLIT_NONE);
    const { x } = encodeRows(p, ds.schema, ds.table, labelled);
    let missingCells = 0;
    labelled.forEach((r, i) => {
      const raw = rawRow(ds.schema, ds.table, r);
      expect(Object.keys(raw)).not.toContain('Species');
      missingCells += Object.values(raw).filter((v) => v === null).length;
      const expected = Array.from(x.subarray(i * p.inputSize, (i + 1) * p.inputSize));
      expect(encodeRow(p, raw).map(Math.fround), `row ${r}`).toEqual(expected);
      const asText = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v === null ? 'NA' : String(v)]));
      expect(encodeRow(p, asText).map(Math.fround), `row ${r} as text`).toEqual(expected);
    });
    // The parity must cover imputation, not only complete rows.
    expect(missingCells).toBeGreaterThan(5);
  });
});
