// Run ownership across tabs over a small in-memory Web Locks manager (Node has none): a run starting while another
// tab marks orphans waits for the marking, so it is never taken for an orphan; a run another tab holds cannot be
// resumed, claimed or changed here; waiting for such a run does not hold the start gate.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimRunLock, holdRunLock, runsInProgress, tryHoldRunLock, whileNoRunStarts } from '../../src/platform/run-locks';

type Mode = 'exclusive' | 'shared';
interface Waiting {
  name: string;
  mode: Mode;
  grant: () => void;
}

/** Web Locks as the spec grants them: exclusive alone, shared together, in request order per name. */
class FakeLocks {
  held: { name: string; mode: Mode }[] = [];
  queue: Waiting[] = [];

  request<T>(name: string, options: { mode?: Mode; ifAvailable?: boolean } | ((lock: unknown) => T), callback?: (lock: unknown) => T): Promise<Awaited<T>> {
    const opts = typeof options === 'function' ? {} : options;
    const cb = (typeof options === 'function' ? options : callback) as (lock: unknown) => T;
    const mode = opts.mode ?? 'exclusive';
    return new Promise((resolve, reject) => {
      const run = () => {
        const lock = { name, mode };
        this.held.push(lock);
        Promise.resolve()
          .then(() => cb(lock))
          .then(resolve as (v: unknown) => void, reject)
          .finally(() => {
            this.held.splice(this.held.indexOf(lock), 1);
            this.#grant();
          });
      };
      if (this.#grantable(name, mode, true)) run();
      else if (opts.ifAvailable) Promise.resolve(cb(null)).then(resolve as (v: unknown) => void, reject);
      else this.queue.push({ name, mode, grant: run });
    });
  }

  async query(): Promise<{ held: { name: string; mode: Mode }[] }> {
    return { held: this.held.map((l) => ({ ...l })) };
  }

  #grantable(name: string, mode: Mode, fresh: boolean): boolean {
    const holders = this.held.filter((l) => l.name === name);
    if (fresh && this.queue.some((w) => w.name === name)) return false;
    return mode === 'shared' ? holders.every((l) => l.mode === 'shared') : holders.length === 0;
  }

  #grant(): void {
    for (const waiting of [...this.queue]) {
      const earlier = this.queue.slice(0, this.queue.indexOf(waiting)).some((w) => w.name === waiting.name);
      if (earlier || !this.#grantable(waiting.name, waiting.mode, false)) continue;
      this.queue.splice(this.queue.indexOf(waiting), 1);
      waiting.grant();
    }
  }
}

const original = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
beforeEach(() => {
  Object.defineProperty(globalThis, 'navigator', { value: { locks: new FakeLocks() }, configurable: true });
});
afterEach(() => {
  if (original) Object.defineProperty(globalThis, 'navigator', original);
  else delete (globalThis as { navigator?: unknown }).navigator;
});

function gate(): { open: () => void; opened: Promise<void> } {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('run locks across tabs', () => {
  it('a run that starts while orphans are marked waits for the marking, then holds its lock', async () => {
    const marking = gate();
    const events: string[] = [];
    const marked = whileNoRunStarts(async () => {
      events.push(`asked: ${[...(await runsInProgress())].join(',') || 'none'}`);
      await marking.opened;
      events.push('marked');
    });
    await tick();
    const training = holdRunLock('r1', async () => {
      events.push(`training: ${[...(await runsInProgress())].join(',')}`);
    });
    await tick();
    // Not started yet: the marking tab has asked which runs are live and has not finished writing.
    expect(events).toEqual(['asked: none']);
    marking.open();
    await Promise.all([marked, training]);
    expect(events).toEqual(['asked: none', 'marked', 'training: r1']);
  });

  it('a run another tab holds is not resumed, claimed or taken here', async () => {
    const elsewhere = gate();
    const held = holdRunLock('r1', () => elsewhere.opened);
    await tick();
    expect(await runsInProgress()).toEqual(new Set(['r1']));
    let resumed = false;
    expect(await tryHoldRunLock('r1', async () => void (resumed = true))).toBe(false);
    expect(resumed).toBe(false);
    expect(await claimRunLock('r1')).toBeNull();

    // Waiting for that run does not hold the start gate: marking orphans in a third tab goes ahead meanwhile.
    const waiter = holdRunLock('r1', async () => 'after');
    await tick();
    await expect(whileNoRunStarts(async () => 'marked')).resolves.toBe('marked');
    elsewhere.open();
    await held;
    await expect(waiter).resolves.toBe('after');
  });

  it('a claim holds the run until released', async () => {
    const release = await claimRunLock('pipeline-run:q1');
    expect(release).toBeTypeOf('function');
    expect(await runsInProgress()).toEqual(new Set(['pipeline-run:q1']));
    expect(await claimRunLock('pipeline-run:q1')).toBeNull();
    release!();
    await tick();
    expect(await runsInProgress()).toEqual(new Set());
    const again = await claimRunLock('pipeline-run:q1');
    expect(again).toBeTypeOf('function');
    again!();
  });
});
