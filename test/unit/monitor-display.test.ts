import { describe, expect, test } from 'vitest';
import type { AlertRule } from '../../src/core/monitor/alerts/types';
import { SIGNALS } from '../../src/core/monitor/alerts/signals';
import type { ColumnDrift } from '../../src/core/monitor/stats/column-drift';
import type { CategoryDrill, HistogramDrill } from '../../src/core/monitor/windows/drill';
import {
  HOUR_MS,
  categoryBars,
  dashboardPanels,
  estimateBand,
  formatScore,
  formatShare,
  formatTick,
  formatValue,
  heatLevel,
  histogramBars,
  lastValueSummary,
  rowTests,
  thresholdLines,
  windowFormOf,
  windowLabel,
  windowSpecOf,
  windowText,
} from '../../src/ui/monitor-display';

const unitOf = (s: keyof typeof SIGNALS) => SIGNALS[s].unit;

function rule(over: Partial<AlertRule>): AlertRule {
  return {
    id: 'r1',
    name: 'Too many errors',
    signal: 'error_rate',
    window: { kind: 'count', size: 100 },
    comparator: '>',
    threshold: 0.05,
    for: 1,
    severity: 'warning',
    ...over,
  };
}

const drift: ColumnDrift = {
  kind: 'numeric',
  test: 'ks',
  threshold: 0.05,
  statistic: 0.4,
  pValue: 0.001,
  score: 0.001,
  drifted: true,
  psi: 0.3,
  rows: { reference: 10, current: 4 },
  missing: { reference: 0, current: 1 },
  status: 'ok',
};

describe('window form', () => {
  test('count windows take whole request counts; time windows take hours', () => {
    expect(windowSpecOf({ kind: 'count', size: 250 })).toEqual({ spec: { kind: 'count', size: 250 } });
    expect(windowSpecOf({ kind: 'time', size: 1.5 })).toEqual({ spec: { kind: 'time', ms: 1.5 * HOUR_MS } });
    expect(windowFormOf({ kind: 'time', ms: 6 * HOUR_MS })).toEqual({ kind: 'time', size: 6 });
    expect(windowFormOf({ kind: 'count', size: 40 })).toEqual({ kind: 'count', size: 40 });
  });

  test('a size the worker cannot use is refused, naming the field and the value', () => {
    expect(windowSpecOf({ kind: 'count', size: 0 })).toEqual({ problem: 'Requests per window must be a whole number of 1 or more, not 0.' });
    expect(windowSpecOf({ kind: 'count', size: 2.5 })).toHaveProperty('problem', expect.stringContaining('not 2.5'));
    expect(windowSpecOf({ kind: 'time', size: Number.NaN })).toEqual({ problem: 'Hours per window must be more than 0, not empty.' });
    expect(windowSpecOf({ kind: 'time', size: -1 })).toHaveProperty('problem', expect.stringContaining('Hours per window'));
  });

  test('windows are described in the unit they were chosen in', () => {
    expect(windowText({ kind: 'count', size: 1 })).toBe('windows of 1 request');
    expect(windowText({ kind: 'count', size: 500 })).toBe('windows of 500 requests');
    expect(windowText({ kind: 'time', ms: 24 * HOUR_MS })).toBe('windows of 24 hours');
    expect(windowText({ kind: 'time', ms: 90 * 60_000 })).toBe('windows of 90 minutes');
  });

  test('a window reads with its span in UTC, its size, and whether it is still filling', () => {
    const start = Date.UTC(2024, 4, 1, 10);
    expect(windowLabel({ index: 3, start, end: start + HOUR_MS, requests: 1, complete: true })).toBe(
      'Window 3: 2024-05-01T10:00:00Z to 2024-05-01T11:00:00Z, 1 request',
    );
    expect(windowLabel({ index: 4, start, end: start + HOUR_MS, requests: 7, complete: false })).toMatch(/7 requests \(still filling\)$/);
  });
});

describe('panels', () => {
  test('classification shows estimated beside realized accuracy with a band, and the one-class check', () => {
    const panels = dashboardPanels('classification');
    const signals = panels.flatMap((p) => p.lines.map((l) => l.signal));
    expect(signals).toEqual(expect.arrayContaining(['requests', 'error_rate', 'prediction_drift', 'drifted_share', 'missing_share', 'unseen_category_share', 'out_of_range_share', 'top_class_share', 'score_std']));
    expect(signals).not.toContain('mae_realized');
    const accuracy = panels.find((p) => p.id === 'accuracy')!;
    expect(accuracy.lines.map((l) => l.signal)).toEqual(['accuracy_estimated', 'accuracy_realized']);
    expect(accuracy.band).toBe(true);
    expect(panels.find((p) => p.id === 'latency')!.lines.map((l) => l.signal)).toEqual(['latency_p50_ms', 'latency_p95_ms', 'latency_p99_ms']);
    // System first, as a DevOps dashboard reads, then ML.
    expect(panels.findIndex((p) => p.side === 'ml')).toBeGreaterThan(panels.findLastIndex((p) => p.side === 'system'));
  });

  test('regression shows realized MAE and no class figures', () => {
    const signals = dashboardPanels('regression').flatMap((p) => p.lines.map((l) => l.signal));
    expect(signals).toContain('mae_realized');
    expect(signals).not.toContain('accuracy_estimated');
    expect(signals).not.toContain('top_class_share');
  });

  test('the CBPE band follows each window, with gaps where there is no estimate', () => {
    const est = (value: number) => ({ rows: 10, accuracy: { value, standardError: 0.01, lower: value - 0.03, upper: value + 0.03 }, macroF1: { value, standardError: 0, lower: value, upper: value } });
    const perf = (e: ReturnType<typeof est> | null) => ({ performance: { estimated: e, realized: null, labelled: 0, asOf: null } });
    expect(estimateBand([perf(est(0.9)), perf(null)])).toEqual({ lower: [0.9 - 0.03, null], upper: [0.9 + 0.03, null] });
  });

  test('alert rules on a panel signal become lines labelled with their comparator; column rules stay off', () => {
    const rules = [
      rule({}),
      rule({ id: 'r2', name: 'Slow', signal: 'latency_p95_ms', comparator: '>=', threshold: 250, window: { kind: 'time', ms: HOUR_MS } }),
      rule({ id: 'r3', name: 'Blank mass', signal: 'missing_share', column: 'Body Mass (g)', threshold: 0.1 }),
      rule({ id: 'r4', name: 'Blank', signal: 'missing_share', comparator: '>=', threshold: 0.2 }),
    ];
    const shown = { kind: 'count', size: 100 } as const;
    expect(thresholdLines(rules, [{ signal: 'error_rate', label: 'Error rate' }], unitOf, shown)).toEqual([
      { ruleId: 'r1', signal: 'error_rate', value: 0.05, label: 'alert "Too many errors": > 5.0%' },
    ]);
    const latency = dashboardPanels('classification').find((p) => p.id === 'latency')!;
    expect(thresholdLines(rules, latency.lines, unitOf, shown)).toEqual([
      { ruleId: 'r2', signal: 'latency_p95_ms', value: 250, label: 'alert "Slow": p95 >= 250.0 ms (rule on windows of 1 hour)' },
    ]);
    expect(thresholdLines(rules, [{ signal: 'missing_share', label: 'Missing share' }], unitOf, shown).map((t) => t.ruleId)).toEqual(['r4']);
  });

  test('the accessible summary names the newest window and each line', () => {
    expect(lastValueSummary('Latency', [{ label: 'p50', values: [2, 3] }, { label: 'p95', values: [9, 12.5] }], 'ms')).toBe(
      'Latency: newest window (1) p50 3.00 ms, p95 12.5 ms, over 2 windows',
    );
    expect(lastValueSummary('Error rate', [{ label: 'Error rate', values: [null] }], 'share')).toBe('Error rate: newest window (0) –, over 1 window');
    expect(lastValueSummary('Requests', [{ label: 'Requests', values: [] }], 'requests')).toBe('Requests: no windows yet');
  });
});

describe('values', () => {
  test('each unit reads its own way', () => {
    expect(formatValue(0.1234, 'share')).toBe('12.3%');
    expect(formatValue(120, 'requests')).toBe('120');
    expect(formatValue(3.14159, 'ms')).toBe('3.14 ms');
    expect(formatValue(0.00002, 'statistic')).toBe('2.0e-5');
    expect(formatValue(12.3456, 'target units')).toBe('12.35');
    expect(formatValue(null, 'share')).toBe('–');
  });

  test('count axes label whole ticks only', () => {
    expect([0, 0.5, 1].map((v) => formatTick(v, 'requests'))).toEqual(['0', '', '1']);
    expect(formatTick(0.5, 'share')).toBe('50.0%');
  });

  test('small shares and p-values keep a significant digit instead of rounding to zero', () => {
    expect(formatShare(0.0004)).toBe('0.04%');
    expect(formatShare(0)).toBe('0.0%');
    expect(formatScore(0.0499)).toBe('0.0499');
    expect(formatScore(3.2e-7)).toBe('3.2e-7');
    expect(formatScore(0)).toBe('0');
  });
});

describe('heat map', () => {
  test('p-values drift below their threshold, distances at or above it; near is within a factor of two', () => {
    expect(heatLevel({ score: 0.01, drifted: true, threshold: 0.05 }, 'p-value')).toBe('drifted');
    expect(heatLevel({ score: 0.08, drifted: false, threshold: 0.05 }, 'p-value')).toBe('near');
    expect(heatLevel({ score: 0.6, drifted: false, threshold: 0.05 }, 'p-value')).toBe('calm');
    expect(heatLevel({ score: 0.07, drifted: false, threshold: 0.1 }, 'distance')).toBe('near');
    expect(heatLevel({ score: 0.02, drifted: false, threshold: 0.1 }, 'distance')).toBe('calm');
    expect(heatLevel({ score: null, drifted: false, threshold: 0.1 }, 'distance')).toBe('untested');
  });

  test('a row lists every test its windows used, once', () => {
    expect(rowTests([{ test: 'ks' }, { test: 'chisquare' }, { test: 'ks' }, { test: '' }])).toEqual(['ks', 'chisquare']);
  });
});

describe('drill-down shares', () => {
  test('histogram bins are shares of each side, labelled by the shared edges', () => {
    const drill: HistogramDrill = {
      kind: 'numeric',
      column: 'x',
      dates: false,
      edges: [0, 5, 10],
      reference: [6, 2],
      current: [1, 3],
      missing: { reference: 0, current: 1 },
      drift,
    };
    expect(histogramBars(drill)).toEqual([
      { label: '0 to 5', reference: 0.75, current: 0.25, referenceCount: 6, currentCount: 1, unseen: false },
      { label: '5 to 10', reference: 0.25, current: 0.75, referenceCount: 2, currentCount: 3, unseen: false },
    ]);
  });

  test('date bins are labelled by day', () => {
    const day = Date.UTC(2020, 0, 1);
    const drill: HistogramDrill = { kind: 'numeric', column: 'd', dates: true, edges: [day, day + 86_400_000], reference: [1], current: [0], missing: { reference: 0, current: 0 }, drift };
    expect(histogramBars(drill)[0]).toMatchObject({ label: '2020-01-01 to 2020-01-02', reference: 1, current: 0 });
  });

  test('category bars keep the unseen mark, and the summed rest counts in both sides\' totals', () => {
    const drill: CategoryDrill = {
      kind: 'categorical',
      column: 'Island',
      bars: [
        { category: 'Biscoe', reference: 6, current: 1, unseen: false },
        { category: 'Atlantis', reference: 0, current: 2, unseen: true },
      ],
      other: { categories: 3, reference: 2, current: 1 },
      missing: { reference: 0, current: 0 },
      drift: { ...drift, kind: 'categorical', test: 'chisquare' },
    };
    const bars = categoryBars(drill);
    expect(bars.map((b) => [b.label, b.reference, b.current, b.unseen])).toEqual([
      ['Biscoe', 0.75, 0.25, false],
      ['Atlantis', 0, 0.5, true],
      ['3 other categories', 0.25, 0.25, false],
    ]);
  });
});
