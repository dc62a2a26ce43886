// A training run is owned by the tab that trains it, through a Web Lock held for the whole run.
// The browser releases the lock when that tab closes or crashes, so any tab can tell a run that is
// still training elsewhere from one whose owner died.

const PREFIX = 'loopbench-run:';

export async function holdRunLock<T>(runId: string, work: () => Promise<T>): Promise<T> {
  if (!('locks' in navigator)) return work();
  return navigator.locks.request(PREFIX + runId, work);
}

/** Runs some tab (this one included) is training right now. */
export async function runsInProgress(): Promise<Set<string>> {
  if (!('locks' in navigator)) return new Set();
  const { held = [] } = await navigator.locks.query();
  return new Set(
    held
      .map((lock) => lock.name ?? '')
      .filter((name) => name.startsWith(PREFIX))
      .map((name) => name.slice(PREFIX.length)),
  );
}

/**
 * Takes a run's lock only if no tab holds it (two tabs must not resume the same run) and does `work` under it.
 * Returns false without doing it when the lock is taken. Without Web Locks, works unguarded.
 */
export async function tryHoldRunLock(runId: string, work: () => Promise<unknown>): Promise<boolean> {
  if (!('locks' in navigator)) {
    await work();
    return true;
  }
  return navigator.locks.request(PREFIX + runId, { ifAvailable: true }, async (lock) => {
    if (!lock) return false;
    await work();
    return true;
  });
}
