import { wrap, type Remote } from 'comlink';

/**
 * Owns one module worker behind a comlink proxy: spawned on first use, terminated after it has been
 * idle for `idleMs` (workers hold tfjs and its backends, tens of MB each), and killable at once.
 */
export class WorkerHandle<Api extends object> {
  #worker: Worker | null = null;
  #remote: Remote<Api> | null = null;
  #pending = 0;
  #idleTimer: ReturnType<typeof setTimeout> | null = null;
  #onKill = new Set<() => void>();
  #generation = 0;

  constructor(
    private readonly spawn: () => Worker,
    private readonly idleMs: number,
  ) {}

  /**
   * Runs `call` against the worker, keeping it alive until the call settles. A call still running
   * after `timeoutMs` ends the worker (a hung backend cannot be interrupted any other way).
   */
  async use<T>(call: (remote: Remote<Api>) => Promise<T>, timeoutMs?: number): Promise<T> {
    const remote = this.#ensure();
    this.#pending++;
    this.#clearIdle();
    let onKill = (): void => {};
    const killed = new Promise<never>((_, reject) => {
      onKill = () => reject(new WorkerKilledError());
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
      if (this.#pending === 0) this.#scheduleIdle();
    }
  }

  /** Terminates the worker now; calls in flight reject with WorkerKilledError. */
  kill(): void {
    this.#clearIdle();
    this.#worker?.terminate();
    this.#worker = null;
    this.#remote = null;
    const callbacks = [...this.#onKill];
    this.#onKill.clear();
    for (const cb of callbacks) cb();
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
      this.#worker = this.spawn();
      this.#generation++;
      this.#remote = wrap<Api>(this.#worker);
    }
    return this.#remote;
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
