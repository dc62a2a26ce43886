// Liveness of workers behind a WorkerHandle: a worker that dies while a call is pending (crash, out of memory,
// self.close()) never answers, so the handle must notice the silence or an error event and fail the call.
import { readdirSync, readFileSync } from 'node:fs';
import { expose } from 'comlink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkerDiedError, WorkerHandle, WorkerKilledError } from '../../src/platform/worker-handle';

interface Api {
  echo(value: string): Promise<string>;
  wait(ms: number): Promise<string>;
  hang(): Promise<never>;
}

/**
 * A Worker stand-in: comlink runs on a real MessageChannel; the "worker side" beats every `beatMs` like
 * workers/shared/heartbeat.ts (or stays silent, as a dead worker does) and can raise a top-level error event.
 */
class FakeWorker extends EventTarget {
  terminated = false;
  readonly #page: MessagePort;
  readonly #inside: MessagePort;
  #beat: ReturnType<typeof setInterval> | null = null;

  constructor(beatMs: number | null) {
    super();
    const { port1, port2 } = new MessageChannel();
    this.#page = port1;
    this.#inside = port2;
    port1.addEventListener('message', (e) => this.dispatchEvent(new MessageEvent('message', { data: (e as MessageEvent).data })));
    port1.start();
    const api: Api = {
      echo: async (value) => value,
      wait: (ms) => new Promise((resolve) => setTimeout(() => resolve('done'), ms)),
      hang: () => new Promise<never>(() => {}),
    };
    expose(api, port2 as unknown as Parameters<typeof expose>[1]);
    if (beatMs !== null) this.#beat = setInterval(() => this.#inside.postMessage({ heartbeat: true }), beatMs);
  }

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    this.#page.postMessage(message, transfer);
  }

  /** A message from inside the worker that is not a comlink reply (a heartbeat). */
  send(message: unknown, transfer: Transferable[] = []): void {
    this.#inside.postMessage(message, transfer);
  }

  /** The worker goes quiet without a word, as after self.close() or a crash. */
  die(): void {
    if (this.#beat) clearInterval(this.#beat);
    this.#beat = null;
    this.#inside.close();
  }

  /** An uncaught error at the worker's top level. */
  fail(message: string): void {
    const event = new Event('error', { cancelable: true });
    this.dispatchEvent(Object.assign(event, { message }));
  }

  terminate(): void {
    this.terminated = true;
    this.die();
    this.#page.close();
  }
}

function spawner(beatMs: number | null) {
  const spawned: FakeWorker[] = [];
  const spawn = () => {
    const worker = new FakeWorker(beatMs);
    spawned.push(worker);
    return worker as unknown as Worker;
  };
  return { spawn, spawned };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  vi.useRealTimers();
});

describe('WorkerHandle liveness', () => {
  it('declares a silent worker dead after deadAfterMs, ends it, and spawns a fresh one next time', async () => {
    const { spawn, spawned } = spawner(20);
    const handle = new WorkerHandle<Api>(spawn, 60_000, { deadAfterMs: 150, label: 'training worker' });
    expect(await handle.use((w) => w.echo('a'))).toBe('a');
    const started = performance.now();
    const pending = handle.use((w) => w.hang());
    await sleep(100);
    spawned[0]!.die();
    await expect(pending).rejects.toBeInstanceOf(WorkerDiedError);
    await expect(pending).rejects.toThrow(/^The training worker stopped responding \(it crashed or was closed\)/);
    // Noticed once the silence passed the limit, and not much later.
    const noticedAfter = performance.now() - started;
    expect(noticedAfter).toBeGreaterThanOrEqual(100 + 150 - 25);
    expect(noticedAfter).toBeLessThan(100 + 150 + 500);
    expect(spawned[0]!.terminated).toBe(true);
    expect(handle.alive).toBe(false);

    expect(await handle.use((w) => w.echo('b'))).toBe('b');
    expect(spawned).toHaveLength(2);
    expect(handle.generation).toBe(2);
    handle.kill();
  });

  it('fails every call in flight, not only the first', async () => {
    const { spawn, spawned } = spawner(null);
    const handle = new WorkerHandle<Api>(spawn, 60_000, { deadAfterMs: 80 });
    const calls = [handle.use((w) => w.hang()), handle.use((w) => w.hang())];
    await Promise.all(calls.map((c) => expect(c).rejects.toBeInstanceOf(WorkerDiedError)));
    expect(spawned).toHaveLength(1);
    expect(spawned[0]!.terminated).toBe(true);
  });

  it('keeps a slow call going while the worker beats', async () => {
    const { spawn, spawned } = spawner(20);
    const handle = new WorkerHandle<Api>(spawn, 60_000, { deadAfterMs: 100 });
    expect(await handle.use((w) => w.wait(450))).toBe('done');
    expect(spawned[0]!.terminated).toBe(false);
    handle.kill();
  });

  it('keeps a worker alive whose own thread is busy while its nested heartbeat beats on the port it sent', async () => {
    // The worker itself is silent (one long synchronous step); only the port from workers/shared/heartbeat.ts beats.
    const { spawn, spawned } = spawner(null);
    const handle = new WorkerHandle<Api>(spawn, 60_000, { deadAfterMs: 100 });
    const pending = handle.use((w) => w.wait(450));
    const { port1, port2 } = new MessageChannel();
    spawned[0]!.send({ heartbeat: true, port: port1 }, [port1]);
    const pulse = setInterval(() => port2.postMessage({ heartbeat: true }), 20);
    try {
      expect(await pending).toBe('done');
      expect(spawned[0]!.terminated).toBe(false);
      // The nested heartbeat stops (its parent ended): the next long call fails.
      clearInterval(pulse);
      await expect(handle.use((w) => w.hang())).rejects.toBeInstanceOf(WorkerDiedError);
      expect(spawned[0]!.terminated).toBe(true);
    } finally {
      clearInterval(pulse);
      port2.close();
    }
  });

  it('does not watch a worker without deadAfterMs (one computing for minutes)', async () => {
    const { spawn, spawned } = spawner(null);
    const handle = new WorkerHandle<Api>(spawn, 60_000);
    expect(await handle.use((w) => w.wait(200))).toBe('done');
    expect(spawned[0]!.terminated).toBe(false);
    handle.kill();
  });

  it('fails calls in flight at once on an error event at the worker top level', async () => {
    const { spawn, spawned } = spawner(20);
    const handle = new WorkerHandle<Api>(spawn, 60_000, { deadAfterMs: 60_000, label: 'training worker' });
    const pending = handle.use((w) => w.hang());
    await sleep(30);
    const started = performance.now();
    spawned[0]!.fail('out of memory');
    await expect(pending).rejects.toThrow(/^The training worker stopped responding .* after an error: out of memory;/);
    await expect(pending).rejects.toBeInstanceOf(WorkerDiedError);
    expect(performance.now() - started).toBeLessThan(50);
    expect(spawned[0]!.terminated).toBe(true);
    expect(await handle.use((w) => w.echo('again'))).toBe('again');
    expect(spawned).toHaveLength(2);
    handle.kill();
  });

  it('ignores an error or a message from a worker it has already replaced', async () => {
    const { spawn, spawned } = spawner(20);
    const handle = new WorkerHandle<Api>(spawn, 60_000, { deadAfterMs: 60_000 });
    await handle.use((w) => w.echo('a'));
    handle.kill();
    const pending = handle.use((w) => w.wait(60));
    spawned[0]!.fail('late error from the old worker');
    expect(await pending).toBe('done');
    handle.kill();
  });

  it('does not blame the worker for a page that was itself busy', async () => {
    // The page blocks longer than deadAfterMs: the worker's beat is queued behind the watchdog's late tick.
    const { spawn, spawned } = spawner(10);
    const handle = new WorkerHandle<Api>(spawn, 60_000, { deadAfterMs: 60 });
    const pending = handle.use((w) => w.wait(400));
    await sleep(30);
    const until = performance.now() + 250;
    while (performance.now() < until) {
      // busy, as a long task on the page would be
    }
    expect(await pending).toBe('done');
    expect(spawned[0]!.terminated).toBe(false);
    handle.kill();
  });

  it('leaves no timer behind once calls settle, the worker is killed, idles out or dies', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
    const { spawn } = spawner(null);
    const handle = new WorkerHandle<Api>(spawn, 1000, { deadAfterMs: 400 });
    expect(await handle.use((w) => w.echo('a'))).toBe('a');
    expect(vi.getTimerCount()).toBe(1); // the idle timer only: no watchdog while nothing is pending
    vi.advanceTimersByTime(1000);
    expect(handle.alive).toBe(false);
    expect(vi.getTimerCount()).toBe(0);

    const killed = handle.use((w) => w.hang());
    expect(vi.getTimerCount()).toBe(1); // the watchdog
    handle.kill();
    await expect(killed).rejects.toBeInstanceOf(WorkerKilledError);
    expect(vi.getTimerCount()).toBe(0);

    const died = handle.use((w) => w.hang());
    vi.advanceTimersByTime(1000);
    await expect(died).rejects.toBeInstanceOf(WorkerDiedError);
    expect(handle.alive).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('worker entries', () => {
  it('each imports the heartbeat before anything else', () => {
    const dir = new URL('../../workers/', import.meta.url);
    const entries = readdirSync(dir).filter((f) => f.endsWith('.worker.ts'));
    expect(entries.length).toBeGreaterThanOrEqual(5);
    for (const entry of entries) {
      const firstImport = /^import .*$/m.exec(readFileSync(new URL(entry, dir), 'utf8'))?.[0];
      expect(firstImport, entry).toBe("import './shared/heartbeat';");
    }
  });

  it('the heartbeat beats at once and every second, and hands the page the port its nested worker beats on', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const posted: unknown[] = [];
    const nested: { url: string; messages: unknown[] }[] = [];
    vi.stubGlobal('self', { postMessage: (message: unknown) => posted.push(message) });
    vi.stubGlobal(
      'Worker',
      class {
        readonly messages: unknown[] = [];
        constructor(url: URL) {
          nested.push({ url: url.pathname, messages: this.messages });
        }
        postMessage(message: unknown) {
          this.messages.push(message);
        }
      },
    );
    try {
      await import('../../workers/shared/heartbeat');
      // No `id` in any of them: comlink's listener on the page ignores them.
      expect(posted[0]).toEqual({ heartbeat: true });
      expect(posted[1]).toEqual({ heartbeat: true, port: expect.any(MessagePort) });
      expect(nested).toHaveLength(1);
      expect(nested[0]!.url).toMatch(/heartbeat-pulse\.ts$/);
      expect(nested[0]!.messages).toEqual([{ port: expect.any(MessagePort), everyMs: 1000 }]);
      vi.advanceTimersByTime(3000);
      expect(posted).toHaveLength(5);
      vi.clearAllTimers();
      ((posted[1] as { port: MessagePort }).port).close();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
