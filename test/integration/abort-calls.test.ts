// Every page-side call that can take more than a second takes an AbortSignal (WorkerHandle.run): aborting ends it
// with the Failure { kind: 'cancelled' }, whether the worker is asked to stop (parse, image import, evaluation) or
// ended (the rest), and an aborted import stores nothing. Workers run on a MessageChannel, as in the browser.

import { describe, expect, it } from 'vitest';
import { AnalysisClient } from '../../src/platform/analysis-client';
import { ImageImportClient, ParserClient, PredictorClient, TrainerClient } from '../../src/platform/workers';
import type { AnalysisApi } from '../../src/core/contracts/analysis';
import type { ImageImportApi, ImageStoreLabels } from '../../src/core/contracts/images';
import type { ParserApi } from '../../src/core/contracts/parse';
import type { PredictorApi, TableRequest } from '../../src/core/contracts/predict';
import type { TrainerApi } from '../../src/core/contracts/train';
import type { LoadedRun } from '../../src/platform/workers';
import { createParser } from '../../workers/parse/parser';
import { createImageImport } from '../../workers/images/image-import';
import { ImageImporter, type DecodeImage } from '../../workers/images/importer';
import { DatasetService } from '../../workers/dataset/dataset-service';
import { DEFAULT_READ_FORMAT } from '../../src/core/shared/types';
import { fakeDatabases, TEST_DATABASE } from '../fixtures/stored-version';
import { samplePng } from '../fixtures/image-files';
import { workerOnChannel } from '../fixtures/support';

const CANCELLED = { kind: 'cancelled' };
const SPLIT = { method: 'stratified' as const, seed: 1, fractions: [0.5, 0.25, 0.25] as [number, number, number] };
const REF = { databaseName: TEST_DATABASE, versionId: 'v1' };
const LABELS: ImageStoreLabels = {
  databaseName: TEST_DATABASE,
  projectId: 'p1',
  name: 'images',
  createdAt: 1,
  source: { kind: 'file', fileName: 'images', byteLength: 1 },
};

/** A call that never answers: only the abort can end it. */
const never = () => new Promise<never>(() => {});

/** Aborts once `started` has been observed, and resolves with how the call ended. */
async function abortedOutcome(call: (signal: AbortSignal) => Promise<unknown>, started: Promise<void> = Promise.resolve()): Promise<unknown> {
  const abort = new AbortController();
  const pending = call(abort.signal).then(
    (value) => ({ resolved: value }),
    (error: unknown) => error,
  );
  await started;
  abort.abort();
  return pending;
}

describe('aborting a worker call ends it as cancelled', () => {
  it('for calls the worker cannot interrupt: the worker is ended', async () => {
    const trainer = new TrainerClient(workerOnChannel({ probe: never, describeInput: never } as unknown as TrainerApi));
    const parser = new ParserClient(workerOnChannel({ guess: never, buildAndStore: never, productionVersion: never } as unknown as ParserApi));
    const images = new ImageImportClient(workerOnChannel({ drawShapesSample: never } as unknown as ImageImportApi));
    const predictor = new PredictorClient(workerOnChannel({ load: async () => 'cpu', predict: never } as unknown as PredictorApi));
    const analysis = new AnalysisClient(
      workerOnChannel({ profile: never, validate: never, previewRecipe: never, applyRecipe: never, dataTests: never, monitorSignals: never, monitorDrill: never } satisfies AnalysisApi),
    );
    const run = { model: { topology: {}, weightSpecs: [], weights: new ArrayBuffer(0) } } as unknown as LoadedRun;
    const recipe = { version: 1 as const, steps: [] };
    const calls: [string, (signal: AbortSignal) => Promise<unknown>][] = [
      ['probe', (s) => trainer.probe('mlp', ['cpu'], () => {}, s)],
      ['describeInput', (s) => trainer.describeInput(REF, 'classification', s)],
      ['guess', (s) => parser.guess('h', DEFAULT_READ_FORMAT, s)],
      ['buildAndStore', (s) => parser.buildAndStore('h', {} as never, {} as never, s)],
      ['drawShapesSample', (s) => images.drawShapesSample(SPLIT, LABELS, s)],
      ['predict', (s) => predictor.predict('k', async () => run, [{}], s)],
      ['profile', (s) => analysis.profile(REF, s)],
      ['validate', (s) => analysis.validate([], REF, s)],
      ['previewRecipe', (s) => analysis.previewRecipe(REF, recipe, undefined, s)],
      ['applyRecipe', (s) => analysis.applyRecipe(REF, recipe, { ...LABELS }, s)],
      ['productionVersion', (s) => parser.productionVersion({} as never, s)],
    ];
    for (const [name, call] of calls) {
      expect([name, await abortedOutcome(call)]).toEqual([name, CANCELLED]);
    }
  });

  it('for an evaluation: the worker is asked to cancel the job', async () => {
    // As the predictor does, a cancel that comes before its job (here: while the model loads) is kept for it.
    const cancelled: string[] = [];
    let rejectJob = (_: unknown): void => {};
    const api = {
      load: async () => 'cpu',
      evaluate: (_key: string, request: TableRequest) =>
        new Promise((_, reject) => {
          rejectJob = reject;
          if (cancelled.includes(request.jobId)) reject({ kind: 'cancelled' });
        }),
      cancel: (jobId: string) => {
        cancelled.push(jobId);
        rejectJob({ kind: 'cancelled' });
      },
    } as unknown as PredictorApi;
    const predictor = new PredictorClient(workerOnChannel(api));
    const run = { model: { topology: {}, weightSpecs: [], weights: new ArrayBuffer(0) } } as unknown as LoadedRun;
    const request = { jobId: 'job-1', dataset: REF, split: 'test', recipes: [] } as TableRequest;
    let loaded = (): void => {};
    const started = new Promise<void>((resolve) => (loaded = resolve));
    const outcome = abortedOutcome(
      (s) =>
        predictor.evaluate(
          'k',
          async () => {
            loaded();
            return run;
          },
          request,
          () => {},
          s,
        ),
      started,
    );
    expect(await outcome).toEqual(CANCELLED);
    expect(cancelled).toEqual(['job-1']);
  });

  it('for a file being read: the parser stops between chunks', async () => {
    const parser = new ParserClient(workerOnChannel(createParser(fakeDatabases())));
    const csv = 'a,b\n' + '1,2\n'.repeat(2_000_000);
    let firstProgress = (): void => {};
    const started = new Promise<void>((resolve) => (firstProgress = resolve));
    const outcome = await abortedOutcome(
      (s) => parser.parseFile(new Blob([csv]), 'big.csv', (e) => e.type === 'progress' && firstProgress(), s),
      started,
    );
    expect(outcome).toEqual(CANCELLED);
  });

  it('for an image import: nothing is stored', async () => {
    const open = fakeDatabases();
    // The first image waits until the worker has been told to cancel, so the abort lands mid-import.
    let cancelAsked = (): void => {};
    const asked = new Promise<void>((resolve) => (cancelAsked = resolve));
    let firstImage = (): void => {};
    const started = new Promise<void>((resolve) => (firstImage = resolve));
    const decode: DecodeImage = async (_bytes, _format, out) => {
      firstImage();
      await asked;
      out.fill(1);
    };
    const importer = new ImageImporter(() => decode);
    const api = createImageImport(importer, new DatasetService(open));
    const images = new ImageImportClient(
      workerOnChannel({
        ...api,
        cancel: () => {
          api.cancel();
          cancelAsked();
        },
      }),
    );
    const files = Array.from({ length: 40 }, (_, i) => ({
      file: new Blob([samplePng(i % 2 ? 'red' : 'blue') as Uint8Array<ArrayBuffer>]),
      path: `${i}.png`,
      label: i % 2 ? 'red' : 'blue',
    }));
    const outcome = await abortedOutcome(
      (s) => images.importImages({ inputs: [{ kind: 'files', files }], shape: { width: 8, height: 8, channels: 3 }, split: SPLIT, store: LABELS }, () => {}, s),
      started,
    );
    expect(outcome).toEqual(CANCELLED);
    const opened = await open(TEST_DATABASE);
    if (!opened.ok) throw new Error(opened.message);
    const { db } = opened;
    expect(await db.datasets.count()).toBe(0);
    expect(await db.chunks.count()).toBe(0);
  });
});
