// Replaying a run from its record and judging the replay. Exactness is the claim on the same backend (seeded init,
// shuffle and dropout), so metrics are compared for equality, never within a tolerance; each difference shows its size.

import type { BackendName, MetricPoint, Run } from '../../shared/types';
import { flattenParams } from './flatten';

/** The tag a reproduction carries: the id of the run it replays. */
export const REPRODUCES_TAG = 'reproduces';

/** The key of the final training loss in a comparison, next to the test metrics' keys. */
export const FINAL_LOSS_KEY = 'final training loss';

/** Package versions that decide a run's numbers, as one build or one worker knows them. */
export interface LibraryPackages {
  loopbench: string;
  tfjs: string;
  'tfjs-core': string;
  'tfjs-layers': string;
  /** Each backend's own package version (tfjs-backend-cpu, -webgl, -wasm, -webgpu). */
  backends: Partial<Record<BackendName, string>>;
}

/**
 * What a run records under `versions` when trained on `backend`. `tfjs` and `backend` (the backend's name) are the
 * keys runs stored before this record grew, kept so those runs still read the same.
 */
export function libraryRecord(backend: BackendName, packages: LibraryPackages): Record<string, string> {
  const record: Record<string, string> = {
    tfjs: packages.tfjs,
    backend,
    'tfjs-core': packages['tfjs-core'],
    'tfjs-layers': packages['tfjs-layers'],
  };
  const own = packages.backends[backend];
  if (own !== undefined) record[`tfjs-backend-${backend}`] = own;
  record.loopbench = packages.loopbench;
  return record;
}

export interface VersionDifference {
  key: string;
  /** null: this side has no such key (e.g. a run stored before the key was recorded). */
  recorded: string | null;
  current: string | null;
}

/** Every key whose value differs between two version records, a missing key included, in key order. */
export function versionDifferences(recorded: Record<string, string>, current: Record<string, string>): VersionDifference[] {
  const keys = [...new Set([...Object.keys(recorded), ...Object.keys(current)])].sort();
  const out: VersionDifference[] = [];
  for (const key of keys) {
    const a = Object.hasOwn(recorded, key) ? recorded[key] : null;
    const b = Object.hasOwn(current, key) ? current[key] : null;
    if (a !== b) out.push({ key, recorded: a, current: b });
  }
  return out;
}

/** The version differences in one sentence, for the warning shown before a replay starts. */
export function describeVersionDifferences(differences: readonly VersionDifference[]): string {
  return differences
    .map(({ key, recorded, current }) =>
      recorded === null ? `${key} was not recorded (this app: ${current})` : `${key} ${recorded} recorded, ${current === null ? 'not known to this app' : `this app has ${current}`}`,
    )
    .join('; ');
}

export interface MetricComparison {
  key: string;
  /** null: this run has no such figure. */
  original: number | null;
  reproduction: number | null;
  /** reproduction − original; null when either side is missing. */
  difference: number | null;
}

export interface RecordDifference {
  field: string;
  original: string;
  reproduction: string;
}

export interface ReproductionComparison {
  /** Every test metric and the final training loss identical (record differences are reported apart). */
  identical: boolean;
  /** Test metrics held by both runs. */
  metricCount: number;
  /** Whether both runs have a final training loss. */
  finalLossCompared: boolean;
  /** Only the figures that differ or are missing on one side. */
  rows: MetricComparison[];
  /** Backend, library versions, dataset version and parameters that differ between the two records. */
  recordDifferences: RecordDifference[];
}

export type ComparedRun = Pick<Run, 'metrics' | 'history' | 'backend' | 'versions' | 'datasetId' | 'params' | 'environment'>;

/** The training loss of the last epoch in the history, or null when none was recorded. */
export function finalLoss(history: readonly MetricPoint[]): number | null {
  let last: MetricPoint | null = null;
  for (const p of history) if (p.key === 'loss' && (last === null || p.step >= last.step)) last = p;
  return last?.value ?? null;
}

/** Equal as stored numbers; NaN equals NaN so two runs that both diverged count as the same. */
function same(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function figure(key: string, original: number | null, reproduction: number | null): MetricComparison | null {
  if (original === null && reproduction === null) return null;
  if (original !== null && reproduction !== null && same(original, reproduction)) return null;
  const difference = original !== null && reproduction !== null ? reproduction - original : null;
  return { key, original, reproduction, difference };
}

const text = (v: string | null | undefined): string => v ?? '–';

/** Compares a reproduction with the run it replays: the figures exactly, and the records that produced them. */
export function compareReproduction(original: ComparedRun, reproduction: ComparedRun): ReproductionComparison {
  const rows: MetricComparison[] = [];
  let metricCount = 0;
  const keys = [...new Set([...Object.keys(original.metrics), ...Object.keys(reproduction.metrics)])].sort();
  for (const key of keys) {
    const a = Object.hasOwn(original.metrics, key) ? original.metrics[key] : null;
    const b = Object.hasOwn(reproduction.metrics, key) ? reproduction.metrics[key] : null;
    if (a !== null && b !== null) metricCount++;
    const row = figure(key, a, b);
    if (row) rows.push(row);
  }
  const lossA = finalLoss(original.history);
  const lossB = finalLoss(reproduction.history);
  const lossRow = figure(FINAL_LOSS_KEY, lossA, lossB);
  if (lossRow) rows.push(lossRow);

  const recordDifferences: RecordDifference[] = [];
  if (original.backend !== reproduction.backend) recordDifferences.push({ field: 'backend', original: original.backend, reproduction: reproduction.backend });
  if (original.datasetId !== reproduction.datasetId) recordDifferences.push({ field: 'dataset version', original: original.datasetId, reproduction: reproduction.datasetId });
  // Another GPU or browser can move the last digits on the same backend; only runs that recorded theirs can tell.
  const [envA, envB] = [original.environment, reproduction.environment];
  if (envA && envB) {
    if (envA.browser !== envB.browser) recordDifferences.push({ field: 'browser', original: envA.browser, reproduction: envB.browser });
    if (envA.device !== envB.device) recordDifferences.push({ field: 'device', original: text(envA.device), reproduction: text(envB.device) });
  }
  for (const d of versionDifferences(original.versions, reproduction.versions)) {
    // The versions record names its backend too; the backend row above already says it.
    if (d.key === 'backend') continue;
    recordDifferences.push({ field: `library ${d.key}`, original: text(d.recorded), reproduction: text(d.current) });
  }
  const paramsA = flattenParams(original.params);
  const paramsB = flattenParams(reproduction.params);
  for (const key of [...new Set([...Object.keys(paramsA), ...Object.keys(paramsB)])].sort()) {
    const a = Object.hasOwn(paramsA, key) ? paramsA[key] : undefined;
    const b = Object.hasOwn(paramsB, key) ? paramsB[key] : undefined;
    if (!Object.is(a, b)) recordDifferences.push({ field: `parameter ${key}`, original: text(a === undefined ? null : String(a)), reproduction: text(b === undefined ? null : String(b)) });
  }

  const finalLossCompared = lossA !== null && lossB !== null;
  return { identical: rows.length === 0 && (metricCount > 0 || finalLossCompared), metricCount, finalLossCompared, rows, recordDifferences };
}

/** The verdict in one sentence. */
export function verdictOf(c: ReproductionComparison): string {
  if (!c.identical && c.rows.length === 0) return 'Nothing to compare: neither run recorded test metrics or a training loss.';
  if (!c.identical) {
    const n = c.rows.length;
    return `Not reproduced exactly: ${n} ${n === 1 ? 'figure differs' : 'figures differ'} (see below).`;
  }
  const metrics = `all ${c.metricCount} test ${c.metricCount === 1 ? 'metric' : 'metrics'}`;
  if (c.metricCount > 0 && c.finalLossCompared) return `Reproduced exactly: ${metrics} and the final training loss are identical.`;
  if (c.metricCount > 0) return `Reproduced exactly: ${metrics} are identical (neither run recorded a training loss).`;
  return 'Reproduced exactly: the final training loss is identical (neither run recorded test metrics).';
}
