// The signals of a window on hand-made logs whose answers are known: system figures, "is it answering at all",
// drift, data quality, performance, overrides, and the alert signal each figure feeds.

import { describe, expect, it } from 'vitest';
import { chunksOf } from '../../../src/core/monitor/log/chunk-builder';
import { ALERT_SIGNALS } from '../../../src/core/monitor/alerts/signals';
import { predictionOf } from '../../../src/core/serving/check.js';
import type { Preprocessor } from '../../../src/core/shared/types';
import { driftOfColumn } from '../../../src/core/monitor/stats/column-drift';
import { isNonFiniteOutputError } from '../../../src/core/monitor/windows/rows';
import { referenceProfile } from '../../../src/core/monitor/windows/reference';
import { SIGNAL_READS, driftDirection, signalValue, windowSignals } from '../../../src/core/monitor/windows/signals';
import { splitWindows } from '../../../src/core/monitor/windows/windows';
import { build } from '../../fixtures/recipe-tables';
import { CLASSES, classifierReference, oneWindow, referencePredictions, request, windowsOf } from './windows-fixtures';
import { estimateCbpe, fitCbpe } from '../../../src/core/monitor/stats/cbpe';
import { regressor } from './log-fixtures';

const ref = classifierReference();

/** The message the serving path logs for a NaN model output. */
const nanMessage = (() => {
  const p = predictionOf({} as Preprocessor, [NaN, 0.2], []);
  if (p.ok) throw new Error('predictionOf answered a NaN output');
  return p.error;
})();

describe('system signals', () => {
  it('count requests and errors, and take latency quantiles over every request', () => {
    const requests = Array.from({ length: 20 }, (_, id) => request(id, { latencyMs: id + 1 }));
    requests[3] = { ...requests[3], output: null, probabilities: null, error: 'The input could not be read.' };
    requests[7] = { ...requests[7], output: null, probabilities: null, error: nanMessage };
    requests[8] = { ...requests[8], output: null, probabilities: null, error: nanMessage };
    const { chunks, window } = oneWindow(requests);
    const s = windowSignals(window, chunks, ref);
    expect(s).toMatchObject({ requests: 20, errors: 3, errorRate: 0.15, nanOutputs: 2 });
    // numpy.quantile([1..20], q): 10.5, 19.05, 19.81.
    expect(s.latency.p50).toBeCloseTo(10.5, 10);
    expect(s.latency.p95).toBeCloseTo(19.05, 10);
    expect(s.latency.p99).toBeCloseTo(19.81, 10);
  });

  it('recognise the serving path\'s NaN and infinite output errors, and only those', () => {
    expect(isNonFiniteOutputError(nanMessage)).toBe(true);
    const inf = predictionOf({} as Preprocessor, [-Infinity], []);
    expect(!inf.ok && isNonFiniteOutputError(inf.error)).toBe(true);
    expect(isNonFiniteOutputError('The input could not be read.')).toBe(false);
  });

  it('give an empty window no rates, no latency and no drift verdict', () => {
    const { chunks } = oneWindow([request(0), request(1)]);
    // A time window with no request in it: the gap between two bursts.
    const gap = windowsOf([request(0, { at: 0 }), request(1, { at: 250 })], 1);
    const [, empty] = splitWindows(gap.chunks, { kind: 'time', ms: 100 });
    expect(empty.requests).toBe(0);
    const s = windowSignals(empty, gap.chunks, ref);
    expect(s).toMatchObject({ requests: 0, errors: 0, errorRate: null, latency: { p50: null, p95: null, p99: null }, topClassShare: null, driftedShare: null, datasetDrifted: false });
    expect(s.features.every((f) => f.status === 'empty-current' && !f.drifted)).toBe(true);
    expect(s.quality).toMatchObject({ missingShare: null, outOfRangeShare: null, unseenCategoryShare: null, expectations: [] });
    expect(s.performance).toMatchObject({ estimated: null, realized: null, labelled: 0 });
    expect(chunks).toHaveLength(1);
  });
});

describe('is it answering at all', () => {
  it('an all-one-class window with constant probabilities has top class share 1 and score std 0', () => {
    const requests = Array.from({ length: 30 }, (_, id) => request(id, { output: 'Gentoo', probabilities: [0.1, 0.2, 0.7] }));
    const { chunks, window } = oneWindow(requests);
    const s = windowSignals(window, chunks, ref);
    expect(s.classShares).toEqual([0, 0, 1]);
    expect(s.topClassShare).toBe(1);
    expect(s.scoreStd).toBe(0);
    expect(signalValue(s, 'top_class_share')).toBe(1);
    expect(signalValue(s, 'score_std')).toBe(0);
  });

  it('a healthy window spreads its classes and its scores', () => {
    // Top probabilities 0.5 and 0.75 in turn (exact in float32): std 0.125.
    const requests = Array.from({ length: 30 }, (_, id) => {
      const top = id % 2 === 0 ? 0.5 : 0.75;
      const p = [(1 - top) / 2, (1 - top) / 2, (1 - top) / 2];
      p[id % 3] = top;
      return request(id, { probabilities: p });
    });
    const { chunks, window } = oneWindow(requests);
    const s = windowSignals(window, chunks, ref);
    expect(s.classShares).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(s.topClassShare).toBeCloseTo(1 / 3, 12);
    expect(s.scoreStd).toBeCloseTo(0.125, 7);
  });
});

describe('drift', () => {
  it('finds a shifted numeric column drifted in the later window and not in the first', () => {
    const requests = Array.from({ length: 40 }, (_, id) =>
      request(id, id < 20 ? {} : { inputs: { bill_length_mm: 60 + id, island: ['Biscoe', 'Dream', 'Torgersen'][id % 3], sex: 'male' } }),
    );
    const { chunks, windows } = windowsOf(requests, 20);
    const [before, after] = windows.map((w) => windowSignals(w, chunks, ref));
    const bill = (s: typeof before) => s.features.find((f) => f.column === 'bill_length_mm')!;
    // 20 reference rows and > 5 values: the K-S test. The first window repeats the reference exactly.
    expect(bill(before)).toMatchObject({ test: 'ks', statistic: 0, drifted: false });
    expect(bill(after)).toMatchObject({ test: 'ks', statistic: 1, drifted: true });
    expect(bill(after).pValue).toBeLessThan(1e-6);
    // The same figure the stats module gives for the same samples.
    const live = Float64Array.from({ length: 20 }, (_, i) => 80 + i);
    const refBill = Float64Array.from({ length: 20 }, (_, i) => 30 + i);
    expect(bill(after).pValue).toBe(driftOfColumn(refBill, live, 'numeric').pValue);
    // Only sex (all male now) moved with it: 2 of 3 columns.
    expect(after.features.find((f) => f.column === 'sex')!.drifted).toBe(true);
    expect(after.driftedShare).toBeCloseTo(2 / 3, 12);
    expect(after.datasetDrifted).toBe(true);
    expect(before.driftedShare).toBe(0);
    expect(signalValue(after, 'feature_drift', 'bill_length_mm')).toBe(bill(after).pValue);
    expect(driftDirection(bill(after))).toBe('below');
    expect(signalValue(after, 'feature_drift', 'no such column')).toBeNull();
  });

  it('applies a per-column override of test and threshold, and refuses one for an unknown column', () => {
    const requests = Array.from({ length: 20 }, (_, id) => request(id));
    const { chunks, window } = oneWindow(requests);
    const s = windowSignals(window, chunks, ref, { overrides: { bill_length_mm: { test: 'wasserstein', threshold: 0.3 }, island: { threshold: 0.01 } } });
    expect(s.features.find((f) => f.column === 'bill_length_mm')).toMatchObject({ test: 'wasserstein', threshold: 0.3, statistic: 0 });
    expect(s.features.find((f) => f.column === 'island')).toMatchObject({ test: 'chisquare', threshold: 0.01 });
    expect(s.features.find((f) => f.column === 'sex')).toMatchObject({ test: 'z', threshold: 0.05 });
    expect(driftDirection(s.features[0])).toBe('above');
    expect(() => windowSignals(window, chunks, ref, { overrides: { bill: { threshold: 0.1 } } })).toThrow(/"bill", not an input column/);
    expect(() => windowSignals(window, chunks, ref, { overrides: { island: { test: 'ks' } } })).toThrow(/ks test does not apply to a categorical column/);
  });

  it('compares predicted classes with the predictions on the reference, when they were given', () => {
    const healthy = oneWindow(Array.from({ length: 30 }, (_, id) => request(id)));
    const allGentoo = oneWindow(Array.from({ length: 30 }, (_, id) => request(id, { output: 'Gentoo' })));
    const a = windowSignals(healthy.window, healthy.chunks, ref);
    const b = windowSignals(allGentoo.window, allGentoo.chunks, ref);
    expect(a.predictionDrift).toMatchObject({ column: 'prediction', test: 'chisquare', drifted: false });
    expect(b.predictionDrift).toMatchObject({ test: 'chisquare', drifted: true });
    expect(signalValue(b, 'prediction_drift')).toBe(b.predictionDrift!.pValue);
    const without = windowSignals(healthy.window, healthy.chunks, classifierReference(null));
    expect(without.predictionDrift).toBeNull();
    expect(without.performance.estimated).toBeNull();
    expect(signalValue(without, 'prediction_drift')).toBeNull();
  });
});

describe('data quality', () => {
  it('counts missing cells per column and overall: null, a missing spelling, an absent input, not unreadable text', () => {
    const requests = Array.from({ length: 10 }, (_, id) => request(id));
    requests[1] = request(1, { inputs: { bill_length_mm: null, island: 'Dream', sex: 'male' } });
    requests[2] = request(2, { inputs: { bill_length_mm: 'NA', island: ' ', sex: 'female' } });
    requests[5] = request(5, { inputs: { island: 'Torgersen', sex: 'male' } });
    requests[6] = request(6, { inputs: { bill_length_mm: 'n.a.', island: 'Biscoe', sex: 'female' } });
    const { chunks, window } = oneWindow(requests);
    const s = windowSignals(window, chunks, ref, {
      expectations: [{ id: 'missing:bill_length_mm', kind: 'missing', enabled: true, column: 'bill_length_mm', maxFraction: 0.1 }],
    });
    expect(s.quality.columns).toEqual([
      { column: 'bill_length_mm', missingShare: 0.3, unseenShare: null },
      { column: 'island', missingShare: 0.1, unseenShare: 0 },
      { column: 'sex', missingShare: 0, unseenShare: 0 },
    ]);
    expect(s.quality.missingShare).toBeCloseTo(4 / 30, 12);
    expect(signalValue(s, 'missing_share')).toBeCloseTo(4 / 30, 12);
    expect(signalValue(s, 'missing_share', 'bill_length_mm')).toBe(0.3);
    // "n.a." is no missing spelling: the cell is present but no number, so the drift test leaves it out with the rest.
    expect(s.features[0].missing.current).toBe(4);
    // The expectation fails with its first three missing rows, as they arrived.
    expect(s.quality.expectations).toEqual([
      {
        id: 'missing:bill_length_mm',
        kind: 'missing',
        column: 'bill_length_mm',
        failingRows: 3,
        share: 0.3,
        detail: '3 of 10 missing (30%); at most 10% allowed.',
        examples: [
          { requestId: 1, at: 1010, value: '' },
          { requestId: 2, at: 1020, value: 'NA' },
          { requestId: 5, at: 1050, value: '' },
        ],
      },
    ]);
  });

  it('counts requests with a category training never saw, per column and overall', () => {
    const requests = Array.from({ length: 8 }, (_, id) => request(id));
    requests[2] = request(2, { inputs: { bill_length_mm: 31, island: 'Atlantis', sex: 'female' } });
    requests[5] = request(5, { inputs: { bill_length_mm: 31, island: 'Atlantis', sex: 'unknown' } });
    requests[6] = request(6, { inputs: { bill_length_mm: 31, island: 'Dream', sex: 'other' } });
    const { chunks, window } = oneWindow(requests);
    const s = windowSignals(window, chunks, ref, {
      expectations: [{ id: 'categories:island', kind: 'categories', enabled: true, column: 'island', allowed: ['Biscoe', 'Dream', 'Torgersen'] }],
    });
    expect(s.quality.columns.map((c) => c.unseenShare)).toEqual([null, 2 / 8, 2 / 8]);
    // Rows 2, 5 and 6: three requests.
    expect(s.quality.unseenCategoryShare).toBe(3 / 8);
    expect(signalValue(s, 'unseen_category_share')).toBe(3 / 8);
    expect(s.quality.expectations[0]).toMatchObject({ id: 'categories:island', failingRows: 2, examples: [{ requestId: 2, value: 'Atlantis' }, { requestId: 5, value: 'Atlantis' }] });
  });

  it('takes the out-of-range share from the serving checker\'s warnings', () => {
    const warning = { kind: 'out-of-range' as const, column: 'bill_length_mm', value: '900', message: 'outside the training range' };
    const requests = Array.from({ length: 10 }, (_, id) => request(id, id < 3 ? { warnings: [warning] } : {}));
    const { chunks, window } = oneWindow(requests);
    const s = windowSignals(window, chunks, ref);
    expect(s.quality.outOfRangeShare).toBe(0.3);
    expect(signalValue(s, 'out_of_range_share')).toBe(0.3);
  });

  it('checks ranges and types of the suite on raw inputs, skipping what does not apply', () => {
    const unreadable = { kind: 'unparseable-number' as const, column: 'bill_length_mm', value: 'long', message: '"long" is not a number' };
    const requests = Array.from({ length: 10 }, (_, id) => request(id, { inputs: { bill_length_mm: id === 9 ? 'long' : 28 + id, island: 'Dream', sex: 'male' } }));
    requests[9] = { ...requests[9], warnings: [unreadable] };
    const { chunks, window } = oneWindow(requests);
    const s = windowSignals(window, chunks, ref, {
      expectations: [
        { id: 'range:bill_length_mm', kind: 'range', enabled: true, column: 'bill_length_mm', min: 30, max: 34 },
        { id: 'type:bill_length_mm', kind: 'type', enabled: true, column: 'bill_length_mm', type: 'number' },
        { id: 'type:island', kind: 'type', enabled: true, column: 'island', type: 'category' },
        { id: 'disabled', kind: 'range', enabled: false, column: 'bill_length_mm', min: 0, max: 1 },
        { id: 'row-count', kind: 'row-count', enabled: true, min: 1000, max: 2000 },
        { id: 'missing:species', kind: 'missing', enabled: true, column: 'species', maxFraction: 0 },
      ],
    });
    // 28, 29 below; 35, 36 above ("long" is no number, so not out of range).
    expect(s.quality.expectations.map((e) => [e.id, e.failingRows, e.examples.map((x) => x.value)])).toEqual([
      ['range:bill_length_mm', 4, ['28', '29', '35']],
      ['type:bill_length_mm', 1, ['long']],
    ]);
    expect(s.quality.expectationsChecked).toBe(3);
  });
});

describe('performance', () => {
  it('realizes accuracy only from labels known by asOf', () => {
    // Ten requests answered with class id mod 3; labels for 0..5, wrong for 4 and 5, which arrive late (t = 5000).
    const requests = Array.from({ length: 10 }, (_, id) => {
      if (id > 5) return request(id);
      const right = CLASSES[id % 3];
      const wrong = CLASSES[(id + 1) % 3];
      return request(id, id < 4 ? { label: right, labelAt: 2000 } : { label: wrong, labelAt: 5000 });
    });
    const { chunks, window } = oneWindow(requests);
    const early = windowSignals(window, chunks, ref, { asOf: 3000 });
    const late = windowSignals(window, chunks, ref, { asOf: 6000 });
    const all = windowSignals(window, chunks, ref);
    const none = windowSignals(window, chunks, ref, { asOf: 1000 });
    expect(early.performance).toMatchObject({ labelled: 4, realized: { task: 'classification', accuracy: 1 }, asOf: 3000 });
    expect(late.performance).toMatchObject({ labelled: 6, realized: { accuracy: 4 / 6 } });
    expect(all.performance).toMatchObject({ labelled: 6, asOf: null });
    expect(none.performance).toMatchObject({ labelled: 0, realized: null });
    expect(signalValue(early, 'accuracy_realized')).toBe(1);
    expect(signalValue(late, 'accuracy_realized')).toBeCloseTo(4 / 6, 12);
    expect(signalValue(none, 'accuracy_realized')).toBeNull();
    expect(signalValue(late, 'mae_realized')).toBeNull();
  });

  it('leaves error rows out of realized performance', () => {
    const requests = [request(0, { label: CLASSES[0] }), request(1, { label: CLASSES[0], output: null, probabilities: null, error: 'failed' })];
    const { chunks, window } = oneWindow(requests);
    expect(windowSignals(window, chunks, ref).performance).toMatchObject({ labelled: 1, realized: { accuracy: 1 } });
  });

  it('estimates accuracy with CBPE, fitted on the reference, from the rows that answered with probabilities', () => {
    const requests = Array.from({ length: 30 }, (_, id) => request(id));
    requests[4] = { ...requests[4], output: null, probabilities: null, error: 'failed' };
    requests[9] = { ...requests[9], probabilities: null };
    const { chunks, window } = oneWindow(requests);
    const s = windowSignals(window, chunks, ref);
    const estimated = s.performance.estimated!;
    expect(estimated.rows).toBe(28);
    // The same estimate as the stats module gives on those 28 rows, with no label in the window.
    const p = referencePredictions();
    const model = fitCbpe({ probabilities: Float64Array.from(p.probabilities!), labels: Int32Array.from(p.truth!), classCount: 3, predicted: Int32Array.from(p.predicted) });
    const kept = Array.from({ length: 30 }, (_, id) => id).filter((id) => id !== 4 && id !== 9);
    const probabilities = Float64Array.from(kept.flatMap((id) => requests[id].probabilities!));
    const expected = estimateCbpe(model, probabilities, Int32Array.from(kept, (id) => id % 3));
    expect(estimated.accuracy).toEqual(expected.accuracy);
    expect(estimated.macroF1).toEqual(expected.macroF1);
    expect(s.performance.labelled).toBe(0);
    expect(signalValue(s, 'accuracy_estimated')).toBe(expected.accuracy.value);
  });
});

describe('regression windows', () => {
  const { schema, table } = build([
    { name: 'hp', values: [100, 120, 140, 160, 180, 200] },
    { name: 'mpg', role: 'target', values: [30, 28, 26, 24, 22, 20] },
  ]);
  const regRef = referenceProfile({
    schema,
    table,
    rows: Int32Array.from([0, 1, 2, 3, 4, 5]),
    task: 'regression',
    classes: [],
    predictions: { predicted: Float64Array.from([29, 28, 27, 24, 22, 21]), probabilities: null, truth: Float64Array.from([30, 28, 26, 24, 22, 20]) },
  });

  it('summarise the predicted values and realize MAE from labels known by asOf', () => {
    const outputs = [20, 22, 24, 26, 28];
    const requests = outputs.map((output, id) => ({
      id,
      at: 100 * id,
      inputs: { hp: 100 + 20 * id },
      output,
      probabilities: null,
      latencyMs: 1,
      warnings: [],
      ...(id < 2 ? { label: output + 2, labelAt: 1000 } : id < 4 ? { label: output - 4, labelAt: 9000 } : {}),
    }));
    const chunks = chunksOf(regressor(), requests);
    const [window] = splitWindows(chunks, { kind: 'count', size: 5 });
    const s = windowSignals(window, chunks, regRef, { asOf: 5000 });
    expect(s.classShares).toBeNull();
    expect(s.topClassShare).toBeNull();
    expect(s.valueSummary).toEqual({ mean: 24, std: Math.sqrt(8), min: 20, max: 28, p50: 24 });
    expect(s.scoreStd).toBe(Math.sqrt(8));
    expect(s.performance).toMatchObject({ estimated: null, labelled: 2, realized: { task: 'regression', mae: 2, rmse: 2 } });
    expect(signalValue(s, 'mae_realized')).toBe(2);
    expect(signalValue(s, 'accuracy_realized')).toBeNull();
    expect(windowSignals(window, chunks, regRef).performance.realized).toMatchObject({ mae: 3 });
    expect(s.predictionDrift).toMatchObject({ kind: 'numeric', column: 'prediction' });
  });
});

describe('signalValue', () => {
  it('has a value and a documented figure for every alert signal', () => {
    const { chunks, window } = oneWindow(Array.from({ length: 12 }, (_, id) => request(id, { label: CLASSES[id % 3] })));
    const s = windowSignals(window, chunks, ref);
    const regressionOnly = new Set(['mae_realized']);
    for (const signal of ALERT_SIGNALS) {
      expect(SIGNAL_READS[signal], signal).toBeTruthy();
      const value = signalValue(s, signal, signal === 'feature_drift' ? 'island' : undefined);
      if (regressionOnly.has(signal)) expect(value, signal).toBeNull();
      else expect(typeof value, signal).toBe('number');
    }
    expect(signalValue(s, 'requests')).toBe(12);
    expect(signalValue(s, 'latency_p99_ms')).toBe(s.latency.p99);
    expect(signalValue(s, 'drifted_share')).toBe(0);
  });
});
