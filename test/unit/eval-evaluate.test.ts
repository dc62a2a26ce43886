import { describe, expect, it } from 'vitest';
import { evaluatePredictions } from '../../src/core/evaluate/evaluate';
import type { Table } from '../../src/core/shared/types';

const noSkips = { missingTarget: 0, unknownClass: 0, filtered: 0 };

describe('evaluatePredictions (binary classification)', () => {
  // Table rows 0..5; rows 1..4 are evaluated. Truth [0, 0, 1, 1], p(class 1) = [0.1, 0.4, 0.35, 0.8].
  const table: Table = {
    names: ['island', 'mass'],
    rowCount: 6,
    columns: [
      { kind: 'category', codes: Int32Array.from([0, 0, 0, 1, 1, 1]), dictionary: ['A', 'B'] },
      { kind: 'number', values: Float64Array.from([9, 1, 2, NaN, 4, 9]) },
    ],
  };
  const p1 = [0.1, 0.4, 0.35, 0.8];
  const result = evaluatePredictions(
    {
      task: 'classification',
      labels: ['no', 'yes'],
      rows: Int32Array.from([1, 2, 3, 4]),
      truth: Float64Array.from([0, 0, 1, 1]),
      predicted: Float64Array.from(p1.map((p) => (p > 0.5 ? 1 : 0))),
      probabilities: Float32Array.from(p1.flatMap((p) => [1 - p, p])),
      skipped: { ...noSkips, missingTarget: 2 },
      rowsInSplit: 6,
    },
    table,
  );

  it('computes the figures, ROC AUC and average precision of the positive class', () => {
    if (result.task !== 'classification') throw new Error('expected classification');
    expect(result.figures.confusion).toEqual([
      [2, 0],
      [1, 1],
    ]);
    expect(result.figures.accuracy).toBeCloseTo(0.75, 12);
    expect(result.rocAuc).toBeCloseTo(0.75, 6);
    expect(result.averagePrecision).toBeCloseTo(0.8333333, 6);
    // The first class's curve mirrors the second's: same AUC.
    expect(result.curves[0].roc.auc).toBeCloseTo(0.75, 6);
    const expectedLogLoss = -(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4;
    expect(result.logLoss).toBeCloseTo(expectedLogLoss, 6);
    expect(result.calibration.bins.reduce((s, b) => s + b.count, 0)).toBe(4);
    expect(result.skipped.missingTarget).toBe(2);
    expect(result.rowsInSplit).toBe(6);
  });

  it('lists the worst rows by cross-entropy with their stored cells', () => {
    // Row 3 (truth yes, p = 0.35) is the only mistake and the highest loss.
    expect(result.worst[0]).toMatchObject({ row: 3, truth: 'yes', prediction: 'no', input: { island: 'B', mass: null } });
    expect(result.worst[0].confidence).toBeCloseTo(0.65, 6);
    expect(result.worst[0].loss).toBeCloseTo(-Math.log(0.35), 6);
    expect(result.worst.map((w) => w.row)).toEqual([3, 2, 4, 1]);
  });

  it('slices every column over the evaluated rows, worst first', () => {
    const island = result.slices.find((s) => s.column === 'island')!;
    expect(island.by).toBe('value');
    expect(island.slices).toEqual([
      { value: 'B', count: 2, metric: 0.5 },
      { value: 'A', count: 2, metric: 1 },
    ]);
    const mass = result.slices.find((s) => s.column === 'mass')!;
    expect(mass.by).toBe('quantile');
    expect(mass.slices.find((s) => s.value === '(missing)')).toEqual({ value: '(missing)', count: 1, metric: 0 });
  });
});

describe('evaluatePredictions (regression)', () => {
  it('computes the figures, the scatter and the worst rows by squared error', () => {
    const table: Table = { names: ['x'], rowCount: 3, columns: [{ kind: 'number', values: Float64Array.from([1, 2, 3]) }] };
    const result = evaluatePredictions(
      {
        task: 'regression',
        labels: [],
        rows: Int32Array.from([0, 1, 2]),
        truth: Float64Array.from([0, 2, 4]),
        predicted: Float64Array.from([1, 1, 7]),
        probabilities: null,
        skipped: noSkips,
        rowsInSplit: 3,
      },
      table,
    );
    if (result.task !== 'regression') throw new Error('expected regression');
    expect(result.figures.mae).toBeCloseTo(5 / 3, 12);
    expect(result.figures.mapeSkipped).toBe(1);
    expect(result.figures.mape).toBeCloseTo((0.5 + 0.75) / 2, 12);
    expect(result.scatter).toEqual({ actual: [0, 2, 4], predicted: [1, 1, 7] });
    expect(result.worst.map((w) => [w.row, w.loss])).toEqual([
      [2, 9],
      [0, 1],
      [1, 1],
    ]);
    expect(result.slices[0].metric).toBe('mae');
    expect(result.slices[0].slices[0]).toEqual({ value: '[2.5, 3]', count: 1, metric: 3 });
  });
});
