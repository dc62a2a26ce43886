import { describe, expect, it } from 'vitest';
import { requestBatches, requestStream, type ReplayRequest, type StreamInput } from '../../../src/core/monitor/scenarios';
import type { RawRow } from '../../../src/core/shared/types';

const ROWS: RawRow[] = Array.from({ length: 10 }, (_, i) => ({ id: i, x: i * 1.5, kind: i % 2 ? 'odd' : 'even', y: `c${i % 3}` }));

function input(over: Partial<StreamInput> = {}): StreamInput {
  return { rows: ROWS, target: 'y', rate: 10, count: 10, seed: 7, order: 'shuffled', labelDelayMs: null, ...over };
}

const all = (over: Partial<StreamInput> = {}): ReplayRequest[] => [...requestStream(input(over))];
const ids = (requests: ReplayRequest[]) => requests.map((r) => r.input.id as number);

describe('requestStream', () => {
  it('is deterministic by seed and differs between seeds', () => {
    expect(all({ count: 50 })).toEqual(all({ count: 50 }));
    expect(ids(all({ count: 50, seed: 1 }))).not.toEqual(ids(all({ count: 50, seed: 2 })));
    expect(ids(all({ seed: 1 }))).not.toEqual(ids(all({ seed: 2 })));
  });

  it('removes the target from the input and gives it as the label, without touching the rows', () => {
    const before = JSON.stringify(ROWS);
    for (const r of all({ count: 30 })) {
      expect(r.input).not.toHaveProperty('y');
      expect(r.label).toBe(`c${(r.input.id as number) % 3}`);
      expect(r.input).toEqual({ id: r.input.id, x: (r.input.id as number) * 1.5, kind: (r.input.id as number) % 2 ? 'odd' : 'even' });
    }
    expect(JSON.stringify(ROWS)).toBe(before);
  });

  it('spaces requests by the rate on the virtual clock, from start', () => {
    expect(all({ rate: 10, start: 5000, count: 4 }).map((r) => r.at)).toEqual([5000, 5100, 5200, 5300]);
    expect(all({ rate: 100 / 3600, count: 3 }).map((r) => r.at)).toEqual([0, 36_000, 72_000]);
    expect(all({ rate: 0.5, count: 3 }).map((r) => r.seq)).toEqual([0, 1, 2]);
    expect(all({ rate: 0.5, count: 3 }).map((r) => r.at)).toEqual([0, 2000, 4000]);
  });

  it('delivers labels labelDelayMs after the request, never when the delay is null or there is no label', () => {
    for (const r of all({ labelDelayMs: 60_000, count: 20 })) expect(r.labelAt).toBe(r.at + 60_000);
    for (const r of all({ labelDelayMs: 0, count: 5 })) expect(r.labelAt).toBe(r.at);
    for (const r of all({ labelDelayMs: null, count: 20 })) expect(r.labelAt).toBeNull();
    const rows = ROWS.map((row, i) => (i === 3 ? { ...row, y: null } : row));
    const r3 = all({ rows, order: 'as-is', labelDelayMs: 1000 })[3];
    expect(r3.label).toBeNull();
    expect(r3.labelAt).toBeNull();
  });

  it('draws without replacement up to the number of rows', () => {
    const shuffled = ids(all({ count: 10 }));
    expect([...shuffled].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(shuffled).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(ids(all({ count: 6 }))).size).toBe(6);
    expect(ids(all({ order: 'as-is', count: 4 }))).toEqual([0, 1, 2, 3]);
  });

  it('draws with replacement beyond the rows, about evenly, in the order asked', () => {
    const drawn = ids(all({ count: 5000 }));
    const counts = new Array<number>(10).fill(0);
    for (const id of drawn) counts[id]++;
    // Binomial(5000, 0.1): mean 500, sd 21; ±100 is almost five sd.
    for (const c of counts) {
      expect(c).toBeGreaterThan(400);
      expect(c).toBeLessThan(600);
    }
    // Not the rows repeated in a cycle: independent draws.
    expect(drawn.slice(10, 20)).not.toEqual(drawn.slice(0, 10));
    const asIs = ids(all({ order: 'as-is', count: 40 }));
    expect(asIs).toEqual([...asIs].sort((a, b) => a - b));
    expect(new Set(asIs).size).toBeLessThan(40);
  });

  it('orders by date and takes each request time from its row, for any count', () => {
    const days = ['2014-03-02', '2012-01-01', '2013-07-15', '2012-01-01', '2015-12-31'];
    const rows = days.map((date, i) => ({ date, n: i, y: i % 2 }));
    const replay = all({ rows, order: 'by-date', dateColumn: 'date', count: 5, rate: 1 });
    expect(replay.map((r) => r.input.n)).toEqual([1, 3, 2, 0, 4]);
    expect(replay.map((r) => r.at)).toEqual([Date.UTC(2012, 0, 1), Date.UTC(2012, 0, 1), Date.UTC(2013, 6, 15), Date.UTC(2014, 2, 2), Date.UTC(2015, 11, 31)]);
    expect(all({ rows, order: 'by-date', dateColumn: 'date', count: 2, rate: 1 }).map((r) => r.input.n)).toEqual([1, 3]);
    const moved = all({ rows, order: 'by-date', dateColumn: 'date', count: 5, rate: 1, start: 1000 });
    expect(moved.map((r) => r.at)).toEqual(replay.map((r) => r.at - Date.UTC(2012, 0, 1) + 1000));
    const many = all({ rows, order: 'by-date', dateColumn: 'date', count: 200, rate: 1 });
    for (let i = 1; i < many.length; i++) expect(many[i].at).toBeGreaterThanOrEqual(many[i - 1].at);
    for (const r of many) expect(r.at).toBe(Date.parse(`${r.input.date as string}T00:00:00Z`));
  });

  it('reads dates as the import does: day/month for the whole column once a day is above 12, numbers as ms', () => {
    const rows = [{ d: '13/04/2020', y: 1 }, { d: '02/04/2020', y: 2 }, { d: Date.UTC(2020, 3, 3), y: 3 }];
    const replay = all({ rows, order: 'by-date', dateColumn: 'd', count: 3 });
    expect(replay.map((r) => r.label)).toEqual([2, 3, 1]);
    expect(replay[0].at).toBe(Date.UTC(2020, 3, 2));
  });

  it('hands the scenario each request with its place and time, and uses what it returns', () => {
    const frames: Array<{ seq: number; count: number; progress: number; at: number }> = [];
    const replay = all({
      count: 4,
      rate: 2,
      order: 'as-is',
      labelDelayMs: 10,
      scenario: (req, f) => {
        frames.push({ seq: f.seq, count: f.count, progress: f.progress, at: f.at });
        return { input: { ...req.input, seen: f.seq }, label: f.seq === 2 ? null : 'z' };
      },
    });
    expect(frames).toEqual([0, 1, 2, 3].map((seq) => ({ seq, count: 4, progress: seq / 4, at: seq * 500 })));
    expect(replay.map((r) => r.input.seen)).toEqual([0, 1, 2, 3]);
    expect(replay.map((r) => r.label)).toEqual(['z', 'z', null, 'z']);
    expect(replay.map((r) => r.labelAt)).toEqual([10, 510, null, 1510]);
  });

  it('draws the same rows whatever the scenario draws, and gives each request its own seeded stream', () => {
    const greedy = all({ count: 30, scenario: (req, f) => (f.rand(), f.rand(), f.rand(), req) });
    expect(ids(greedy)).toEqual(ids(all({ count: 30 })));
    const draws = (seed: number) => all({ count: 30, seed, scenario: (req, f) => ({ ...req, input: { ...req.input, u: f.rand() } }) }).map((r) => r.input.u);
    expect(draws(3)).toEqual(draws(3));
    expect(draws(3)).not.toEqual(draws(4));
    expect(new Set(draws(3)).size).toBe(30);
  });

  it('batches the same requests', () => {
    const batches = [...requestBatches(input({ count: 23 }), 10)];
    expect(batches.map((b) => b.length)).toEqual([10, 10, 3]);
    expect(batches.flat()).toEqual(all({ count: 23 }));
  });

  it('says what is wrong with its input, at once', () => {
    expect(() => requestStream(input({ rate: 0 }))).toThrow(/rate must be a positive number/);
    expect(() => requestStream(input({ count: 2.5 }))).toThrow(/count must be a whole number/);
    expect(() => requestStream(input({ rows: [] }))).toThrow(/no rows/);
    expect(() => requestStream(input({ labelDelayMs: -1 }))).toThrow(/labelDelayMs/);
    expect(() => requestStream(input({ order: 'by-date' }))).toThrow(/needs a dateColumn/);
    expect(() => requestStream(input({ rows: [...ROWS.slice(0, 3), { id: 3, x: 1 }] }))).toThrow(/row 4 has no target column "y"/);
    const rows = [{ d: '2020-01-01', y: 1 }, { d: 'soon', y: 2 }];
    expect(() => requestStream(input({ rows, order: 'by-date', dateColumn: 'd' }))).toThrow(/row 2 has no readable date in column "d" \("soon"\)/);
    expect(all({ count: 0 })).toEqual([]);
  });
});
