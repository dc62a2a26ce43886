import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRules } from '../../../src/core/monitor/alerts';
import {
  SCENARIOS,
  numericSummary,
  requestStream,
  scenarioById,
  scenarioRules,
  scenarioStream,
  unchanged,
  type ReplayRequest,
  type Scenario,
  type ScenarioSample,
} from '../../../src/core/monitor/scenarios';
import { SAMPLES } from '../../../src/core/shared/defaults';
import type { RawRow } from '../../../src/core/shared/types';

const DATA = resolve(__dirname, '../../../node_modules/vega-datasets/data');

function readSeattle(): RawRow[] {
  const [header, ...lines] = readFileSync(`${DATA}/seattle-weather.csv`, 'utf8').trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((n, i) => [n, n === 'date' || n === 'weather' ? cells[i] : Number(cells[i])]));
  });
}

const ROWS: Record<ScenarioSample, RawRow[]> = {
  penguins: JSON.parse(readFileSync(`${DATA}/penguins.json`, 'utf8')) as RawRow[],
  'seattle-weather': readSeattle(),
  cars: JSON.parse(readFileSync(`${DATA}/cars.json`, 'utf8')) as RawRow[],
};

const play = (s: Scenario, seed: number): ReplayRequest[] => [...scenarioStream(s, ROWS[s.sample], seed)];
/** The same replay with the scenario's change taken out: the rows and times it would have sent. */
const baseline = (s: Scenario, seed: number): ReplayRequest[] => play({ ...s, apply: unchanged }, seed);
const windowOf = (s: Scenario, r: ReplayRequest) => Math.floor(r.seq / s.windowSize);
const windows = (s: Scenario, replay: ReplayRequest[]): ReplayRequest[][] =>
  Array.from({ length: Math.ceil(replay.length / s.windowSize) }, (_, w) => replay.slice(w * s.windowSize, (w + 1) * s.windowSize));
const share = (rs: ReplayRequest[], test: (r: ReplayRequest) => boolean) => rs.filter(test).length / rs.length;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const SEEDS = [1, 2, 3, 4, 5];

describe('the built-in scenarios', () => {
  it('are the six of the issue, each on a sample with its real target and columns', () => {
    expect(SCENARIOS.map((s) => s.id)).toEqual(['control', 'covariate-shift', 'new-category', 'upstream-fault', 'seasonal', 'feedback-loop']);
    for (const s of SCENARIOS) {
      expect(scenarioById(s.id)).toBe(s);
      expect(s.target).toBe(SAMPLES[s.sample].project.target);
      const columns = Object.keys(ROWS[s.sample][0]);
      for (const c of [s.expect.column, s.dateColumn, ...s.expect.also.map((a) => a.column)]) if (c !== undefined) expect(columns).toContain(c);
      expect(s.teaches.length).toBeGreaterThan(300);
      expect(s.expect.description.length).toBeGreaterThan(50);
      expect(s.expect.fromWindow + s.expect.withinWindows).toBeLessThanOrEqual(Math.ceil(s.count / s.windowSize));
    }
  });

  it('state their expectations as alert rules the alert checker accepts', () => {
    for (const s of SCENARIOS) {
      const rules = scenarioRules(s);
      const columns = Object.keys(ROWS[s.sample][0]).filter((c) => c !== s.target);
      expect(checkRules(rules, { columns, task: 'classification' })).toMatchObject({ ok: true });
      expect(rules.length).toBeGreaterThan(0);
      for (const r of rules) expect(r.window).toEqual({ kind: 'count', size: s.windowSize });
    }
    const control = scenarioRules(scenarioById('control')).map((r) => r.signal);
    expect(control).toEqual(expect.arrayContaining(['feature_drift', 'unseen_category_share', 'missing_share']));
  });

  it('control: the replay is exactly the unchanged one', () => {
    const control = scenarioById('control');
    for (const seed of SEEDS) {
      const replay = play(control, seed);
      expect(replay).toHaveLength(2000);
      const plain = [...requestStream({ rows: ROWS.penguins, target: 'Species', rate: control.rate, count: control.count, seed, order: 'shuffled', labelDelayMs: control.labelDelayMs })];
      expect(replay).toEqual(plain);
    }
  });

  it.each(['covariate-shift', 'new-category', 'upstream-fault'] as const)('%s: changes only its column, from its stated window', (id) => {
    const s = scenarioById(id);
    const column = s.expect.column as string;
    for (const seed of SEEDS) {
      const replay = play(s, seed);
      const before = baseline(s, seed);
      const changed = replay.filter((r, i) => JSON.stringify(r) !== JSON.stringify(before[i]));
      expect(changed.length).toBeGreaterThan(0);
      expect(Math.min(...changed.map((r) => windowOf(s, r)))).toBe(s.expect.fromWindow);
      replay.forEach((r, i) => {
        const { [column]: _a, ...rest } = r.input;
        const { [column]: _b, ...restBefore } = before[i].input;
        expect(rest).toEqual(restBefore);
        expect([r.seq, r.at, r.label, r.labelAt]).toEqual([before[i].seq, before[i].at, before[i].label, before[i].labelAt]);
      });
    }
  });

  it('covariate-shift: Body Mass moves by 0.25, 0.5, then 1 std from the middle', () => {
    const s = scenarioById('covariate-shift');
    const std = numericSummary(ROWS.penguins, 'Body Mass (g)').std;
    expect(std).toBeCloseTo(800.8, 0);
    const stage = (w: number) => (w < 10 ? 0 : w < 12 ? 0.25 : w < 14 ? 0.5 : 1);
    for (const seed of SEEDS) {
      const replay = play(s, seed);
      const before = baseline(s, seed);
      const byStage = new Map<number, number[]>();
      replay.forEach((r, i) => {
        const now = r.input['Body Mass (g)'];
        const was = before[i].input['Body Mass (g)'];
        if (was === null) {
          expect(now).toBeNull();
          return;
        }
        expect(now).toBe(Math.round((was as number) + stage(windowOf(s, r)) * std));
        const k = stage(windowOf(s, r));
        byStage.set(k, [...(byStage.get(k) ?? []), (now as number) - (was as number)]);
      });
      expect([...byStage.keys()]).toEqual([0, 0.25, 0.5, 1]);
      for (const [k, diffs] of byStage) expect(mean(diffs) / std).toBeCloseTo(k, 3);
      // In absolute terms: the mean body mass of the last windows is about one std above that of the first half.
      const massOf = (rs: ReplayRequest[]) => mean(rs.map((r) => r.input['Body Mass (g)']).filter((v): v is number => typeof v === 'number'));
      expect((massOf(replay.slice(1400)) - massOf(replay.slice(0, 1000))) / std).toBeGreaterThan(0.8);
    }
  });

  it('new-category: about 30 % of requests come from an unseen island from window 10, none before', () => {
    const s = scenarioById('new-category');
    const seen = new Set(ROWS.penguins.map((r) => r.Island));
    expect(seen.has('Torgersen North')).toBe(false);
    for (const seed of SEEDS) {
      const ws = windows(s, play(s, seed));
      const shares = ws.map((w) => share(w, (r) => r.input.Island === 'Torgersen North'));
      expect(shares.slice(0, 10).every((x) => x === 0)).toBe(true);
      // The suggested rule (> 0.1 in one window) fires in window 10 itself.
      for (const x of shares.slice(10)) {
        expect(x).toBeGreaterThan(0.15);
        expect(x).toBeLessThan(0.45);
      }
      expect(mean(shares.slice(10))).toBeGreaterThan(0.25);
      expect(mean(shares.slice(10))).toBeLessThan(0.35);
    }
  });

  it('upstream-fault: Flipper Length turns blank in every request from window 12', () => {
    const s = scenarioById('upstream-fault');
    for (const seed of SEEDS) {
      const ws = windows(s, play(s, seed));
      const missing = ws.map((w) => share(w, (r) => r.input['Flipper Length (mm)'] === null));
      expect(Math.max(...missing.slice(0, 12))).toBeLessThan(0.05);
      expect(missing.slice(12)).toEqual(new Array(8).fill(1));
    }
  });

  it('seasonal: every Seattle day once, in date order, windows of a season, labels a day later', () => {
    const s = scenarioById('seasonal');
    const replay = play(s, 1);
    expect(replay).toEqual(play(s, 99));
    expect(replay.map((r) => r.input.date)).toEqual(ROWS['seattle-weather'].map((r) => r.date));
    for (const r of replay) {
      expect(r.at).toBe(Date.parse(`${r.input.date as string}T00:00:00Z`));
      expect(r.labelAt).toBe(r.at + 86_400_000);
    }
    const ws = windows(s, replay);
    expect(ws.slice(0, 4).map((w) => w[0].input.date)).toEqual(['2012-01-01', '2012-04-01', '2012-07-01', '2012-09-30']);
    const temp = ws.map((w) => mean(w.map((r) => r.input.temp_max as number)));
    // Summer windows (2, 6, 10, 14) are warmer than the winter ones (0, 4, 8, 12) by far more than a year's noise.
    for (const y of [0, 1, 2, 3]) expect(temp[4 * y + 2] - temp[4 * y]).toBeGreaterThan(10);
    const year = (y: number) => replay.filter((r) => (r.input.date as string).startsWith(String(y)));
    const labelShare = (y: number, label: string) => share(year(y), (r) => r.label === label);
    expect(labelShare(2012, 'sun')).toBeLessThan(0.35);
    expect(labelShare(2014, 'sun')).toBeGreaterThan(0.5);
    expect(labelShare(2012, 'fog')).toBeLessThan(0.02);
    expect(labelShare(2015, 'fog')).toBeGreaterThan(0.12);
  });

  it('feedback-loop: shuffled Seattle traffic with replacement, and the loop declared for the orchestrator', () => {
    const s = scenarioById('feedback-loop');
    expect(s.feedback).toEqual({ retrainEveryWindows: 3, trainOnWindows: 3, selfLabelShare: 1, unsureBelow: 0.9 });
    expect(s.expect).toMatchObject({ signal: 'top_class_share', fromWindow: 3 });
    const replay = play(s, 1);
    expect(replay).toHaveLength(3000);
    expect(new Set(replay.map((r) => r.input.date)).size).toBeLessThan(1461);
    expect(replay.slice(0, 100).map((r) => r.input.date)).not.toEqual([...replay.slice(0, 100).map((r) => r.input.date)].sort());
    expect(replay).toEqual(baseline(s, 1));
  });
});
