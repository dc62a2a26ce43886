import { describe, expect, it } from 'vitest';
import { evaluateGates } from '../../../src/core/deliver/gates';
import { defaultGate, goalValue, summarizeDecision, withBaselineReason } from '../../../src/core/deliver/promotion/default-gate';
import type { ClassificationEvaluation, RegressionEvaluation } from '../../../src/core/evaluate/types';

const rows = 'v1:40:0123456789abcdef';
const figures = (metric: string, value: number) => ({ rows, metrics: { [metric]: value } });

describe('the default gate in front of champion', () => {
  it('blesses a candidate that reaches the bar and is no worse than the champion (a tie passes)', () => {
    const d = evaluateGates(defaultGate({ metric: 'accuracy', bar: 0.9 }), figures('accuracy', 0.95), figures('accuracy', 0.95));
    expect(d.blessed).toBe(true);
    expect(d.evidence.map((e) => [e.kind, e.candidate, e.baseline, e.passed])).toEqual([
      ['value', 0.95, null, true],
      ['change', 0.95, 0.95, true],
    ]);
  });

  it('refuses a candidate worse than the champion even above the bar, with both numbers', () => {
    const d = evaluateGates(defaultGate({ metric: 'accuracy', bar: 0.9 }), figures('accuracy', 0.92), figures('accuracy', 0.97));
    expect(d.blessed).toBe(false);
    expect(d.evidence[1]).toMatchObject({ candidate: 0.92, baseline: 0.97, passed: false });
    expect(summarizeDecision(d)).toBe(
      `not blessed on rows ${rows} (value accuracy: candidate 0.9200, baseline — passed; change accuracy: candidate 0.9200, baseline 0.9700 failed)`,
    );
  });

  it('reads an error metric as at most the bar', () => {
    const gate = defaultGate({ metric: 'mae', bar: 2 });
    expect(gate.thresholds[0]).toEqual({ kind: 'value', metric: 'mae', upper: 2 });
    expect(evaluateGates(gate, figures('mae', 2.5), null).blessed).toBe(false);
    expect(evaluateGates(gate, figures('mae', 1.5), figures('mae', 1.6)).blessed).toBe(true);
  });

  it('skips the comparison with the reason the champion could not be scored', () => {
    const d = withBaselineReason(evaluateGates(defaultGate({ metric: 'accuracy', bar: 0.5 }), figures('accuracy', 0.8), null), 'no Island column');
    expect(d.blessed).toBe(true);
    expect(d.evidence.map((e) => [e.skipped, e.reason])).toEqual([
      [false, expect.any(String)],
      [true, 'no Island column'],
    ]);
  });

  it('takes the goal metric from an evaluation with the trainer’s definitions (macro averages)', () => {
    const c = { task: 'classification', figures: { task: 'classification', accuracy: 0.8, macro: { precision: 0.7, recall: 0.6, f1: 0.65 } } } as unknown as ClassificationEvaluation;
    const r = { task: 'regression', figures: { task: 'regression', mae: 1, rmse: 2, r2: 0.5 } } as unknown as RegressionEvaluation;
    expect(goalValue('accuracy', c)).toBe(0.8);
    expect(goalValue('f1', c)).toBe(0.65);
    expect(goalValue('rmse', r)).toBe(2);
    expect(() => goalValue('r2', c)).toThrow(/not a figure of a classification evaluation/);
  });
});
