import { describe, expect, it } from 'vitest';
import { evaluateGates } from '../../../src/core/deliver/gates/evaluate-gates';
import { relativeChange } from '../../../src/core/deliver/gates/change-gate';
import type { GateDefinition, GateFigures, Threshold } from '../../../src/core/deliver/gates/types';

const ROWS = 'v1:3:abc';

function figures(metrics: Record<string, number>, rows = ROWS, slices?: GateFigures['slices']): GateFigures {
  return { rows, metrics, slices };
}

function gate(thresholds: Threshold[], missingBaseline: 'skip' | 'fail' = 'skip'): GateDefinition {
  return { thresholds, missingBaseline };
}

describe('value thresholds', () => {
  it('pass inside the bounds, bounds included, and fail outside with the numbers', () => {
    const def = gate([{ kind: 'value', metric: 'accuracy', lower: 0.9 }, { kind: 'value', metric: 'latency_p95_ms', upper: 50 }]);
    const ok = evaluateGates(def, figures({ accuracy: 0.9, latency_p95_ms: 50 }), null);
    expect(ok.blessed).toBe(true);
    expect(ok.evidence.map((e) => e.passed)).toEqual([true, true]);

    const bad = evaluateGates(def, figures({ accuracy: 0.47, latency_p95_ms: 12 }), null);
    expect(bad.blessed).toBe(false);
    expect(bad.evidence[0]).toMatchObject({ metric: 'accuracy', candidate: 0.47, baseline: null, passed: false });
    expect(bad.evidence[0].reason).toContain('0.47 is below the lower bound 0.9');
  });

  it('never pass a NaN or a missing metric', () => {
    const def = gate([{ kind: 'value', metric: 'auc', lower: 0 }, { kind: 'value', metric: 'r2', upper: 1 }]);
    const d = evaluateGates(def, figures({ auc: NaN }), null);
    expect(d.blessed).toBe(false);
    expect(d.evidence[0].reason).toContain('NaN');
    expect(d.evidence[1].reason).toContain('has no r2');
  });
});

describe('change thresholds', () => {
  it('absolute: a tie passes the non-strict form and fails the strict one', () => {
    const c = figures({ accuracy: 0.8 });
    const b = figures({ accuracy: 0.8 });
    expect(evaluateGates(gate([{ kind: 'change', metric: 'accuracy', absolute: 0 }]), c, b).blessed).toBe(true);
    expect(evaluateGates(gate([{ kind: 'change', metric: 'accuracy', absolute: 0, strict: true }]), c, b).blessed).toBe(false);
  });

  it('absolute reads the better direction: higher for accuracy, lower for rmse', () => {
    const worse = evaluateGates(gate([{ kind: 'change', metric: 'accuracy', absolute: 0 }]), figures({ accuracy: 0.79 }), figures({ accuracy: 0.8 }));
    expect(worse.blessed).toBe(false);
    expect(worse.evidence[0]).toMatchObject({ candidate: 0.79, baseline: 0.8, passed: false });
    expect(worse.evidence[0].reason).toContain('v_c - v_b');

    const lowerRmse = evaluateGates(gate([{ kind: 'change', metric: 'rmse', absolute: 0 }]), figures({ rmse: 1.5 }), figures({ rmse: 2 }));
    expect(lowerRmse.blessed).toBe(true);
    const higherRmse = evaluateGates(gate([{ kind: 'change', metric: 'rmse', absolute: 0 }]), figures({ rmse: 2.5 }), figures({ rmse: 2 }));
    expect(higherRmse.blessed).toBe(false);
  });

  it('absolute tolerates a stated drop, forgiving rounding (0.9 - 0.8 meets 0.1)', () => {
    const def = gate([{ kind: 'change', metric: 'accuracy', absolute: -0.01 }]);
    expect(evaluateGates(def, figures({ accuracy: 0.795 }), figures({ accuracy: 0.8 })).blessed).toBe(true);
    expect(evaluateGates(def, figures({ accuracy: 0.78 }), figures({ accuracy: 0.8 })).blessed).toBe(false);
    const gain = gate([{ kind: 'change', metric: 'accuracy', absolute: 0.1 }]);
    expect(evaluateGates(gain, figures({ accuracy: 0.9 }), figures({ accuracy: 0.8 })).blessed).toBe(true);
  });

  it('relative is v_c / v_b in the better direction', () => {
    const def = gate([{ kind: 'change', metric: 'mae', relative: 1.05 }]);
    expect(evaluateGates(def, figures({ mae: 10.4 }), figures({ mae: 10 })).blessed).toBe(true);
    const d = evaluateGates(def, figures({ mae: 11 }), figures({ mae: 10 }));
    expect(d.blessed).toBe(false);
    expect(d.evidence[0].reason).toContain('v_c / v_b = 11 / 10 = 1.1');
    const up = gate([{ kind: 'change', metric: 'f1', relative: 1 }]);
    expect(evaluateGates(up, figures({ f1: 0.6 }), figures({ f1: 0.6 })).blessed).toBe(true);
    expect(evaluateGates(up, figures({ f1: 0.59 }), figures({ f1: 0.6 })).blessed).toBe(false);
  });

  it('relative against a zero baseline: a tie passes, anything else fails with the reason', () => {
    expect(relativeChange(0, 0)).toEqual({ ratio: 1, problem: null });
    const def = gate([{ kind: 'change', metric: 'mae', relative: 1 }]);
    expect(evaluateGates(def, figures({ mae: 0 }), figures({ mae: 0 })).blessed).toBe(true);
    const d = evaluateGates(def, figures({ mae: 0.1 }), figures({ mae: 0 }));
    expect(d.blessed).toBe(false);
    expect(d.evidence[0].reason).toContain('baseline of 0 is undefined');
    // Even a candidate that is better cannot pass a ratio that does not exist.
    const acc = evaluateGates(gate([{ kind: 'change', metric: 'accuracy', relative: 1 }]), figures({ accuracy: 0.5 }), figures({ accuracy: 0 }));
    expect(acc.blessed).toBe(false);
  });

  it('relative against a negative baseline is refused, not misread', () => {
    const d = evaluateGates(gate([{ kind: 'change', metric: 'r2', relative: 1 }]), figures({ r2: 0.2 }), figures({ r2: -0.5 }));
    expect(d.blessed).toBe(false);
    expect(d.evidence[0].reason).toContain('negative baseline');
  });

  it('both bounds must hold', () => {
    const def = gate([{ kind: 'change', metric: 'accuracy', absolute: 0, relative: 1.1 }]);
    const d = evaluateGates(def, figures({ accuracy: 0.85 }), figures({ accuracy: 0.8 }));
    expect(d.blessed).toBe(false);
    expect(d.evidence[0].reason).toContain('v_c / v_b');
  });

  it('NaN on either side never passes', () => {
    const def = gate([{ kind: 'change', metric: 'auc', absolute: -1 }]);
    expect(evaluateGates(def, figures({ auc: NaN }), figures({ auc: 0.7 })).blessed).toBe(false);
    const d = evaluateGates(def, figures({ auc: 0.9 }), figures({ auc: NaN }));
    expect(d.blessed).toBe(false);
    expect(d.evidence[0].reason).toContain("baseline's auc is NaN");
  });

  it('a metric of unknown direction uses the one stated', () => {
    const def = gate([{ kind: 'change', metric: 'throughput', absolute: 0, direction: 'higher' }]);
    expect(evaluateGates(def, figures({ throughput: 120 }), figures({ throughput: 100 })).blessed).toBe(true);
    const lower = gate([{ kind: 'change', metric: 'throughput', absolute: 0, direction: 'lower' }]);
    expect(evaluateGates(lower, figures({ throughput: 120 }), figures({ throughput: 100 })).blessed).toBe(false);
  });
});

describe('missing baseline', () => {
  const def = (rule: 'skip' | 'fail') =>
    gate([{ kind: 'value', metric: 'accuracy', lower: 0.5 }, { kind: 'change', metric: 'accuracy', absolute: 0 }, { kind: 'slices', metric: 'accuracy', maxDrop: 0.05 }], rule);

  it("'skip' skips change and slice thresholds with the reason, and value thresholds still decide", () => {
    const d = evaluateGates(def('skip'), figures({ accuracy: 0.8 }), null);
    expect(d.blessed).toBe(true);
    expect(d.evidence.map((e) => [e.kind, e.passed, e.skipped])).toEqual([
      ['value', true, false],
      ['change', true, true],
      ['slices', true, true],
    ]);
    expect(d.evidence[1].reason).toContain('no baseline');
    expect(evaluateGates(def('skip'), figures({ accuracy: 0.4 }), null).blessed).toBe(false);
  });

  it("'fail' fails them", () => {
    const d = evaluateGates(def('fail'), figures({ accuracy: 0.8 }), null);
    expect(d.blessed).toBe(false);
    expect(d.evidence[1]).toMatchObject({ passed: false, skipped: false });
  });
});

describe('same rows', () => {
  it('refuses to compare figures of different rows, with the reason, and blesses nothing', () => {
    const def = gate([{ kind: 'value', metric: 'accuracy', lower: 0.5 }, { kind: 'change', metric: 'accuracy', absolute: 0 }]);
    const d = evaluateGates(def, figures({ accuracy: 0.9 }, 'v1:3:abc'), figures({ accuracy: 0.8 }, 'v2:3:def'));
    expect(d.blessed).toBe(false);
    expect(d.refused).toContain('different rows');
    expect(d.evidence[0].passed).toBe(true);
    expect(d.evidence[1]).toMatchObject({ passed: false, reason: d.refused });
  });
});

describe('slice thresholds', () => {
  const slices = (a: number, b: number, countB = 40): GateFigures['slices'] => [
    { column: 'sex', value: 'F', count: 50, metrics: { accuracy: a } },
    { column: 'sex', value: 'M', count: countB, metrics: { accuracy: b } },
  ];

  it('fail the slice worse than the baseline by more than x, naming it', () => {
    const def = gate([{ kind: 'slices', metric: 'accuracy', maxDrop: 0.05, column: 'sex' }]);
    const d = evaluateGates(def, figures({}, ROWS, slices(0.9, 0.7)), figures({}, ROWS, slices(0.88, 0.8)));
    expect(d.blessed).toBe(false);
    const m = d.evidence.find((e) => e.slice === 'sex = M');
    expect(m).toMatchObject({ candidate: 0.7, baseline: 0.8, passed: false });
    expect(d.evidence.find((e) => e.slice === 'sex = F')?.passed).toBe(true);
  });

  it('a drop of exactly x passes; for MAE a rise is the drop', () => {
    const def = gate([{ kind: 'slices', metric: 'accuracy', maxDrop: 0.1 }]);
    expect(evaluateGates(def, figures({}, ROWS, slices(0.9, 0.7)), figures({}, ROWS, slices(0.9, 0.8))).blessed).toBe(true);
    const mae = gate([{ kind: 'slices', metric: 'mae', maxDrop: 1 }]);
    const s = (v: number): GateFigures['slices'] => [{ column: 'year', value: '2020', count: 9, metrics: { mae: v } }];
    expect(evaluateGates(mae, figures({}, ROWS, s(3.5)), figures({}, ROWS, s(2))).blessed).toBe(false);
    expect(evaluateGates(mae, figures({}, ROWS, s(1)), figures({}, ROWS, s(2))).blessed).toBe(true);
  });

  it('skip small slices and slices the baseline lacks; fail when there are no slices at all', () => {
    const def = gate([{ kind: 'slices', metric: 'accuracy', maxDrop: 0, minRows: 45 }]);
    const d = evaluateGates(def, figures({}, ROWS, slices(0.9, 0.1)), figures({}, ROWS, (slices(0.9, 0.9) ?? []).slice(0, 1)));
    expect(d.blessed).toBe(true);
    expect(d.evidence[1]).toMatchObject({ slice: 'sex = M', skipped: true });
    const none = evaluateGates(gate([{ kind: 'slices', metric: 'accuracy', maxDrop: 0, column: 'age' }]), figures({}, ROWS, slices(1, 1)), figures({}, ROWS, slices(1, 1)));
    expect(none.blessed).toBe(false);
    expect(none.evidence[0].reason).toContain('no slices of column age');
  });

  it('a NaN slice never passes', () => {
    const def = gate([{ kind: 'slices', metric: 'accuracy', maxDrop: 1 }]);
    expect(evaluateGates(def, figures({}, ROWS, slices(NaN, 0.8)), figures({}, ROWS, slices(0.9, 0.8))).blessed).toBe(false);
  });
});
