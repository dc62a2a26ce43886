// The largest things stored, so a "storage is full" message can name what to delete. Read from the small records
// only (a version's size from its row and column counts, weights and checkpoints from their recorded byte lengths),
// never from the chunks themselves, so it stays cheap when the disk is full.

import type { StorageItem } from '../../core/shared/storage-room';
import type { LoopbenchDb } from '../db';

/** Bytes a stored cell takes, about: numbers and dates are 8, category codes 4; the split column adds one a row. */
const CELL_BYTES = 8;

export async function largestItems(db: LoopbenchDb, limit = 3): Promise<StorageItem[]> {
  const [versions, runs, checkpoints] = await db.transaction('r', db.datasets, db.runs, db.checkpoints, () =>
    Promise.all([db.datasets.toArray(), db.runs.toArray(), db.checkpoints.toArray()]),
  );
  const runName = new Map(runs.map((r) => [r.id, r.name]));
  const items: StorageItem[] = [
    ...versions.map((v) => ({ label: `dataset version "${v.name}"`, bytes: v.rowCount * (v.schema.length * CELL_BYTES + 1) })),
    ...runs.filter((r) => r.model).map((r) => ({ label: `the model of run "${r.name}"`, bytes: r.model?.byteLength ?? 0 })),
    ...checkpoints.map((c) => ({
      label: `the checkpoint of run "${runName.get(c.runId) ?? c.runId}"`,
      bytes: c.parts.reduce((a, b) => a + b, 0),
    })),
  ];
  return items.filter((i) => i.bytes > 0).sort((a, b) => b.bytes - a.bytes).slice(0, limit);
}
