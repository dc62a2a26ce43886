// Batch scoring of a file's rows in the worker: each batch is answered through the one serving path and logged as
// served traffic, and the answers come back as CSV text the page offers for download (the rows never go back).

import type { Failure } from '../../src/core/contracts/outcomes';
import type { Prediction, ScoreFileRequest, ScoreFileResult } from '../../src/core/contracts/predict';
import { csvField } from '../../src/core/evaluate/runs/export-csv';
import type { RawRow } from '../../src/core/shared/types';
import { ChunkSink, checkServedModel, loggedRequest, ownerOf, type Answers } from './log-rows';
import type { LogStore } from './log-store';
import type { Scorer } from './replay';
import { yieldToMessages } from './yield-to-messages';

/** Rows one file may send: about what a page holds comfortably as parsed objects. */
export const MAX_SCORE_ROWS = 100_000;
export const SCORE_BATCH = 1024;

export interface ScoreFileDeps {
  scorer: Scorer;
  log: LogStore;
  cancelled: () => boolean;
  /** Wall-clock time each batch is logged at (tests pin it). */
  now?: () => number;
}

export async function scoreFile(deps: ScoreFileDeps, key: string, request: ScoreFileRequest): Promise<ScoreFileResult> {
  const started = performance.now();
  const { rows, projectId, databaseName, model } = request;
  const now = deps.now ?? Date.now;
  if (rows.length > MAX_SCORE_ROWS) throw new Error(`Scoring a file: ${rows.length.toLocaleString('en')} rows is more than the ${MAX_SCORE_ROWS.toLocaleString('en')} a file may have; split the file.`);
  checkRows(rows);
  const answers = deps.scorer.answers(key);
  checkServedModel(model, answers, key);

  const firstId = rows.length === 0 ? 0 : await deps.log.reserve(databaseName, projectId, rows.length);
  const sink = new ChunkSink(deps.log, databaseName, ownerOf(projectId, model, 'serving', answers));
  const answered: Prediction[] = [];
  try {
    for (let from = 0; from < rows.length; from += SCORE_BATCH) {
      await yieldToMessages();
      if (deps.cancelled()) throw { kind: 'cancelled' } satisfies Failure;
      const batch = rows.slice(from, from + SCORE_BATCH);
      const at = now();
      const t0 = performance.now();
      const predictions = await deps.scorer.predict(key, batch);
      // One model call for the batch: each row is charged an equal share of it.
      const latencyMs = (performance.now() - t0) / batch.length;
      for (let i = 0; i < batch.length; i++) {
        await sink.add(loggedRequest({ id: firstId + from + i, at, inputs: batch[i], prediction: predictions[i], latencyMs }));
        answered.push(predictions[i]);
      }
    }
  } catch (stopped) {
    await sink.flush().catch(() => 0);
    throw stopped;
  }
  await sink.flush();
  return {
    requests: rows.length,
    firstId: rows.length === 0 ? null : firstId,
    lastId: rows.length === 0 ? null : firstId + rows.length - 1,
    errors: answered.filter((p) => !p.ok).length,
    warned: answered.filter((p) => p.warnings.length > 0).length,
    csv: answersCsv(rows, answered, firstId, answers),
    durationMs: performance.now() - started,
  };
}

/** Each row must be an object of text, numbers and blanks: the log stores nothing else, and says which row was not. */
function checkRows(rows: readonly RawRow[]): void {
  rows.forEach((row, i) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new Error(`Scoring a file: row ${i + 1} is not a record of column values.`);
    for (const [name, value] of Object.entries(row)) {
      if (value !== null && typeof value !== 'string' && typeof value !== 'number') {
        throw new Error(`Scoring a file: row ${i + 1}, column "${name}" holds ${typeof value}; a value is text, a number or blank.`);
      }
    }
  });
}

/** The CSV of ScoreFileResult.csv; an answer column whose name an input column already has gets " (model)" added. */
export function answersCsv(rows: readonly RawRow[], predictions: readonly Prediction[], firstId: number, answers: Answers): string {
  const inputs = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const taken = new Set(inputs);
  const own = (name: string): string => (taken.has(name) ? `${name} (model)` : name);
  const classes = answers.task === 'classification' ? answers.classes : [];
  const header = [own('request_id'), ...inputs, own('prediction'), ...classes.map((c) => own(`probability ${c}`)), own('error'), own('warnings')];
  const lines = [header.map(csvField).join(',')];
  rows.forEach((row, i) => {
    const p = predictions[i];
    const probabilities = p.ok && p.probabilities ? p.probabilities : null;
    const cells: (string | number | null)[] = [
      firstId + i,
      ...inputs.map((name) => row[name] ?? null),
      p.ok ? p.output : null,
      ...classes.map((_, k) => (probabilities ? probabilities[k] : null)),
      p.ok ? null : p.error,
      p.warnings.map((w) => w.message).join('; ') || null,
    ];
    lines.push(cells.map(csvField).join(','));
  });
  return lines.join('\r\n') + '\r\n';
}
