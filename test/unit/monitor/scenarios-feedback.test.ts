import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  retrainings,
  scenarioById,
  scenarioStream,
  selfLabel,
  type ModelAnswer,
  type ReplayRequest,
  type SelfLabelOptions,
} from '../../../src/core/monitor/scenarios';
import type { RawRow } from '../../../src/core/shared/types';

function request(seq: number, label: string | null, labelAt: number | null = 0): ReplayRequest {
  return { seq, at: seq * 1000, input: { x: seq }, label, labelAt };
}

const OPTS: SelfLabelOptions = { target: 'y', seed: 1, selfLabelShare: 1, unsureBelow: 0 };
const sure = (output: string | null): ModelAnswer => ({ output, confidence: 0.95 });

describe('selfLabel', () => {
  const requests = Array.from({ length: 400 }, (_, i) => request(i, i % 2 ? 'b' : 'a', i * 1000 + 5000));
  const predictions: ModelAnswer[] = requests.map((_, i) => ({ output: i % 4 === 0 ? 'b' : 'a', confidence: i % 8 === 0 ? 0.6 : 0.95 }));

  it('labels every row with the model\'s answer when the whole share is self-labelled', () => {
    const out = selfLabel(requests, predictions, OPTS);
    expect(out.topClass).toBe('a');
    expect(out.rows).toEqual(requests.map((r, i) => ({ x: r.input.x, y: predictions[i].output })));
    expect([out.selfLabelled, out.defaulted, out.trueLabelled, out.unlabelled]).toEqual([400, 0, 0, 0]);
  });

  it('labels the rows the model is unsure about with its most common answer', () => {
    const out = selfLabel(requests, predictions, { ...OPTS, unsureBelow: 0.8 });
    // Every 8th request is an unsure "b": it becomes an "a"; the sure "b"s (every 4th, not 8th) stay "b".
    expect(out.rows).toEqual(requests.map((r, i) => ({ x: r.input.x, y: i % 8 === 0 ? 'a' : predictions[i].output })));
    expect(out.defaulted).toBe(50);
    expect(out.rows.filter((r) => r.y === 'b')).toHaveLength(50);
    const noConfidence = selfLabel([request(0, 'a'), request(1, 'a')], [{ output: 'a', confidence: null }, { output: 'b', confidence: null }], { ...OPTS, unsureBelow: 0.8 });
    expect(noConfidence.rows.map((r) => r.y)).toEqual(['a', 'b']);
  });

  it('uses the truth otherwise, only once it has arrived', () => {
    const all = selfLabel(requests, predictions, { ...OPTS, selfLabelShare: 0 });
    expect(all.rows).toEqual(requests.map((r) => ({ x: r.input.x, y: r.label })));
    const early = selfLabel(requests, predictions, { ...OPTS, selfLabelShare: 0, now: 104_000 });
    // Labels arrive at seq·1000 + 5000: by 104,000 those of seq 0..99.
    expect(early.trueLabelled).toBe(100);
    expect(early.unlabelled).toBe(300);
    expect(early.rows.map((r) => r.x)).toEqual(requests.slice(0, 100).map((r) => r.input.x));
    const never = selfLabel([request(0, 'a', null), request(1, null, null)], [sure('a'), sure('a')], { ...OPTS, selfLabelShare: 0 });
    expect(never.rows).toEqual([]);
    expect(never.unlabelled).toBe(2);
  });

  it('mixes the two by the share, with draws fixed by seed and seq', () => {
    const half = selfLabel(requests, predictions, { ...OPTS, selfLabelShare: 0.5 });
    expect(half.selfLabelled + half.trueLabelled).toBe(400);
    expect(half.selfLabelled).toBeGreaterThan(160);
    expect(half.selfLabelled).toBeLessThan(240);
    expect(selfLabel(requests, predictions, { ...OPTS, selfLabelShare: 0.5 })).toEqual(half);
    expect(selfLabel(requests, predictions, { ...OPTS, selfLabelShare: 0.5, seed: 2 }).rows).not.toEqual(half.rows);
    // Which rows the model labels does not depend on the other requests in the batch.
    const modelLabelled = (rows: RawRow[]) => rows.filter((r) => r.y !== requests[r.x as number].label).map((r) => r.x);
    const tail = selfLabel(requests.slice(200), predictions.slice(200), { ...OPTS, selfLabelShare: 0.5 });
    expect(modelLabelled(tail.rows)).toEqual(modelLabelled(half.rows).filter((x) => (x as number) >= 200));
  });

  it('leaves out requests the model did not answer when their label would be its answer', () => {
    const out = selfLabel([request(0, 'a'), request(1, 'b'), request(2, 'b')], [sure(null), sure('b'), sure('b')], OPTS);
    expect(out.topClass).toBe('b');
    expect(out.rows).toEqual([{ x: 1, y: 'b' }, { x: 2, y: 'b' }]);
    expect(out.unlabelled).toBe(1);
    expect(selfLabel([request(0, 'a')], [sure(null)], OPTS).topClass).toBeNull();
  });

  it('refuses mismatched inputs and shares outside 0..1', () => {
    expect(() => selfLabel(requests, predictions.slice(1), OPTS)).toThrow(/400 requests but 399 predictions/);
    expect(() => selfLabel(requests, predictions, { ...OPTS, unsureBelow: 1.5 })).toThrow(/unsureBelow must be between 0 and 1/);
  });
});

describe('retrainings', () => {
  it('retrains every N windows on the last M, never after the last window', () => {
    expect(retrainings({ retrainEveryWindows: 3, trainOnWindows: 3, selfLabelShare: 1, unsureBelow: 0 }, 10)).toEqual([
      { afterWindow: 2, fromWindow: 0 },
      { afterWindow: 5, fromWindow: 3 },
      { afterWindow: 8, fromWindow: 6 },
    ]);
    expect(retrainings({ retrainEveryWindows: 2, trainOnWindows: 5, selfLabelShare: 1, unsureBelow: 0 }, 6)).toEqual([
      { afterWindow: 1, fromWindow: 0 },
      { afterWindow: 3, fromWindow: 0 },
    ]);
  });
});

// A small Gaussian naive Bayes stands in for the trained model: the loop's runaway comes from what selfLabel feeds the
// retraining (more of the top class than the traffic holds), which any model that learns class frequencies follows.
const FEATURES = ['precipitation', 'temp_max', 'temp_min', 'wind'];
interface Bayes {
  classes: { label: string; logPrior: number; mean: number[]; variance: number[] }[];
}

function fit(rows: readonly RawRow[], target: string): Bayes {
  const groups = new Map<string, RawRow[]>();
  for (const r of rows) groups.set(String(r[target]), [...(groups.get(String(r[target])) ?? []), r]);
  return {
    classes: [...groups].map(([label, rs]) => {
      const mean = FEATURES.map((f) => rs.reduce((a, r) => a + (r[f] as number), 0) / rs.length);
      const variance = FEATURES.map((f, j) => rs.reduce((a, r) => a + ((r[f] as number) - mean[j]) ** 2, 0) / rs.length + 0.5);
      return { label, logPrior: Math.log(rs.length / rows.length), mean, variance };
    }),
  };
}

/** The most probable class and its posterior probability. */
function predict(model: Bayes, input: RawRow): { output: string; confidence: number } {
  const scores = model.classes.map((c) => {
    let score = c.logPrior;
    FEATURES.forEach((f, j) => (score -= ((input[f] as number) - c.mean[j]) ** 2 / (2 * c.variance[j]) + Math.log(c.variance[j]) / 2));
    return score;
  });
  const top = Math.max(...scores);
  const total = scores.reduce((a, s) => a + Math.exp(s - top), 0);
  const best = scores.indexOf(top);
  return { output: model.classes[best].label, confidence: 1 / total };
}

function readSeattle(): RawRow[] {
  const text = readFileSync(resolve(__dirname, '../../../node_modules/vega-datasets/data/seattle-weather.csv'), 'utf8');
  const [header, ...lines] = text.trim().split('\n');
  const names = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((c, i) => [names[i], FEATURES.includes(names[i]) ? Number(c) : c])));
}

/** Plays the feedback-loop scenario with retraining as it declares; returns each window's top-class share. */
function runLoop(seed: number, selfLabelShare: number): number[] {
  const s = scenarioById('feedback-loop');
  const spec = { ...(s.feedback as NonNullable<typeof s.feedback>), selfLabelShare };
  const rows = readSeattle();
  let model = fit(rows.slice(0, Math.floor(rows.length * 0.7)), s.target);
  const replay = [...scenarioStream(s, rows, seed)];
  const answers: ModelAnswer[] = [];
  const shares: number[] = [];
  const plan = retrainings(spec, Math.ceil(s.count / s.windowSize));
  for (let w = 0; w * s.windowSize < replay.length; w++) {
    const window = replay.slice(w * s.windowSize, (w + 1) * s.windowSize);
    const counts = new Map<string, number>();
    for (const r of window) {
      const a = predict(model, r.input);
      answers.push(a);
      counts.set(a.output, (counts.get(a.output) ?? 0) + 1);
    }
    shares.push(Math.max(...counts.values()) / window.length);
    const retrain = plan.find((p) => p.afterWindow === w);
    if (retrain) {
      const from = retrain.fromWindow * s.windowSize;
      const to = (w + 1) * s.windowSize;
      // The truth counts as arrived here, so the contrast run (share 0) trains on real labels.
      const { rows: training } = selfLabel(replay.slice(from, to), answers.slice(from, to), { target: s.target, seed, ...spec });
      model = fit(training, s.target);
    }
  }
  return shares;
}

/** The first window where the rule fires: its share above the threshold `for` windows in a row; -1 when it never does. */
function firingWindow(shares: number[], rule: { threshold: number; for: number }): number {
  return shares.findIndex((_, w) => w >= rule.for - 1 && shares.slice(w - rule.for + 1, w + 1).every((x) => x > rule.threshold));
}

describe('the feedback loop, closed with a stand-in model', () => {
  const s = scenarioById('feedback-loop');
  const rule = s.expect.rule as NonNullable<typeof s.expect.rule>;
  const lastWindow = s.expect.fromWindow + s.expect.withinWindows - 1;

  it.each([1, 2, 3, 4, 5])('seed %i: the top-class share runs away as the scenario says', (seed) => {
    const shares = runLoop(seed, s.feedback?.selfLabelShare as number);
    const start = (shares[0] + shares[1] + shares[2]) / 3;
    expect(start).toBeLessThan(rule.threshold);
    // The rule: above the threshold for `for` windows in a row, by the stated window at the latest.
    const firing = firingWindow(shares, rule);
    expect(firing).toBeGreaterThanOrEqual(s.expect.fromWindow);
    expect(firing).toBeLessThanOrEqual(lastWindow);
    // Not a blip: the last ten windows stay well above where the loop started.
    expect(shares.slice(-10).reduce((a, x) => a + x, 0) / 10).toBeGreaterThan(start + 0.1);
  });

  it('does not run away when the retraining uses the truth', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const shares = runLoop(seed, 0);
      expect(firingWindow(shares, rule)).toBe(-1);
    }
  });
});
