import { describe, expect, it } from 'vitest';
import { drive, newRun, STAGES, type PipelineRun, type StageResult, type StageRunners } from '../../../src/core/deliver/pipeline';

const queued = () => newRun({ id: 'r1', pipelineId: 'p1', at: 0, trigger: { kind: 'manual' } });

function runners(over: Partial<StageRunners> = {}): StageRunners {
  const pass = async (): Promise<StageResult> => ({ status: 'passed' });
  return { ...(Object.fromEntries(STAGES.map((s) => [s, pass])) as unknown as StageRunners), ...over };
}

function options(signal = new AbortController().signal) {
  let t = 0;
  const saved: PipelineRun[] = [];
  return { saved, opts: { now: () => ++t, save: async (run: PipelineRun) => void saved.push(run), signal } };
}

describe('drive', () => {
  it('runs every stage in order, saving at the start and after each stage', async () => {
    const order: string[] = [];
    const track = (name: string) => async (): Promise<StageResult> => (order.push(name), { status: 'passed' });
    const { saved, opts } = options();
    const run = await drive(queued(), runners(Object.fromEntries(STAGES.map((s) => [s, track(s)]))), opts);
    expect(order).toEqual([...STAGES]);
    expect(run.status).toBe('passed');
    expect(saved).toHaveLength(STAGES.length + 1);
    expect(saved.at(-1)).toEqual(run);
  });

  it('keeps log lines, artifacts and outputs of a stage on the run', async () => {
    const { opts } = options();
    const run = await drive(
      queued(),
      runners({
        train: async (ctx) => {
          ctx.log('epoch 1');
          ctx.artifact({ id: 'run-1', hash: 'abc' });
          ctx.output({ runId: 'run-1' });
          return { status: 'passed' };
        },
      }),
      opts,
    );
    const train = run.stages.find((s) => s.name === 'train');
    expect(train?.log.map((l) => l.text)).toEqual(['epoch 1']);
    expect(train?.artifacts).toEqual([{ id: 'run-1', hash: 'abc' }]);
    expect(run.outputs.runId).toBe('run-1');
  });

  it('a failed or throwing stage fails the run, naming the stage, and later stages never run', async () => {
    let gatesRan = false;
    const { opts } = options();
    const failed = await drive(
      queued(),
      runners({ evaluate: async () => ({ status: 'failed', reason: 'accuracy 0.8 < 0.9' }), gates: async () => ((gatesRan = true), { status: 'passed' }) }),
      opts,
    );
    expect(failed.failure).toEqual({ stage: 'evaluate', reason: 'accuracy 0.8 < 0.9' });
    expect(gatesRan).toBe(false);
    const thrown = await drive(queued(), runners({ behaviour: async () => Promise.reject(new Error('worker died')) }), options().opts);
    expect(thrown.failure).toEqual({ stage: 'behaviour', reason: 'worker died' });
  });

  it('skips a stage with its reason and goes on', async () => {
    const run = await drive(queued(), runners({ parity: async () => ({ status: 'skipped', reason: 'no parity test' }) }), options().opts);
    expect(run.status).toBe('passed');
    expect(run.stages.find((s) => s.name === 'parity')).toMatchObject({ status: 'skipped', reason: 'no parity test' });
  });

  it('stops at promote when it waits for approval, and is saved waiting', async () => {
    const { saved, opts } = options();
    const run = await drive(queued(), runners({ promote: async () => ({ status: 'await-approval' }) }), opts);
    expect(run.status).toBe('running');
    expect(run.stages.at(-1)?.status).toBe('waiting');
    expect(saved.at(-1)?.stages.at(-1)?.status).toBe('waiting');
  });

  it('an abort during a stage cancels the run, whatever the stage returns', async () => {
    const controller = new AbortController();
    const { opts } = options(controller.signal);
    const run = await drive(
      queued(),
      runners({
        train: async (ctx) => {
          controller.abort();
          expect(ctx.signal.aborted).toBe(true);
          throw new Error('aborted');
        },
      }),
      { ...opts, cancelReason: () => 'cancelled by Ada' },
    );
    expect(run.status).toBe('cancelled');
    expect(run.stages.find((s) => s.name === 'train')).toMatchObject({ status: 'cancelled', reason: 'cancelled by Ada' });
    expect(run.failure).toBeNull();
  });

  it('a run aborted before it starts ends cancelled without running a stage', async () => {
    const controller = new AbortController();
    controller.abort();
    let ran = false;
    const run = await drive(queued(), runners({ data: async () => ((ran = true), { status: 'passed' }) }), options(controller.signal).opts);
    expect(run.status).toBe('cancelled');
    expect(ran).toBe(false);
  });
});
