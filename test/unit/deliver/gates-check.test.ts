import { describe, expect, it } from 'vitest';
import { assertValidGates, validateGates } from '../../../src/core/deliver/gates/check-gates';
import { directionOf, knownDirection } from '../../../src/core/deliver/gates/directions';
import { rowsFingerprint } from '../../../src/core/deliver/gates/fingerprint';
import { sliceFiguresOf } from '../../../src/core/deliver/gates/slice-figures';

describe('validateGates', () => {
  it('accepts a definition of every kind', () => {
    const def = {
      missingBaseline: 'skip',
      thresholds: [
        { kind: 'value', metric: 'accuracy', lower: 0.9 },
        { kind: 'value', metric: 'size_bytes', upper: 5e6 },
        { kind: 'change', metric: 'accuracy', absolute: -0.01, relative: 0.99 },
        { kind: 'slices', metric: 'accuracy', maxDrop: 0.05, column: 'sex', minRows: 20 },
      ],
    };
    expect(validateGates(def)).toEqual([]);
    expect(assertValidGates(def)).toBe(def);
  });

  it('locates each problem by path', () => {
    const problems = validateGates({
      missingBaseline: 'maybe',
      thresholds: [
        { kind: 'value', metric: 'accuracy' },
        { kind: 'value', metric: 'accuracy', lower: 0.9, upper: 0.5 },
        { kind: 'change', metric: 'accuracy' },
        { kind: 'change', metric: 'accuracy', relative: 0 },
        { kind: 'change', metric: 'throughput', absolute: 0 },
        { kind: 'slices', metric: 'accuracy', maxDrop: -1, minRows: 0.5 },
        { kind: 'value', metric: '', lower: NaN },
        { kind: 'other' },
        'x',
      ],
    });
    expect(problems.map((p) => p.path)).toEqual([
      'missingBaseline',
      'thresholds[0]',
      'thresholds[1].upper',
      'thresholds[2]',
      'thresholds[3].relative',
      'thresholds[4].direction',
      'thresholds[5].maxDrop',
      'thresholds[5].minRows',
      'thresholds[6].metric',
      'thresholds[6].lower',
      'thresholds[7].kind',
      'thresholds[8]',
    ]);
    expect(problems[5].message).toContain('does not know whether higher or lower throughput is better');
    expect(() => assertValidGates({ thresholds: 'no' })).toThrow(/not valid/);
    expect(validateGates(null)).toHaveLength(1);
  });
});

describe('metric directions', () => {
  it('know higher- and lower-is-better metrics by name, and nothing else', () => {
    for (const m of ['accuracy', 'precision', 'recall', 'f1', 'macro_f1', 'r2', 'balancedAccuracy', 'balanced_accuracy', 'auc', 'roc_auc']) {
      expect(knownDirection(m), m).toBe('higher');
    }
    for (const m of ['mae', 'rmse', 'mape', 'log_loss', 'logLoss', 'val_loss', 'latency_p95_ms', 'size_bytes', 'model size']) {
      expect(knownDirection(m), m).toBe('lower');
    }
    expect(knownDirection('throughput')).toBeNull();
    expect(directionOf('throughput', 'higher')).toBe('higher');
    expect(directionOf('accuracy', 'lower')).toBe('lower');
  });
});

describe('rowsFingerprint', () => {
  it('is the same for the same rows of the same version, and differs otherwise', () => {
    const a = rowsFingerprint('v1', Int32Array.from([1, 5, 9]));
    expect(rowsFingerprint('v1', [1, 5, 9])).toBe(a);
    expect(rowsFingerprint('v2', [1, 5, 9])).not.toBe(a);
    expect(rowsFingerprint('v1', [1, 5, 8])).not.toBe(a);
    expect(rowsFingerprint('v1', [1, 9, 5])).not.toBe(a);
    expect(rowsFingerprint('v1', [15, 9])).not.toBe(rowsFingerprint('v1', [1, 59]));
  });
});

describe('sliceFiguresOf', () => {
  it('names each slice figure by its table metric', () => {
    const figures = sliceFiguresOf([
      { column: 'sex', by: 'value', metric: 'accuracy', slices: [{ value: 'F', count: 3, metric: 0.5 }], omitted: 0 },
    ]);
    expect(figures).toEqual([{ column: 'sex', value: 'F', count: 3, metrics: { accuracy: 0.5 } }]);
  });
});
