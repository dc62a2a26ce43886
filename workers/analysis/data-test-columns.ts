// A version's columns as the data tests read them (src/core/deliver/gates/row-key.ts), and their leaked-row examples
// made readable. Numbers and dates are handed over as stored (no copy of a million-row column); categories as their
// text, so class balance counts labels; images as the SHA-256 of their pixels, so two rows holding the same picture
// are the same row and a shown example stays small.

import { sha256Hex } from '../../src/core/data/hash';
import { isoDate } from '../../src/core/serving/dates.js';
import type { Cell, NamedColumn } from '../../src/core/deliver/gates/row-key';
import type { DataTestResult } from '../../src/core/deliver/gates/data-tests';
import type { ColumnData, Table } from '../../src/core/shared/types';

/** Images digested at once: enough to keep WebCrypto busy, few enough not to hold thousands of promises. */
const DIGEST_BATCH = 256;

async function imageKeys(column: Extract<ColumnData, { kind: 'image' }>, rowCount: number): Promise<string[]> {
  const size = column.width * column.height * column.channels;
  const keys = new Array<string>(rowCount);
  for (let start = 0; start < rowCount; start += DIGEST_BATCH) {
    const end = Math.min(rowCount, start + DIGEST_BATCH);
    const digests = [];
    for (let r = start; r < end; r++) digests.push(sha256Hex(column.pixels.subarray(r * size, (r + 1) * size)));
    (await Promise.all(digests)).forEach((digest, i) => (keys[start + i] = `image sha256:${digest}`));
  }
  return keys;
}

export async function namedColumns(table: Table): Promise<NamedColumn[]> {
  const out: NamedColumn[] = [];
  for (const [i, column] of table.columns.entries()) {
    const name = table.names[i];
    if (column.kind === 'number' || column.kind === 'date') out.push({ name, values: column.values });
    else if (column.kind === 'category') {
      const values = new Array<Cell>(table.rowCount);
      for (let r = 0; r < table.rowCount; r++) values[r] = column.codes[r] >= 0 ? (column.dictionary[column.codes[r]] ?? null) : null;
      out.push({ name, values });
    } else out.push({ name, values: await imageKeys(column, table.rowCount) });
  }
  return out;
}

/** A cell as a row shows it (src/core/recipe/rows.ts tableRow): a missing number as null, a date as ISO text. */
function readable(kind: ColumnData['kind'] | undefined, v: Cell): Cell {
  if (typeof v !== 'number') return v;
  if (kind === 'date') return isoDate(v);
  return Number.isNaN(v) ? null : v;
}

/** The results with each leaked row's cells as a row shows them (the keys compared the stored values). */
export function readableExamples(results: DataTestResult[], table: Table): DataTestResult[] {
  const kinds = new Map(table.names.map((name, i) => [name, table.columns[i]?.kind]));
  return results.map((r): DataTestResult => {
    if (r.test.kind !== 'leakage' || !('parts' in r.result)) return r;
    const parts = r.result.parts.map((part) => ({
      ...part,
      examples: part.examples.map((e) => ({
        ...e,
        cells: Object.fromEntries(Object.entries(e.cells).map(([name, v]) => [name, readable(kinds.get(name), v)])),
      })),
    }));
    return { test: r.test, result: { ...r.result, parts } };
  });
}
