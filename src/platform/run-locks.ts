// A training run (and a pipeline run, under its own prefix) is owned by the tab that drives it, through a Web Lock
// held for the whole run. The browser releases the lock when that tab closes or crashes, so any tab can tell a run
// that is still driven elsewhere from one whose owner died.
//
// Telling them apart must not race a run that is just starting: a tab that marks orphans asks which locks are held,
// then rewrites the runs stored as 'running'; a run whose lock was taken and record written between those two steps
// would be marked by mistake. So every run takes its lock through a shared "start gate", and marking orphans holds
// the gate exclusively (whileNoRunStarts): a run either holds its lock before the question is asked, or is written
// after the marking is done.

const PREFIX = 'loopbench-run:';
const START_GATE = 'loopbench-run-start-gate';

const hasLocks = (): boolean => typeof navigator !== 'undefined' && 'locks' in navigator;

/** Takes lock `name` (or gives up at once with `ifAvailable` when another holds it); the release, or null. */
function takeLock(name: string, ifAvailable: boolean): Promise<(() => void) | null> {
  return new Promise((taken, failed) => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    navigator.locks
      .request(name, { ifAvailable }, (lock) => {
        if (!lock) {
          taken(null);
          return undefined;
        }
        taken(release);
        return held;
      })
      .catch(failed);
  });
}

/** Takes a run's lock through the start gate; null when `ifAvailable` and another tab holds it. */
async function takeRunLock(runId: string, ifAvailable: boolean): Promise<(() => void) | null> {
  const name = PREFIX + runId;
  const first = await navigator.locks.request(START_GATE, { mode: 'shared' }, () => takeLock(name, true));
  if (first || ifAvailable) return first;
  // Held elsewhere: wait for it outside the gate, so a tab marking orphans is not kept waiting for that run to end.
  // Its record already exists, so the race the gate closes cannot happen to it.
  return takeLock(name, false);
}

export async function holdRunLock<T>(runId: string, work: () => Promise<T>): Promise<T> {
  if (!hasLocks()) return work();
  const release = await takeRunLock(runId, false);
  try {
    return await work();
  } finally {
    release?.();
  }
}

/** Runs some tab (this one included) is training right now. */
export async function runsInProgress(): Promise<Set<string>> {
  if (!hasLocks()) return new Set();
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
  if (!hasLocks()) {
    await work();
    return true;
  }
  const release = await takeRunLock(runId, true);
  if (!release) return false;
  try {
    await work();
    return true;
  } finally {
    release();
  }
}

/**
 * Does `work` (asking which runs are in progress and ending the others) while no run can take its lock, so a run
 * starting in another tab meanwhile is not taken for an orphan.
 */
export async function whileNoRunStarts<T>(work: () => Promise<T>): Promise<T> {
  if (!hasLocks()) return work();
  return navigator.locks.request(START_GATE, { mode: 'exclusive' }, work);
}

/**
 * Takes a run's lock, if no tab holds it, until the returned release is called: a pipeline run is owned from the
 * moment it is queued, so no other tab takes it for an orphan or starts it. Null when another tab holds it.
 * Without Web Locks, a release that does nothing.
 */
export async function claimRunLock(runId: string): Promise<(() => void) | null> {
  if (!hasLocks()) return () => undefined;
  return takeRunLock(runId, true);
}

/** Does `work` while no other run of the pipeline is driven, in this tab or another (waits its turn). */
export async function holdPipelineLock<T>(pipelineId: string, work: () => Promise<T>): Promise<T> {
  if (!hasLocks()) return work();
  return navigator.locks.request(`loopbench-pipeline:${pipelineId}`, work);
}
