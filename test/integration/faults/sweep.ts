// The sweep: a write path runs once clean to count its mutations K, then once per fault at every mutation 1..K (all of
// them up to FULL_SWEEP, a seeded sample beyond), each time on a fresh copy of the same starting database. A fault
// held when the call did not report success and the database holds what it held before, or, for a path that writes
// in several committed steps (a stream of log chunks), only whole units beyond it.

import { mulberry32 } from '../../../src/core/shared/rng';
import type { OpenOutcome } from '../../../src/platform/open-db';
import { freshDeps } from '../storage-fixtures';
import { describeFault, FaultPlan, faultsAt, faultyOpen, type Fault, type FaultError } from './inject';
import { compareSnapshots, describeAdded, loadSnapshot, snapshotOf, type Snapshot } from './snapshot';

export type Open = (name: string) => Promise<OpenOutcome>;

export interface WritePath {
  /** As printed: `faults: <name> N injected, M held`. */
  name: string;
  databaseName: string;
  /** The starting state, written once; every trial starts from a copy of it. */
  seed(open: Open): Promise<void>;
  /** The write under test, through `open` only (fresh worker objects each call: no cache outlives a trial). */
  write(open: Open): Promise<unknown>;
  /** True when a worker runs the write, so a kill mid-way is one of its faults. */
  killable: boolean;
  /** The errors tried in the reject modes; all of FAULT_ERRORS unless a slow path narrows them. */
  errors?: readonly FaultError[];
  /**
   * For a path that commits in several steps: the problems of what a stopped write left beyond the starting state
   * (each addition must be a whole unit). Absent: a failed write must leave nothing at all.
   */
  checkAdded?(added: Map<string, unknown[]>): string[];
}

export interface SweepReport {
  name: string;
  /** Mutations of a clean run (or, for stops, the steps a run has). */
  mutations: number;
  /** What `mutations` counts, as the summary line says it. */
  per: string;
  injected: number;
  held: number;
  /** One line per fault that did not hold: which fault and what it left. */
  failures: string[];
}

/** Every position up to this is tried; beyond it, a seeded sample of this many more. */
const FULL_SWEEP = 30;
const SAMPLED = 10;
/** How long a killed call is given to unwind (its connection's finally) before the database is read. */
const AFTER_KILL_MS = 20;

export function positions(mutations: number, seed = 17): number[] {
  const all = Array.from({ length: Math.min(mutations, FULL_SWEEP) }, (_, i) => i + 1);
  const rest = Array.from({ length: Math.max(0, mutations - FULL_SWEEP) }, (_, i) => FULL_SWEEP + i + 1);
  const rand = mulberry32(seed);
  for (let i = 0; i < SAMPLED && rest.length > 0; i++) all.push(rest.splice(Math.floor(rand() * rest.length), 1)[0]);
  return all;
}

async function startingState(path: WritePath): Promise<Snapshot> {
  const deps = freshDeps();
  await path.seed(faultyOpen(deps, new FaultPlan()));
  return snapshotOf(deps, path.databaseName);
}

async function trial(path: WritePath, start: Snapshot, fault: Fault | null): Promise<{ plan: FaultPlan; outcome: 'ok' | 'failed' | 'killed'; after: Snapshot }> {
  const deps = freshDeps();
  await loadSnapshot(deps, path.databaseName, start);
  const plan = new FaultPlan();
  plan.arm(fault);
  const call = path.write(faultyOpen(deps, plan)).then(
    () => 'ok' as const,
    () => 'failed' as const,
  );
  const killed = plan.killed.then(() => new Promise<'killed'>((r) => setTimeout(() => r('killed'), AFTER_KILL_MS)));
  const outcome = await Promise.race([call, killed]);
  plan.disarm();
  return { plan, outcome, after: await snapshotOf(deps, path.databaseName) };
}

export async function sweepFaults(path: WritePath): Promise<SweepReport> {
  const start = await startingState(path);
  const clean = await trial(path, start, null);
  if (clean.outcome !== 'ok') throw new Error(`${path.name}: the write fails without any fault injected.`);
  const cleanChanges = compareSnapshots(start, clean.after);
  // A path that wrote nothing would hold every fault without proving anything.
  if (clean.plan.count === 0 || (cleanChanges.added.size === 0 && cleanChanges.changed.length === 0)) {
    throw new Error(`${path.name}: a clean run changed nothing in storage, so its faults would prove nothing.`);
  }

  const report: SweepReport = { name: path.name, mutations: clean.plan.count, per: 'mutations per clean run', injected: 0, held: 0, failures: [] };
  for (const at of positions(clean.plan.count)) {
    for (const fault of faultsAt(at, path.killable, path.errors)) {
      const { plan, outcome, after } = await trial(path, start, fault);
      // The same path in the same state makes the same mutations, so the fault always lands.
      if (!plan.fired) throw new Error(`${path.name}: ${describeFault(fault)} never struck (only ${plan.count} mutations).`);
      report.injected++;
      const problems: string[] = [];
      const struck = plan.seen[at - 1];
      if (outcome === 'ok') problems.push('the call reported success');
      const { changed, added } = compareSnapshots(start, after);
      problems.push(...changed.map((c) => `changed ${c}`));
      if (path.checkAdded) problems.push(...path.checkAdded(added));
      else if (added.size > 0) problems.push(`left ${describeAdded(added)}`);
      if (problems.length === 0) report.held++;
      else report.failures.push(`${describeFault(fault)} [${struck.type} on ${struck.table}]: ${problems.slice(0, 3).join('; ')}`);
    }
  }
  return report;
}

export function summaryLine(r: SweepReport): string {
  return `faults: ${r.name} ${r.injected} injected, ${r.held} held (${r.mutations} ${r.per})`;
}

/** A worker path the page can stop between two steps (its signal aborted): `stop` runs it asked to stop after k. */
export interface StoppablePath extends WritePath {
  stop(open: Open, afterSteps: number): Promise<unknown>;
}

/**
 * Stops the path after each of its `steps` steps (0: before the first; a seeded sample beyond FULL_SWEEP). A stop
 * held when the call did not report success, nothing stored before changed, and what it added passes the path's
 * `checkAdded` and `checkStopped` (what a stop after k steps must have kept).
 */
export async function sweepStops(path: StoppablePath, steps: number, checkStopped: (added: Map<string, unknown[]>, afterSteps: number) => string[]): Promise<SweepReport> {
  const start = await startingState(path);
  const report: SweepReport = { name: `${path.name} stopped`, mutations: steps, per: 'steps per run', injected: 0, held: 0, failures: [] };
  for (const k of [0, ...positions(steps - 1)]) {
    const deps = freshDeps();
    await loadSnapshot(deps, path.databaseName, start);
    const outcome = await path.stop(faultyOpen(deps, new FaultPlan()), k).then(
      () => 'ok' as const,
      () => 'failed' as const,
    );
    report.injected++;
    const { changed, added } = compareSnapshots(start, await snapshotOf(deps, path.databaseName));
    const problems = [
      ...(outcome === 'ok' ? ['the call reported success'] : []),
      ...changed.map((c) => `changed ${c}`),
      ...(path.checkAdded ? path.checkAdded(added) : added.size > 0 ? [`left ${describeAdded(added)}`] : []),
      ...checkStopped(added, k),
    ];
    if (problems.length === 0) report.held++;
    else report.failures.push(`stopped after step ${k}: ${problems.slice(0, 3).join('; ')}`);
  }
  return report;
}
