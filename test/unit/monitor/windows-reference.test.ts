// The reference profile: which raw rows make it (the training split, through the recipe chain's filters), how its
// cells are read (as the model's preprocessing reads them), dates, and the predictions and CBPE it carries.

import { describe, expect, it } from 'vitest';
import { chunksOf } from '../../../src/core/monitor/log/chunk-builder';
import { fitRecipe } from '../../../src/core/recipe/fit';
import type { FittedRecipe, Recipe } from '../../../src/core/recipe/types';
import { keptRows } from '../../../src/core/monitor/windows/reference-rows';
import { referenceProfile, summarizeReference } from '../../../src/core/monitor/windows/reference';
import { windowSignals } from '../../../src/core/monitor/windows/signals';
import { splitWindows } from '../../../src/core/monitor/windows/windows';
import { SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION, type ColumnSchema, type Table } from '../../../src/core/shared/types';
import { build } from '../../fixtures/recipe-tables';
import { assignment, classifierReference, reference, referencePredictions, TRAIN_ROWS } from './windows-fixtures';
import { classifier, CLASSES } from './log-fixtures';

describe('keptRows', () => {
  it('takes the training split only', () => {
    expect(Array.from(keptRows(reference.table, assignment, []))).toEqual(Array.from({ length: TRAIN_ROWS }, (_, i) => i));
    const other = Uint8Array.from(assignment, (_, i) => [SPLIT_TRAIN, SPLIT_VALIDATION, SPLIT_TEST][i % 3]);
    expect(Array.from(keptRows(reference.table, other, []))).toEqual([0, 3, 6, 9, 12, 15, 18, 21]);
  });

  it('keeps the training rows every filter of the recipe chain keeps', () => {
    const recipe: Recipe = { version: 1, steps: [{ kind: 'filter', condition: { kind: 'compare', column: 'bill_length_mm', op: 'lt', value: 35 } }] };
    const outcome = fitRecipe(recipe, reference.schema, reference.table, assignment);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    const chain: FittedRecipe[] = [outcome.fitted];
    expect(Array.from(keptRows(reference.table, assignment, chain))).toEqual([0, 1, 2, 3, 4]);
  });

  it('refuses an assignment of another length', () => {
    expect(() => keptRows(reference.table, new Uint8Array(3), [])).toThrow(/3 rows for a table of 24/);
  });
});

describe('referenceProfile', () => {
  it('holds the raw features of the reference rows, not the target, as the drift tests take them', () => {
    const profile = classifierReference();
    expect(profile.rows).toBe(TRAIN_ROWS);
    expect(profile.columns.map((c) => [c.name, c.kind])).toEqual([
      ['bill_length_mm', 'numeric'],
      ['island', 'categorical'],
      ['sex', 'categorical'],
    ]);
    const bill = profile.columns[0];
    if (bill.kind !== 'numeric') throw new Error('bill is numeric');
    expect(Array.from(bill.sorted)).toEqual(Array.from({ length: TRAIN_ROWS }, (_, i) => 30 + i));
    const island = profile.columns[1];
    if (island.kind !== 'categorical') throw new Error('island is categorical');
    // "Mars" appears only in test rows: training never saw it.
    expect(island.categories).toEqual(['Biscoe', 'Dream', 'Torgersen']);
    expect(summarizeReference(profile)).toEqual({
      rows: TRAIN_ROWS,
      columns: [
        { name: 'bill_length_mm', kind: 'numeric', missing: 0 },
        { name: 'island', kind: 'categorical', categories: 3, missing: 0 },
        { name: 'sex', kind: 'categorical', categories: 2, missing: 0 },
      ],
      predictions: TRAIN_ROWS,
      cbpe: true,
      notes: [],
    });
  });

  it('reads categories as the preprocessing does: trimmed, and missing spellings as missing', () => {
    const { schema, table } = build([{ name: 'colour', values: ['red', ' red ', 'NA', 'blue', null, ''] }]);
    const profile = referenceProfile({ schema, table, rows: Int32Array.from([0, 1, 2, 3, 4, 5]), task: 'regression', classes: [] });
    const colour = profile.columns[0];
    if (colour.kind !== 'categorical') throw new Error('colour is categorical');
    expect(colour.categories).toEqual(['red', 'blue']);
    expect(Array.from(colour.codes)).toEqual([0, 0, -1, 1, -1, -1]);
    expect(colour.missing).toBe(3);
    expect(profile.notes).toEqual(['No predictions on the reference were given, so prediction drift and estimated performance are not computed.']);
  });

  it('keeps dates as ms and reads live ISO text as the same dates, so an unchanged window does not drift', () => {
    const day = 86_400_000;
    const start = Date.UTC(2021, 0, 1);
    const dates = Float64Array.from({ length: 30 }, (_, i) => start + i * day);
    const schema: ColumnSchema[] = [{ name: 'date', type: 'date', role: 'feature' }];
    const table: Table = { names: ['date'], columns: [{ kind: 'date', values: dates }], rowCount: 30 };
    const profile = referenceProfile({ schema, table, rows: Int32Array.from({ length: 30 }, (_, i) => i), task: 'classification', classes: CLASSES });
    expect(profile.columns[0]).toMatchObject({ kind: 'numeric', dates: true });
    const chunks = chunksOf(
      classifier(),
      Array.from({ length: 30 }, (_, id) => ({
        id,
        at: id,
        inputs: { date: new Date(start + id * day).toISOString().slice(0, 10) },
        output: CLASSES[0],
        probabilities: null,
        latencyMs: 1,
        warnings: [],
      })),
    );
    const [window] = splitWindows(chunks, { kind: 'count', size: 30 });
    const s = windowSignals(window, chunks, profile, {
      expectations: [{ id: 'range:date', kind: 'range', enabled: true, column: 'date', min: start, max: start + 9 * day, dates: true }],
    });
    expect(s.features[0]).toMatchObject({ test: 'ks', statistic: 0, drifted: false, missing: { current: 0 } });
    // 20 of the 30 live dates lie past the allowed range.
    expect(s.quality.expectations[0]).toMatchObject({ id: 'range:date', failingRows: 20, examples: [{ requestId: 10, value: '2021-01-11' }, { requestId: 11 }, { requestId: 12 }] });
  });

  it('leaves image columns out, saying so', () => {
    const schema: ColumnSchema[] = [
      { name: 'photo', type: 'image', role: 'feature' },
      { name: 'w', type: 'number', role: 'feature' },
    ];
    const table: Table = {
      names: ['photo', 'w'],
      columns: [
        { kind: 'image', pixels: new Uint8Array(2), width: 1, height: 1, channels: 1 },
        { kind: 'number', values: Float64Array.from([1, 2]) },
      ],
      rowCount: 2,
    };
    const profile = referenceProfile({ schema, table, rows: Int32Array.from([0, 1]), task: 'regression', classes: [] });
    expect(profile.columns.map((c) => c.name)).toEqual(['w']);
    expect(profile.notes[0]).toMatch(/"photo" is an image column/);
  });

  it('refuses predictions that do not fit the classes, and notes why CBPE is missing', () => {
    const p = referencePredictions();
    const base = { schema: reference.schema, table: reference.table, rows: keptRows(reference.table, assignment, []), task: 'classification' as const, classes: CLASSES };
    expect(() => referenceProfile({ ...base, predictions: { ...p, predicted: Float64Array.from(p.predicted, () => 3) } })).toThrow(
      /prediction in row 0 is 3, not a class index from 0 to 2/,
    );
    expect(() => referenceProfile({ ...base, predictions: { ...p, probabilities: new Float64Array(5) } })).toThrow(/5 probabilities for 20 rows of 3 classes/);
    const noTruth = referenceProfile({ ...base, predictions: { ...p, truth: null } });
    expect(noTruth.cbpe).toBeNull();
    expect(noTruth.predictions).not.toBeNull();
    expect(noTruth.notes).toEqual(['The reference predictions carry no probabilities or no true labels, so performance cannot be estimated (CBPE).']);
  });
});
