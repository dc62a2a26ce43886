// Reading a sealed chunk back: one row as the request it logged (for drill-downs and tests), and the few lookups that
// statistics over the columns need.

import type { InputWarning, RawRow, RawValue } from '../../shared/types';
import { WARNING_KINDS, type InputColumn, type LoggedRequest, type RequestChunk, type WarningKind } from './types';

/** The bit of a warning kind in a row's warning mask. */
export function warningBit(kind: WarningKind): number {
  return 1 << WARNING_KINDS.indexOf(kind);
}

export function hasWarning(chunk: RequestChunk, row: number, kind: WarningKind): boolean {
  return (chunk.warnings[row] & warningBit(kind)) !== 0;
}

/** The row holding a request id, or -1. */
export function rowOfId(chunk: RequestChunk, id: number): number {
  if (id < chunk.firstId || id > chunk.lastId) return -1;
  return chunk.ids.indexOf(id);
}

export function inputColumn(chunk: RequestChunk, name: string): InputColumn | undefined {
  return chunk.inputs.find((c) => c.name === name);
}

/** A row's raw value in an input column, including text that arrived in a numeric column and vice versa. */
export function inputValue(column: InputColumn, row: number): RawValue {
  if (column.kind === 'number') {
    const v = column.values[row];
    if (!Number.isNaN(v)) return v;
    const at = column.text ? sortedIndex(column.text.rows, row) : -1;
    return at >= 0 ? column.text!.values[at] : null;
  }
  const code = column.codes[row];
  if (code >= 0) return column.dictionary[code];
  const at = column.numbers ? sortedIndex(column.numbers.rows, row) : -1;
  return at >= 0 ? column.numbers!.values[at] : null;
}

/** Whether the row's model answered (false for an error row). */
export function answered(chunk: RequestChunk, row: number): boolean {
  return chunk.error[row] === 0;
}

export function labelKnown(chunk: RequestChunk, row: number): boolean {
  return !Number.isNaN(chunk.labelAt[row]);
}

/** The output as the caller saw it: a class name or a value; null for an error. */
export function outputOf(chunk: RequestChunk, row: number): string | number | null {
  if (chunk.task === 'classification') {
    const index = chunk.output[row];
    return index < 0 ? null : chunk.classes[index];
  }
  const value = chunk.output[row];
  return Number.isNaN(value) ? null : value;
}

export function labelOf(chunk: RequestChunk, row: number): string | number | null {
  if (!labelKnown(chunk, row)) return null;
  return chunk.task === 'classification' ? chunk.classes[chunk.labels[row]] : chunk.labels[row];
}

/** The row's probabilities (float32 precision), or null when it has none. */
export function probabilitiesOf(chunk: RequestChunk, row: number): number[] | null {
  if (chunk.task !== 'classification' || chunk.probabilities === null) return null;
  const width = chunk.classes.length;
  const values = Array.from(chunk.probabilities.subarray(row * width, (row + 1) * width));
  return values.every(Number.isNaN) ? null : values;
}

export function warningsOf(chunk: RequestChunk, row: number): InputWarning[] {
  const d = chunk.warningDetails;
  const out: InputWarning[] = [];
  // Details are in row order: find the first of this row, then read while it lasts.
  let lo = 0;
  let hi = d.rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (d.rows[mid] < row) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < d.rows.length && d.rows[i] === row; i++) {
    out.push({ kind: WARNING_KINDS[d.kinds[i]], column: d.strings[d.columns[i]], value: d.strings[d.values[i]], message: d.strings[d.messages[i]] });
  }
  return out;
}

/** Row `row` as the request that was logged (absent inputs read back as null; numbers in float precision as stored). */
export function rowOf(chunk: RequestChunk, row: number): LoggedRequest {
  if (!Number.isInteger(row) || row < 0 || row >= chunk.rows) throw new Error(`Row ${row} is outside this chunk of ${chunk.rows} requests.`);
  const inputs: RawRow = {};
  for (const column of chunk.inputs) inputs[column.name] = inputValue(column, row);
  const code = chunk.error[row];
  const request: LoggedRequest = {
    id: chunk.ids[row],
    at: chunk.at[row],
    inputs,
    output: outputOf(chunk, row),
    probabilities: probabilitiesOf(chunk, row),
    latencyMs: chunk.latencyMs[row],
    warnings: warningsOf(chunk, row),
    label: labelOf(chunk, row),
    labelAt: labelKnown(chunk, row) ? chunk.labelAt[row] : null,
  };
  if (code > 0) request.error = chunk.errors[code - 1];
  return request;
}

function sortedIndex(rows: Int32Array, row: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid] === row) return mid;
    if (rows[mid] < row) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
