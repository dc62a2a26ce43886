// Training when storage fills up, through the real session (RunSession), the trainer worker's implementation on tfjs
// cpu over a message channel, and fake-indexeddb whose writes are made to fail as a full disk fails them: a checkpoint
// that cannot be saved pauses the run (stops training, keeps the last good checkpoint, says why); a final model that
// cannot be saved is kept for "Retry saving", the run records that it trained, and a retry with space stores it.

import * as tf from '@tensorflow/tfjs';
import { Dexie } from 'dexie';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TrainerApi } from '../../src/core/contracts/train';
import type { Run } from '../../src/core/shared/types';
import type { LoopbenchDb } from '../../src/platform/db';
import { RunsRepo } from '../../src/platform/repositories/runs';
import { TrainerClient } from '../../src/platform/workers';
import type { Services } from '../../src/state/shared/services';
import type { UnsavedModel } from '../../src/state/train/unsaved-model';
import { saveUnsaved } from '../../src/state/train/unsaved-model';
import { createTrainer } from '../../workers/train/trainer';
import { fakeDatabases, storedVersion, TEST_DATABASE, type Stored } from '../fixtures/stored-version';
import { workerOnChannel } from '../fixtures/support';
import { penguins, withHyper } from '../fixtures/tabular';
import { project as projectOf, run as runOf } from './storage-fixtures';

// The session is a rune class; under vitest (no Svelte compiler) its $state fields are plain fields.
const runes = Object.assign(<T>(v: T) => v, { raw: <T>(v: T) => v, snapshot: <T>(v: T) => v });
(globalThis as { $state?: unknown }).$state = runes;
const { RunSession, startingLive } = await import('../../src/state/train/run-session.svelte');

const EPOCHS = 300;
const project = projectOf('p1');

function quotaError(): Error {
  // As Chrome and Dexie report a full disk inside a transaction.
  return new Dexie.AbortError('Transaction aborted', new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
}

let stored: Stored;
let db: LoopbenchDb;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const open = fakeDatabases();
  stored = await storedVersion(await penguins(), open);
  const opened = await open(TEST_DATABASE);
  if (!opened.ok) throw new Error(opened.message);
  db = opened.db;
});

afterEach(() => vi.restoreAllMocks());

function setUp(runId: string, epochs = EPOCHS) {
  const runs = new RunsRepo(db);
  const services = { runs, datasets: { databaseName: TEST_DATABASE } } as unknown as Services;
  const trainer = new TrainerClient(workerOnChannel<TrainerApi>(createTrainer(stored.datasets)));
  const errors: string[] = [];
  const unsaved: UnsavedModel[] = [];
  const session = new RunSession(
    services,
    { trainer, onError: (m) => errors.push(m), onRunChanged: async () => {}, backendAfterLoss: () => null, onUnsaved: (m) => unsaved.push(m) },
    startingLive(runId, 'cpu', epochs, 'Preparing…'),
  );
  const run: Run = runOf(runId, { datasetId: stored.version.id, params: withHyper({ epochs }), name: `run ${runId}` });
  return { runs, services, trainer, session, run, errors, unsaved };
}

describe('training when storage is full', () => {
  it('pauses the run when a checkpoint cannot be saved, keeping the last one saved, and says so', async () => {
    const { runs, session, run, errors } = setUp('run-ckpt');
    // The disk fills after the first checkpoint: the next checkpoint's record fails inside its transaction (after its chunks were
    // replaced), as IndexedDB fails a write, so the transaction must roll back to the previous checkpoint.
    const put = db.checkpoints.put.bind(db.checkpoints);
    const attempted: number[] = [];
    vi.spyOn(db.checkpoints, 'put').mockImplementation((...args: Parameters<typeof put>) => {
      attempted.push(args[0].epoch);
      return attempted.length > 1 ? Dexie.Promise.reject(quotaError()) : put(...args);
    });

    const end = await session.execute(project, stored.version, run);

    expect(end).toMatchObject({ status: 'failed', storage: 'paused' });
    // Checkpoints are coalesced when writes lag the epochs, so which epochs are written varies; once one failed, no
    // later checkpoint was attempted.
    expect(attempted).toHaveLength(2);
    const [good, failedAt] = attempted;
    const stopped = await runs.get(run.id);
    // Training stopped: nowhere near its 300 epochs (it went on for 1,600 before this was fixed).
    expect(stopped?.status).toBe('failed');
    expect(stopped?.history.filter((p) => p.key === 'loss').length).toBeLessThan(EPOCHS / 2);
    expect(stopped?.note).toContain(`Paused: the checkpoint at epoch ${failedAt} could not be saved because storage is full`);
    expect(stopped?.note).toContain(`it continues after epoch ${good}`);
    expect(stopped?.note).not.toMatch(/QuotaExceededError|AbortError/);
    expect(session.live.message).toBe(end.status === 'failed' ? end.failure.kind === 'failed' && end.failure.message : '');
    // The last good checkpoint is whole and loads, for Resume; nothing was reported as a plain progress error.
    const checkpoint = await runs.checkpoints.load(run.id);
    expect(checkpoint?.epoch).toBe(good);
    expect(checkpoint?.history.filter((p) => p.key === 'loss')).toHaveLength(good);
    expect(await db.checkpointChunks.where('runId').equals(run.id).count()).toBe((await db.checkpoints.get(run.id))?.chunkCount);
    expect(errors).toEqual([]);
    // A reload does not blame the reload: the run is not 'running', so it is left alone.
    expect(await runs.markInterrupted()).toEqual([]);
    expect((await runs.get(run.id))?.note).toBe(stopped?.note);
  });

  it('keeps a model whose final write fails, records that it trained, and stores it on retry once space returns', async () => {
    const { runs, services, session, run: short, unsaved } = setUp('run-final', 5);
    const bulkPut = db.artifacts.bulkPut.bind(db.artifacts);
    let full = true;
    vi.spyOn(db.artifacts, 'bulkPut').mockImplementation((...args: Parameters<typeof bulkPut>) =>
      full ? Dexie.Promise.reject(quotaError()) : bulkPut(...args),
    );

    const end = await session.execute(project, stored.version, short);

    expect(end).toMatchObject({ status: 'failed', storage: 'unsaved' });
    expect(unsaved).toHaveLength(1);
    const kept = unsaved[0];
    expect(kept.message).toContain('Training finished, but the model was not saved. Could not save the trained model: storage is full');
    expect(kept.message).not.toMatch(/QuotaExceededError|AbortError/);
    expect(kept.weights.byteLength).toBeGreaterThan(0);
    const recorded = await runs.get(short.id);
    expect(recorded?.status).toBe('failed');
    expect(recorded?.model).toBeNull();
    expect(recorded?.note).toContain('Trained, but the model could not be saved');
    expect(recorded?.history.filter((p) => p.key === 'loss')).toHaveLength(5);
    // No partial weights, and the last checkpoint stays so the run can also be resumed after a reload.
    expect(await db.artifacts.where('runId').equals(short.id).count()).toBe(0);
    expect((await runs.checkpoints.load(short.id))?.epoch).toBe(5);

    // Still full: the retry fails and changes nothing.
    await expect(saveUnsaved(services, kept)).rejects.toThrow();
    expect((await runs.get(short.id))?.status).toBe('failed');

    full = false;
    await saveUnsaved(services, kept);
    const saved = await runs.get(short.id);
    expect(saved?.status).toBe('finished');
    expect(saved?.evaluation).not.toBeNull();
    const model = await runs.loadModel(short.id);
    expect(new Float32Array(model.weights)).toEqual(new Float32Array(kept.weights));
    expect(await runs.checkpoints.load(short.id)).toBeNull();
  });
});
