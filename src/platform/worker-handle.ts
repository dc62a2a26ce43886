import { wrap, type Remote } from 'comlink';
import type { Failure } from '../core/contracts/outcomes';

// Silence after which a worker with calls pending is declared dead. Its heartbeat comes from a nested worker
// (workers/shared/heartbeat.ts), so long synchronous steps (a CNN batch on cpu: 17-31 s measured) do not silence it;
// the limit covers a fresh worker loading its modules before the first beat, on a slow or loaded device.
export const DEAD_AFTER_MS = 20_000;

/** Liveness watching: see workers/shared/heartbeat.ts for the beats every worker entry sends. */
export interface LivenessOptions {
  /**
   * A worker from which no message at all (on it or on the heartbeat port it sent) has arrived for this long
   * while a call is pending is declared dead: its calls reject with WorkerDiedError and it is terminated. The
   * beats come from a nested worker, so a long synchronous step does not silence them; the limit must still
   * cover a fresh worker loading its modules, and workers without the nested heartbeat must beat themselves.
   * Left out, nothing is watched (a worker without any heartbeat).
   */
  deadAfterMs?: number;
  /** What the worker is called in the error message ("training worker"). */
  label?: string;
}

/**
 * Owns one module worker behind a comlink proxy: spawned on first use, terminated after it has been
 * idle for `idleMs` (workers hold tfjs and its backends, tens of MB each), and killable at once.
 * With `deadAfterMs` it also notices a worker that died (crash, out of memory, `self.close()`): comlink
 * calls to a dead worker never settle, so without this a run would show as running forever.
 */
export class WorkerHandle<Api extends object> {
  #worker: Worker | null = null;
  #remote: Remote<Api> | null = null;
  #pending = 0;
  #idleTimer: ReturnType<typeof setTimeout> | null = null;
  #onKill = new Set<(error: Error) => void>();
  #generation = 0;
  #lastHeard = 0;
  /** The port a worker's nested heartbeat beats on (workers/shared/heartbeat.ts), if it sent one. */
  #pulse: MessagePort | null = null;
  #watchdog: ReturnType<typeof setInterval> | null = null;
  #lastTick = 0;
  #verdictDeferred = false;
  readonly #deadAfterMs: number | undefined;
  readonly #checkEveryMs: number;
  readonly #label: string;

  constructor(
    private readonly spawn: () => Worker,
    private readonly idleMs: number,
    options: LivenessOptions = {},
  ) {
    this.#deadAfterMs = options.deadAfterMs;
    this.#checkEveryMs = Math.min(1000, Math.max(5, (options.deadAfterMs ?? 0) / 4));
    this.#label = options.label ?? 'worker';
  }

  /**
   * Runs `call` against the worker, keeping it alive until the call settles. A call still running
   * after `timeoutMs` ends the worker (a hung backend cannot be interrupted any other way).
   */
  async use<T>(call: (remote: Remote<Api>) => Promise<T>, timeoutMs?: number): Promise<T> {
    const remote = this.#ensure();
    this.#pending++;
    this.#clearIdle();
    this.#watch();
    let onKill: (error: Error) => void = () => {};
    const killed = new Promise<never>((_, reject) => {
      onKill = reject;
    });
    this.#onKill.add(onKill);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      if (timeoutMs === undefined) return;
      timer = setTimeout(() => {
        reject(new WorkerTimeoutError(timeoutMs));
        this.kill();
      }, timeoutMs);
    });
    try {
      return await Promise.race([call(remote), killed, timedOut]);
    } finally {
      clearTimeout(timer);
      this.#onKill.delete(onKill);
      this.#pending--;
      if (this.#pending === 0) {
        this.#unwatch();
        // A worker that was ended meanwhile leaves no idle timer behind.
        if (this.#worker) this.#scheduleIdle();
      }
    }
  }

  /**
   * `use`, cancellable by `signal` (comlink cannot carry a signal to the worker). On abort, `cancel` asks the worker
   * to end the job itself, and the call waits for it to wind down, so nothing is left half-written; a call without
   * `cancel` ends the worker at once (and with it any other call in flight). Either way an aborted call rejects with
   * the Failure { kind: 'cancelled' }. A call that finished before the abort reached the worker keeps its result.
   */
  async run<T>(call: (remote: Remote<Api>) => Promise<T>, options: RunOptions<Api> = {}): Promise<T> {
    const { signal, cancel, timeoutMs } = options;
    if (signal?.aborted) throw cancelled();
    let remote: Remote<Api> | null = null;
    const abort = (): void => {
      if (cancel && remote) void cancel(remote);
      else this.kill();
    };
    signal?.addEventListener('abort', abort, { once: true });
    try {
      return await this.use((w) => {
        remote = w;
        return call(w);
      }, timeoutMs);
    } catch (e) {
      if (signal?.aborted) throw cancelled();
      throw e;
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  /** Terminates the worker now; calls in flight reject with WorkerKilledError. */
  kill(): void {
    this.#end(new WorkerKilledError());
  }

  #end(error: Error): void {
    this.#clearIdle();
    this.#unwatch();
    this.#worker?.terminate();
    this.#worker = null;
    this.#remote = null;
    this.#pulse?.close();
    this.#pulse = null;
    const callbacks = [...this.#onKill];
    this.#onKill.clear();
    for (const cb of callbacks) cb(error);
  }

  get alive(): boolean {
    return this.#worker !== null;
  }

  /** Increases each time a new worker is spawned, so callers can tell when worker-side state was lost. */
  get generation(): number {
    return this.#generation;
  }

  #ensure(): Remote<Api> {
    if (!this.#remote) {
      const worker = this.spawn();
      this.#worker = worker;
      this.#generation++;
      this.#lastHeard = performance.now();
      // Any message counts as a sign of life: heartbeats, comlink replies. Listeners on a worker that has been
      // replaced are ignored, so a late message or error from an old worker cannot touch the new one.
      const heard = (): void => {
        if (this.#worker === worker) this.#lastHeard = performance.now();
      };
      worker.addEventListener('message', (event: MessageEvent<unknown>) => {
        heard();
        const port = pulsePort(event.data);
        if (port && this.#worker === worker) {
          this.#pulse?.close();
          this.#pulse = port;
          port.addEventListener('message', heard);
          port.start();
        }
      });
      // An uncaught error at the worker's top level (a module that failed to load, a throw outside any call)
      // leaves it in an unknown state: its calls fail now rather than after deadAfterMs.
      worker.addEventListener('error', (event) => {
        if (this.#worker !== worker || this.#deadAfterMs === undefined) return;
        event.preventDefault();
        this.#end(new WorkerDiedError(this.#label, event.message || undefined));
      });
      this.#remote = wrap<Api>(worker);
    }
    return this.#remote;
  }

  /** Checks for silence while calls are pending; nothing ticks while the worker is idle. */
  #watch(): void {
    if (this.#deadAfterMs === undefined || this.#watchdog) return;
    // Silence counts from when watching starts: a worker is judged only while a call waits on it.
    this.#lastHeard = performance.now();
    this.#lastTick = this.#lastHeard;
    this.#verdictDeferred = false;
    this.#watchdog = setInterval(() => this.#check(), this.#checkEveryMs);
  }

  #check(): void {
    const deadAfterMs = this.#deadAfterMs;
    if (deadAfterMs === undefined) return;
    const now = performance.now();
    // A tick that comes late means this page was busy (or throttled in the background): messages that
    // arrived meanwhile may still be queued behind this timer, so the verdict waits one more tick.
    const late = now - this.#lastTick > this.#checkEveryMs * 2;
    this.#lastTick = now;
    if (now - this.#lastHeard <= deadAfterMs) {
      this.#verdictDeferred = false;
      return;
    }
    if (late && !this.#verdictDeferred) {
      this.#verdictDeferred = true;
      return;
    }
    this.#end(new WorkerDiedError(this.#label));
  }

  #unwatch(): void {
    if (this.#watchdog) clearInterval(this.#watchdog);
    this.#watchdog = null;
  }

  #scheduleIdle(): void {
    this.#clearIdle();
    this.#idleTimer = setTimeout(() => {
      if (this.#pending === 0) this.kill();
    }, this.idleMs);
  }

  #clearIdle(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }
}

export interface RunOptions<Api> {
  signal?: AbortSignal;
  /** Asks the worker to end the job; left out, an abort ends the worker. */
  cancel?: (remote: Remote<Api>) => unknown;
  /** Past this the worker is assumed hung and ended (the call rejects with WorkerTimeoutError). */
  timeoutMs?: number;
}

function cancelled(): Failure {
  return { kind: 'cancelled' };
}

export class WorkerKilledError extends Error {
  constructor() {
    super('The worker was stopped.');
    this.name = 'WorkerKilledError';
  }
}

export class WorkerTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`The worker did not answer within ${Math.round(timeoutMs / 1000)} s and was stopped.`);
    this.name = 'WorkerTimeoutError';
  }
}

/** The MessagePort in a heartbeat message (`{ heartbeat: true, port }`), if that is what `data` is. */
function pulsePort(data: unknown): MessagePort | null {
  if (typeof data !== 'object' || data === null || !('heartbeat' in data) || !('port' in data)) return null;
  return data.port instanceof MessagePort ? data.port : null;
}

/** The worker stopped sending anything (crashed, ran out of memory, closed itself) or failed at its top level. */
export class WorkerDiedError extends Error {
  constructor(label: string, detail?: string) {
    super(
      `The ${label} stopped responding (it crashed or was closed)${detail ? ` after an error: ${detail}` : ''}; ` +
        'a fresh one starts on the next try.',
    );
    this.name = 'WorkerDiedError';
  }
}
