// Train/test leakage: held-out rows identical to a training row (on the compared columns) measure memory, not
// generalisation. Every training row's key goes into a hash map; each validation and test row is looked up in it.

import { SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from '../../shared/types';
import { rowCells, rowKey, type Cell, type NamedColumn } from './row-key';

export interface LeakedRow {
  /** Row index of the held-out row and of the first training row it repeats. */
  row: number;
  trainRow: number;
  cells: Record<string, Cell>;
}

export interface LeakagePart {
  split: 'validation' | 'test';
  rows: number;
  leaked: number;
  /** leaked / rows (0 for an empty split). */
  share: number;
  /** The first few leaked rows, in row order. */
  examples: LeakedRow[];
}

export interface LeakageResult {
  passed: boolean;
  trainRows: number;
  parts: LeakagePart[];
  reason: string;
}

/**
 * Held-out rows (validation and test) that repeat a training row on `columns`, per split. Passes when no split's
 * leaked share exceeds `maxShare` (0: any repeated row fails). Rows assigned to no split are ignored.
 */
export function findLeakage(
  columns: readonly NamedColumn[],
  assignment: ArrayLike<number>,
  options: { maxShare?: number; examples?: number } = {},
): LeakageResult {
  const maxShare = options.maxShare ?? 0;
  const keep = options.examples ?? 5;
  const trainKeys = new Map<string, number>();
  let trainRows = 0;
  for (let r = 0; r < assignment.length; r++) {
    if (assignment[r] !== SPLIT_TRAIN) continue;
    trainRows++;
    const key = rowKey(columns, r);
    if (!trainKeys.has(key)) trainKeys.set(key, r);
  }
  const parts: LeakagePart[] = [];
  for (const [code, split] of [[SPLIT_VALIDATION, 'validation'], [SPLIT_TEST, 'test']] as const) {
    const part: LeakagePart = { split, rows: 0, leaked: 0, share: 0, examples: [] };
    for (let r = 0; r < assignment.length; r++) {
      if (assignment[r] !== code) continue;
      part.rows++;
      const trainRow = trainKeys.get(rowKey(columns, r));
      if (trainRow === undefined) continue;
      part.leaked++;
      if (part.examples.length < keep) part.examples.push({ row: r, trainRow, cells: rowCells(columns, r) });
    }
    part.share = part.rows === 0 ? 0 : part.leaked / part.rows;
    parts.push(part);
  }
  const over = parts.filter((p) => p.share > maxShare);
  const summary = parts.map((p) => `${p.leaked} of ${p.rows} ${p.split} rows repeat a training row`).join('; ');
  const reason = over.length === 0 ? summary : `${summary}: more than the ${maxShare * 100}% allowed in ${over.map((p) => p.split).join(' and ')}`;
  return { passed: over.length === 0, trainRows, parts, reason };
}
