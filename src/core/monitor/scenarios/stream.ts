// The traffic replayer's pure half: rows in, requests out, on a virtual clock. The predictor worker sends them to the
// model; everything here is a function of the input and the seed, so a replay can be repeated exactly.

import type { RawRow, RawValue } from '../../shared/types';
import { columnStats } from './column-stats';
import { drawRows, rowDates } from './draw';
import { requestRand } from './request-rand';
import type { ReplayRequest, StreamInput } from './types';

/** Salt of the per-request stream handed to scenarios (selfLabel uses another). */
export const SCENARIO_SALT = 1;

/**
 * The requests of a replay, in order. Checks the input at once (an error names what is wrong), then yields one request
 * at a time, so a million requests never sit in memory together.
 */
export function requestStream(input: StreamInput): Generator<ReplayRequest, void, undefined> {
  checkStreamInput(input);
  const { rows, target, count, seed, order, labelDelayMs, scenario } = input;
  const dates = order === 'by-date' ? rowDates(rows, input.dateColumn as string) : null;
  const picks = drawRows(rows.length, count, seed, order, dates);
  const at = requestTimes(input, picks, dates);
  const stats = columnStats(rows);
  return (function* () {
    for (let seq = 0; seq < count; seq++) {
      const { [target]: raw, ...sent } = rows[picks[seq]];
      let content: { input: RawRow; label: RawValue } = { input: sent, label: raw ?? null };
      if (scenario) {
        const frame = { seq, count, progress: seq / count, at: at[seq], rand: requestRand(seed, seq, SCENARIO_SALT), stats };
        content = scenario(content, frame);
      }
      const labelAt = labelDelayMs === null || content.label === null ? null : at[seq] + labelDelayMs;
      yield { seq, at: at[seq], input: content.input, label: content.label, labelAt };
    }
  })();
}

/** The same requests in arrays of `size` (the last one shorter), for a worker that scores a batch per message. */
export function* requestBatches(input: StreamInput, size: number): Generator<ReplayRequest[], void, undefined> {
  if (!Number.isInteger(size) || size < 1) throw new Error(`Replay: batch size must be a whole number ≥ 1 (got ${size}).`);
  let batch: ReplayRequest[] = [];
  for (const request of requestStream(input)) {
    batch.push(request);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Evenly spaced at `rate` per virtual second; or each row's date, moved so the earliest falls on `start` if given. */
function requestTimes(input: StreamInput, picks: Int32Array, dates: Float64Array | null): Float64Array {
  const at = new Float64Array(picks.length);
  if (dates) {
    let earliest = Number.POSITIVE_INFINITY;
    for (const p of picks) earliest = Math.min(earliest, dates[p]);
    const shift = input.start === undefined ? 0 : input.start - earliest;
    for (let i = 0; i < picks.length; i++) at[i] = dates[picks[i]] + shift;
    return at;
  }
  const start = input.start ?? 0;
  const interval = 1000 / input.rate;
  for (let i = 0; i < picks.length; i++) at[i] = start + i * interval;
  return at;
}

function checkStreamInput(input: StreamInput): void {
  const { rows, target, rate, start, count, seed, order, dateColumn, labelDelayMs } = input;
  const fail = (what: string): never => {
    throw new Error(`Replay: ${what}.`);
  };
  if (rows.length === 0) fail('there are no rows to replay');
  if (!Number.isInteger(count) || count < 0) fail(`count must be a whole number ≥ 0 (got ${count})`);
  if (!Number.isInteger(seed)) fail(`seed must be a whole number (got ${seed})`);
  if (order !== 'by-date' && !(Number.isFinite(rate) && rate > 0)) fail(`rate must be a positive number of requests per virtual second (got ${rate})`);
  if (start !== undefined && !Number.isFinite(start)) fail(`start must be a time in ms (got ${start})`);
  if (labelDelayMs !== null && !(Number.isFinite(labelDelayMs) && labelDelayMs >= 0)) fail(`labelDelayMs must be ≥ 0 ms or null (got ${labelDelayMs})`);
  if (order === 'by-date' && !dateColumn) fail('order "by-date" needs a dateColumn');
  if (dateColumn === target) fail(`the date column "${dateColumn}" cannot be the target`);
  const missing = rows.findIndex((row) => !Object.hasOwn(row, target));
  if (missing >= 0) fail(`row ${missing + 1} has no target column "${target}"`);
}
