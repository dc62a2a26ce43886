import { expose } from 'comlink';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkerHandle, WorkerKilledError, WorkerTimeoutError } from '../../src/platform/worker-handle';

interface SlowApi {
  echo(value: string): Promise<string>;
  hang(): Promise<never>;
  /** Runs until `stop` is called, then rejects as a cancelled worker job does. */
  job(): Promise<string>;
  stop(): void;
}

/** A worker stand-in on a real MessageChannel, so comlink runs exactly as it does with a Worker. */
function spawner() {
  const spawned: { terminated: boolean }[] = [];
  const spawn = () => {
    const { port1, port2 } = new MessageChannel();
    let stopJob = (): void => {};
    const api: SlowApi = {
      echo: async (value) => value,
      hang: () => new Promise<never>(() => {}),
      job: () => new Promise<string>((_, reject) => (stopJob = () => reject({ kind: 'cancelled' }))),
      stop: () => stopJob(),
    };
    expose(api, port2 as unknown as Parameters<typeof expose>[1]);
    const record = { terminated: false };
    spawned.push(record);
    const worker = Object.assign(port1, {
      terminate() {
        record.terminated = true;
        port1.close();
        port2.close();
      },
    });
    return worker as unknown as Worker;
  };
  return { spawn, spawned };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('WorkerHandle', () => {
  it('spawns on first use, reuses the worker, and ends it once idle', async () => {
    const { spawn, spawned } = spawner();
    const handle = new WorkerHandle<SlowApi>(spawn, 30);
    expect(await handle.use((w) => w.echo('a'))).toBe('a');
    expect(await handle.use((w) => w.echo('b'))).toBe('b');
    expect(spawned).toHaveLength(1);
    expect(handle.generation).toBe(1);
    // Idle time counts from the last call's end.
    vi.advanceTimersByTime(29);
    expect(handle.alive).toBe(true);
    vi.advanceTimersByTime(1);
    expect(handle.alive).toBe(false);
    expect(spawned[0]!.terminated).toBe(true);
    expect(await handle.use((w) => w.echo('c'))).toBe('c');
    expect(handle.generation).toBe(2);
    handle.kill();
  });

  it('is not ended for idleness while a call is in flight', async () => {
    const { spawn, spawned } = spawner();
    const handle = new WorkerHandle<SlowApi>(spawn, 10);
    // The first call leaves the idle countdown running; the next one must stop it.
    expect(await handle.use((w) => w.echo('a'))).toBe('a');
    const pending = handle.use((w) => w.hang());
    vi.advanceTimersByTime(60_000);
    expect(spawned[0]!.terminated).toBe(false);
    handle.kill();
    await expect(pending).rejects.toBeInstanceOf(WorkerKilledError);
  });

  it('ends a worker that does not answer in time and says so', async () => {
    const { spawn, spawned } = spawner();
    const handle = new WorkerHandle<SlowApi>(spawn, 60_000);
    let settled = false;
    const pending = handle.use((w) => w.hang(), 40);
    pending.catch(() => void (settled = true));
    await vi.advanceTimersByTimeAsync(39);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    await expect(pending).rejects.toBeInstanceOf(WorkerTimeoutError);
    expect(spawned[0]!.terminated).toBe(true);
    expect(handle.alive).toBe(false);
  });

  it('rejects an aborted call as cancelled, ending a worker that cannot be asked to stop', async () => {
    const { spawn, spawned } = spawner();
    const handle = new WorkerHandle<SlowApi>(spawn, 60_000);
    const abort = new AbortController();
    const pending = handle.run((w) => w.hang(), { signal: abort.signal });
    abort.abort();
    await expect(pending).rejects.toEqual({ kind: 'cancelled' });
    expect(spawned[0]!.terminated).toBe(true);
    // The next call gets a fresh worker.
    expect(await handle.run((w) => w.echo('again'))).toBe('again');
    expect(handle.generation).toBe(2);
    handle.kill();
  });

  it('asks a worker that can cancel to stop, and keeps it', async () => {
    const { spawn, spawned } = spawner();
    const handle = new WorkerHandle<SlowApi>(spawn, 60_000);
    const abort = new AbortController();
    const pending = handle.run((w) => w.job(), { signal: abort.signal, cancel: (w) => w.stop() });
    // Let the job start in the worker before the abort.
    expect(await handle.use((w) => w.echo('started'))).toBe('started');
    abort.abort();
    await expect(pending).rejects.toEqual({ kind: 'cancelled' });
    expect(spawned[0]!.terminated).toBe(false);
    expect(await handle.use((w) => w.echo('same worker'))).toBe('same worker');
    expect(handle.generation).toBe(1);
    handle.kill();
  });

  it('does not start a call whose signal is already aborted', async () => {
    const { spawn, spawned } = spawner();
    const handle = new WorkerHandle<SlowApi>(spawn, 60_000);
    await expect(handle.run((w) => w.echo('never'), { signal: AbortSignal.abort() })).rejects.toEqual({ kind: 'cancelled' });
    expect(spawned).toHaveLength(0);
  });

  it('keeps the failure of a call that failed on its own', async () => {
    const { spawn } = spawner();
    const handle = new WorkerHandle<SlowApi>(spawn, 60_000);
    const abort = new AbortController();
    const pending = handle.run((w) => w.hang(), { signal: abort.signal });
    handle.kill();
    await expect(pending).rejects.toBeInstanceOf(WorkerKilledError);
  });
});
