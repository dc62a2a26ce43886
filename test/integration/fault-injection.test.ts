// Issue 17, fault injection: every write path, failed at each of its mutations in each way a write fails (a quota
// error, a quota error inside Dexie's AbortError, any other error, the transaction aborted underneath, the worker
// killed), from a copy of the same starting database. A fault holds when the call did not report success and the
// database still holds exactly what it held: nothing already stored changed, nothing half-written remains. One
// summary line per path; any fault that did not hold fails the test with what it left.

import { afterAll, describe, expect, it } from 'vitest';
import type { StoredChunkHead } from '../../src/platform/db';
import { CheckpointsRepo } from '../../src/platform/repositories/checkpoints';
import { deleteVersionPath, importPath, recipePath, restoreMergePath, restoreReplacePath } from './faults/data-paths';
import { withDb } from './faults/db';
import { logAppendPath, logStreamPath, REPLAY_BATCH, REPLAY_BATCHES, replayPath } from './faults/log-paths';
import { bundleImportPath, checkpoint, checkpointPath, deleteRunPath, finalModelPath, registerPath } from './faults/run-paths';
import { positions, summaryLine, sweepFaults, sweepStops, type Open, type SweepReport, type WritePath } from './faults/sweep';
import { compareSnapshots, snapshotOf } from './faults/snapshot';
import { openDatabase } from '../../src/platform/open-db';
import { freshDeps } from './storage-fixtures';

const reports: SweepReport[] = [];

afterAll(() => {
  const injected = reports.reduce((n, r) => n + r.injected, 0);
  const held = reports.reduce((n, r) => n + r.held, 0);
  console.log([...reports.map(summaryLine), `faults: all paths ${injected} injected, ${held} held`].join('\n'));
});

async function sweep(path: WritePath): Promise<void> {
  const report = await sweepFaults(path);
  reports.push(report);
  expect(report.failures, `${path.name}: faults that did not hold`).toEqual([]);
  expect(report.held).toBe(report.injected);
}

describe('fault injection on every write path', () => {
  it('dataset import (parse worker): a failed or killed write stores no part of the version', () => sweep(importPath));
  it('recipe apply (analysis worker): a failed or killed write stores no part of the derived version', () => sweep(recipePath));
  it('checkpoint: a failed write keeps the previous checkpoint whole and adds no chunk', () => sweep(checkpointPath));
  it("a run's final model: a failed write keeps the run as it was and stores no weight chunk", () => sweep(finalModelPath));
  it('register a model version: a failed write leaves the model and its audit as they were', () => sweep(registerPath));
  it('bundle import: a failed write stores no project, run, weight chunk or model version', () => sweep(bundleImportPath));
  it('request-log append (predict worker): a failed or killed append stores neither head nor columns', () => sweep(logAppendPath));
  it('request-log stream (predict worker): stopped at any chunk, it leaves only whole chunks', () => sweep(logStreamPath));
  it('traffic replay (predict worker): failed or killed at any write, it leaves only whole chunks', () => sweep(replayPath));
  it('delete a version: a failed delete keeps the version with every chunk', () => sweep(deleteVersionPath));
  it('delete a run: a failed delete keeps the run with its weights, checkpoint and evaluations', () => sweep(deleteRunPath));
  it('workspace restore, replace (parse worker): a failed or killed restore leaves the old workspace whole', () => sweep(restoreReplacePath));
  it('workspace restore, merge (parse worker): a failed or killed restore adds nothing and changes nothing', () => sweep(restoreMergePath));

  it('traffic replay stopped by the page after any batch: whole chunks holding exactly the rows scored', async () => {
    const report = await sweepStops(replayPath, REPLAY_BATCHES, (added, k) => {
      const heads = (added.get('requestChunks') ?? []) as StoredChunkHead[];
      const rows = (role: string) => heads.filter((h) => h.role === role).reduce((n, h) => n + h.rows, 0);
      const scored = k * REPLAY_BATCH;
      return (['serving', 'shadow'] as const).flatMap((role) => (rows(role) === scored ? [] : [`${rows(role)} ${role} rows logged, ${scored} scored`]));
    });
    reports.push(report);
    expect(report.failures).toEqual([]);
    expect(report.held).toBe(report.injected);
  });
});

describe('the sweep itself', () => {
  it('tries every mutation up to 30, then ten more drawn the same way each run', () => {
    expect(positions(12)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const many = positions(500);
    expect(many.slice(0, 30)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const sampled = many.slice(30);
    expect(new Set(sampled).size).toBe(10);
    expect(sampled.every((n) => n > 30 && n <= 500)).toBe(true);
    expect(positions(500)).toEqual(many);
  });

  it('finds a torn write: every fault after the first mutation fails, and says what it left', async () => {
    // Three separate transactions: the old record deleted, new chunks put, the new record put.
    const path: WritePath = {
      ...checkpointPath,
      name: 'torn checkpoint',
      killable: true,
      write: (open) =>
        withDb(open, async (db) => {
          const big = Float32Array.from({ length: 1_200_000 }, (_, i) => i).buffer;
          await db.transaction('rw', db.checkpoints, () => db.checkpoints.delete('r1'));
          await db.transaction('rw', db.checkpointChunks, () =>
            db.checkpointChunks.bulkPut([
              { runId: 'r1', index: 0, data: big.slice(0, 4 * 1024 * 1024) },
              { runId: 'r1', index: 1, data: big.slice(4 * 1024 * 1024) },
            ]),
          );
          await db.transaction('rw', db.checkpoints, async () => {
            const other = await db.checkpoints.get('r2');
            await db.checkpoints.put({ ...other!, runId: 'r1' });
          });
        }),
    };
    const report = await sweepFaults(path);
    expect(report.mutations).toBe(3);
    // 8 faults at each mutation (3 errors x 2 modes, an abort, a kill); only those at the first hold.
    expect(report.injected).toBe(24);
    expect(report.held).toBe(8);
    expect(report.failures).toHaveLength(16);
    // Every fault after the old record's deletion lost it; those after the chunks' commit also left an orphan.
    expect(report.failures.every((f) => f.includes('changed checkpoints "r1": missing'))).toBe(true);
    const orphans = report.failures.filter((f) => f.includes('left checkpointChunks: 1 new'));
    expect(orphans).toHaveLength(8);
    expect(orphans.every((f) => f.startsWith('mutation 3 '))).toBe(true);
    expect(report.failures.some((f) => f.startsWith('mutation 2 kill'))).toBe(true);
  });

  it('tells a record changed by one byte deep in a typed array, and a record that appeared, by store and key', async () => {
    const deps = freshDeps();
    const open: Open = (name) => openDatabase({ name, deps });
    await logAppendPath.seed(open);
    const before = await snapshotOf(deps, logAppendPath.databaseName);
    await withDb(open, async (db) => {
      const [first] = await db.requestChunkData.toArray();
      const latencyMs = first.columns.latencyMs.slice();
      latencyMs[3] += 1;
      await db.requestChunkData.put({ ...first, columns: { ...first.columns, latencyMs } });
      await db.meta.put({ key: 'stray', value: 1 });
    });
    const { changed, added } = compareSnapshots(before, await snapshotOf(deps, logAppendPath.databaseName));
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatch(/^requestChunkData 1: \.columns\.latencyMs: byte \d+ differs$/);
    expect([...added.keys()]).toEqual(['meta']);
    expect(compareSnapshots(before, before)).toEqual({ changed: [], added: new Map() });
  });

  it('finds a write that swallows its failure and reports success', async () => {
    const path: WritePath = {
      ...checkpointPath,
      name: 'silent checkpoint',
      write: (open) => withDb(open, (db) => new CheckpointsRepo(db).save('r1', checkpoint(2, 10, true)).catch(() => undefined)),
    };
    const report = await sweepFaults(path);
    expect(report.injected).toBe(21);
    expect(report.held).toBe(0);
    expect(report.failures.every((f) => f.endsWith('the call reported success'))).toBe(true);
  });
});
