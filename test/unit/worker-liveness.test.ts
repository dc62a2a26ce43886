// Liveness of workers behind a WorkerHandle: a worker that dies while a call is pending (crash, out of memory,
// self.close()) never answers, so the handle must notice the silence or an error event and fail the call.
// The clock is fake: each test moves time itself, so what it checks is the order of beats, silences and verdicts,
// not how fast this machine happens to be.
import { readdirSync, readFileSync } from 'node:fs';
import { expose } from 'comlink';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkerDiedError, WorkerHandle, WorkerKilledError } from '../../src/platform/worker-handle';

interface Api {
  echo(value: string): Promise<string>;
  /** Answers once the test calls release(), however much (fake) time passed meanwhile. */
  wait(): Promise<string>;
  hang(): Promise<never>;
}

/**
 * A Worker stand-in: comlink runs on a real MessageChannel; the "worker side" beats every `beatMs` of the fake clock
 * like workers/shared/heartbeat.ts (or stays silent, as a dead worker does) and can raise a top-level error event. Beats are
 * dispatched at once rather than posted, so the fake clock alone orders them against the page's watchdog.
 */
class FakeWorker extends EventTarget {
  terminated = false;
  readonly #page: MessagePort;
  readonly #inside: MessagePort;
  #beat: ReturnType<typeof setInterval> | null = null;
  /** Beats that arrived while the page was busy: queued, as messages are behind a long task. */
  #held: Event[] | null = null;
  #release: () => void = () => {};
  readonly #released = new Promise<string>((resolve) => {
    this.#release = () => resolve('done');
  });

  constructor(beatMs: number | null) {
    super();
    const { port1, port2 } = new MessageChannel();
    this.#page = port1;
    this.#inside = port2;
    port1.addEventListener('message', (e) => this.dispatchEvent(new MessageEvent('message', { data: (e as MessageEvent).data })));
    port1.start();
    const api: Api = {
      echo: async (value) => value,
      wait: () => this.#released,
      hang: () => new Promise<never>(() => {}),
    };
    expose(api, port2 as unknown as Parameters<typeof expose>[1]);
    if (beatMs !== null) this.#beat = setInterval(() => this.send({ heartbeat: true }), beatMs);
  }

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    this.#page.postMessage(message, transfer);
  }

  /** A message from inside the worker that is not a comlink reply (a heartbeat), arriving now. */
  send(message: unknown): void {
    const event = new MessageEvent('message', { data: message });
    if (this.#held) this.#held.push(event);
    else this.dispatchEvent(event);
  }

  /** Lets a pending wait() answer. */
  release(): void {
    this.#release();
  }

  /** The page is busy: messages from the worker queue up until deliverHeld(). */
  hold(): void {
    this.#held = [];
  }

  deliverHeld(): void {
    const held = this.#held ?? [];
    this.#held = null;
    for (const event of held) this.dispatchEvent(event);
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

/** A call whose settling the test can look at without awaiting it. */
function tracked<T>(promise: Promise<T>): { promise: Promise<T>; settled: boolean } {
  const t = { promise, settled: false };
  promise.then(
    () => void (t.settled = true),
    () => void (t.settled = true),
  );
  return t;
}

/** Moves the fake clock, firing every timer due on the way and letting promises settle after each. */
const elapse = (ms: number) => vi.advanceTimersByTimeAsync(ms);

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('WorkerHandle liveness', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    // performance.now follows the fake Date, so a test can also move it without firing timers (a page that is busy).
    vi.spyOn(performance, 'now').mockImplementation(() => Date.now());
  });

  it('declares a silent worker dead once deadAfterMs pass without a word, ends it, and spawns a fresh one next time', async () => {
    const deadAfterMs = 150;
    const { spawn, spawned } = spawner(20);
    const handle = new WorkerHandle<Api>(spawn, 60_000, { deadAfterMs, label: 'training worker' });
    expect(await handle.use((w) => w.echo('a'))).toBe('a');
    const call = tracked(handle.use((w) => w.hang()));
    await elapse(100);
    spawned[0]!.die();
    // Silent for exactly the limit: still waiting.
    await elapse(deadAfterMs);
    expect(call.settled).toBe(false);
    expect(spawned[0]!.terminated).toBe(false);
    // The watchdog looks every deadAfterMs / 4: the next look fails the call.
    await elapse(deadAfterMs / 4);
    expect(call.settled).toBe(true);
    await expect(call.promise).rejects.toBeInstanceOf(WorkerDiedError);
    await expect(call.promise).rejects.toThrow(/^The training worker stopped responding \(it crashed or was closed\)/);
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
    const calls = [tracked(handle.use((w) => w.hang())), tracked(handle.use((w) => w.hang()))];
    await elapse(100);
    expect(calls.map((c) => c.settled)).toEqual([true, true]);
    await Promise.all(calls.map((c) => expect(c.promise).rejects.toBeInstanceOf(WorkerDiedError)));
    expect(spawned).toHaveLength(1);
    expect(spawned[0]!.terminated).toBe(true);
  });

  it('keeps a slow call going while the worker beats', async () => {
    const { spawn, spawned } = spawner(20);
    const handle = new WorkerHandle<Api>(spawn, 60_000, { deadAfterMs: 100 });
    const call = tracked(handle.use((w) => w.wait()));
    await elapse(450);
    expect(call.settled).toBe(false);
    spawned[0]!.release();
    expect(await call.promise).toBe('done');
    expect(spawned[0]!.terminated).toBe(false);
    handle.kill();
  });

  it('keeps a worker alive whose own thread is busy while its nested heartbeat beats on the port it sent', async () => {
    // The worker itself is silent (one long synchronous step); only the port from workers/shared/heartbeat.ts beats.
    const { spawn, spawned } = spawner(null);
    const handle = new WorkerHandle<Api>(spawn, 60_000, { deadAfterMs: 100 });
    const call = tracked(handle.use((w) => w.wait()));
    const { port1, port2 } = new MessageChannel();
    spawned[0]!.send({ heartbeat: true, port: port1 });
    const pulse = setInterval(() => port1.dispatchEvent(new MessageEvent('message', { data: { heartbeat: true } })), 20);
    try {
      await elapse(450);
      expect(call.settled).toBe(false);
      spawned[0]!.release();
      expect(await call.promise).toBe('done');
      expect(spawned[0]!.terminated).toBe(false);
      // The nested heartbeat stops (its parent ended): the next long call fails.
      clearInterval(pulse);
      const next = tracked(handle.use((w) => w.hang()));
      await elapse(200);
      expect(next.settled).toBe(true);
      await expect(next.promise).rejects.toBeInstanceOf(WorkerDiedError);
      expect(spawned[0]!.terminated).toBe(true);
    } finally {
      clearInterval(pulse);
      port2.close();
    }
  });

  it('does not watch a worker without deadAfterMs (one computing for minutes)', async () => {
    const { spawn, spawned } = spawner(null);
    const handle = new WorkerHandle<Api>(spawn, 60_000);
    const call = tracked(handle.use((w) => w.wait()));
    await elapse(30 * 60_000);
    expect(call.settled).toBe(false);
    spawned[0]!.release();
    expect(await call.promise).toBe('done');
    expect(spawned[0]!.terminated).toBe(false);
    handle.kill();
  });

  it('fails calls in flight at once on an error event at the worker top level', async () => {
    const { spawn, spawned } = spawner(20);
    const handle = new WorkerHandle<Api>(spawn, 60_000, { deadAfterMs: 60_000, label: 'training worker' });
    const call = tracked(handle.use((w) => w.hang()));
    await elapse(30);
    spawned[0]!.fail('out of memory');
    // No time passes: only the promise callbacks run.
    await elapse(0);
    expect(call.settled).toBe(true);
    await expect(call.promise).rejects.toThrow(/^The training worker stopped responding .* after an error: out of memory;/);
    await expect(call.promise).rejects.toBeInstanceOf(WorkerDiedError);
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
    const pending = handle.use((w) => w.wait());
    spawned[0]!.fail('late error from the old worker');
    spawned[1]!.release();
    expect(await pending).toBe('done');
    handle.kill();
  });

  it('does not blame the worker for a page that was itself busy', async () => {
    // The page blocks longer than deadAfterMs: the worker's beats are queued behind the watchdog's late tick.
    const { spawn, spawned } = spawner(10);
    const handle = new WorkerHandle<Api>(spawn, 60_000, { deadAfterMs: 60 });
    const call = tracked(handle.use((w) => w.wait()));
    await elapse(30);
    spawned[0]!.hold();
    // A long task: the clock moves on, no timer runs until it ends.
    vi.setSystemTime(Date.now() + 250);
    // The watchdog's overdue tick runs first (a worker beat is queued with it) and sees 250 ms of silence.
    await elapse(60 / 4);
    spawned[0]!.deliverHeld();
    await elapse(100);
    expect(call.settled).toBe(false);
    spawned[0]!.release();
    expect(await call.promise).toBe('done');
    expect(spawned[0]!.terminated).toBe(false);
    handle.kill();
  });

  it('leaves no timer behind once calls settle, the worker is killed, idles out or dies', async () => {
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
