import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProbeEvent, TrainEvent } from '../../src/core/contracts/train';
import { defaultSpec } from '../../src/core/train/spec/defaults';
import { probeBackends } from '../../workers/train/probe';
import { createTrainer } from '../../workers/train/trainer';
import { penguins, PENGUIN_PARAMS, trainRequest, withHyper } from '../fixtures/tabular';
import { byId, storedVersion } from '../fixtures/stored-version';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import type { LoadedTrainRequest } from '../../workers/train/train-loop';

/** A trainer that reads `data` from fake-indexeddb, and how to name that version in a request. */
async function onStored(data: BuiltDataset) {
  const stored = await storedVersion(data);
  return { trainer: createTrainer(stored.datasets), request: (r: LoadedTrainRequest) => byId(r, stored.ref) };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('probeBackends', () => {
  it('times the backends that start, reports the ones that do not, and picks the fastest', async () => {
    const before = tf.memory().numTensors;
    const events: ProbeEvent[] = [];
    const result = await probeBackends('mlp', ['webgpu', 'cpu'], (e) => events.push(e));
    expect(tf.memory().numTensors).toBe(before);
    expect(result.family).toBe('mlp');
    expect(result.best).toBe('cpu');
    expect(result.measurements.map((m) => m.backend)).toEqual(['webgpu', 'cpu']);
    expect(result.measurements[0]).toMatchObject({ ok: false, msPerStep: null });
    expect(result.measurements[0].error).toMatch(/webgpu/);
    expect(result.measurements[1]).toMatchObject({ ok: true, error: null });
    expect(result.measurements[1].msPerStep).toBeGreaterThan(0);
    expect(events.map((e) => e.backend).sort()).toEqual(['cpu', 'webgpu']);
    // How long the probe takes is a speed figure, printed by `npm run bench` (its probe table), not asserted here.
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it('times a small CNN on images and reports wasm as unable to train it without trying', async () => {
    const before = tf.memory().numTensors;
    const events: ProbeEvent[] = [];
    const result = await probeBackends('cnn', ['wasm', 'cpu'], (e) => events.push(e));
    expect(tf.memory().numTensors).toBe(before);
    expect(result.family).toBe('cnn');
    expect(result.best).toBe('cpu');
    expect(result.measurements[0]).toMatchObject({ backend: 'wasm', ok: false, msPerStep: null });
    expect(result.measurements[0].error).toMatch(/Conv2DBackpropFilter/);
    expect(result.measurements[1]).toMatchObject({ backend: 'cpu', ok: true, error: null });
    expect(result.measurements[1].msPerStep).toBeGreaterThan(0);
    // Only the backend that was actually timed is announced.
    expect(events.map((e) => e.backend)).toEqual(['cpu']);
  });

  it('times the linear family on its own', async () => {
    const result = await probeBackends('linear', ['cpu'], () => undefined);
    expect(result).toMatchObject({ family: 'linear', best: 'cpu' });
    expect(result.measurements[0].msPerStep).toBeGreaterThan(0);
  });
});

describe('createTrainer', () => {
  it('reports the backend, trains, and ends the run when stop() names it', async () => {
    const data = await penguins();
    const { trainer, request } = await onStored(data);
    const events: TrainEvent[] = [];
    const result = await trainer.train(request(trainRequest(data, 'classification', PENGUIN_PARAMS, 'run-stop')), (e) => {
      events.push(e);
      if (e.type === 'epoch' && e.epoch === 1) {
        trainer.stop('some-other-run');
        trainer.stop('run-stop');
      }
    });
    expect(events[0]).toMatchObject({ type: 'backend', backend: 'cpu' });
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochsCompleted).toBe(1);
    expect(result.model.weights.byteLength).toBeGreaterThan(0);

    // The stop request belonged to that run only: the next run goes the distance.
    const next = await trainer.train(request(trainRequest(data, 'classification', withHyper({ epochs: 2 }), 'run-stop')), () => {});
    expect(next.stoppedEarly).toBe(false);
    expect(next.epochsCompleted).toBe(2);
  });

  it('tells, before the first epoch, the environment the run trains in', async () => {
    const data = await penguins();
    const events: TrainEvent[] = [];
    const { trainer, request } = await onStored(data);
    await trainer.train(request(trainRequest(data, 'classification', withHyper({ epochs: 1 }), 'run-environment')), (e) => events.push(e));
    const first = events[0];
    expect(first.type).toBe('backend');
    expect(events.findIndex((e) => e.type === 'epoch')).toBeGreaterThan(0);
    const environment = first.type === 'backend' ? first.environment : null;
    // Node 20 has no navigator: the browser is unknown and the cores are not guessed; the cpu backend names no device.
    expect(environment).toEqual({ browser: 'unknown', backend: 'cpu', device: null, tfjs: '4.22.0', cores: null });
  });

  it('describes a version by id for the Train screen: inputs, outputs and encoded features', async () => {
    const data = await penguins();
    const stored = await storedVersion(data);
    const summary = await createTrainer(stored.datasets).describeInput(stored.ref, 'classification');
    expect(summary.outputs).toBe(3);
    expect(summary.input.kind).toBe('tabular');
    const width = summary.features.reduce((n, f) => n + f.width, 0);
    expect(summary.input).toEqual({ kind: 'tabular', features: width });
    expect(summary.features.find((f) => f.name === 'Island')).toEqual({ name: 'Island', kind: 'category', width: 3 });
  });

  it('refuses a backend that is not available instead of training elsewhere', async () => {
    const data = await penguins();
    const { trainer, request } = await onStored(data);
    await expect(trainer.train({ ...request(trainRequest(data, 'classification', PENGUIN_PARAMS)), backend: 'wasm' }, () => {})).rejects.toThrow(
      /wasm backend is not available/,
    );
    expect(tf.getBackend()).toBe('cpu');
  });

  it('refuses to train the CNN on wasm, with the reason, before switching backends', async () => {
    const data = await penguins();
    const cnn = withHyper({}, defaultSpec('cnn'));
    const { trainer, request } = await onStored(data);
    await expect(trainer.train({ ...request(trainRequest(data, 'classification', cnn)), backend: 'wasm' }, () => {})).rejects.toThrow(
      /CNN cannot train on the wasm backend.*Conv2DBackpropFilter/,
    );
    expect(tf.getBackend()).toBe('cpu');
  });
});
