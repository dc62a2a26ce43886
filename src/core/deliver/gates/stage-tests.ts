// One list for a pipeline's tests: each object says its kind, and the kind says its stage (data, model behaviour,
// performance gate). The pipeline definition holds them opaquely; this checks one where it sits and sorts a list into
// what each stage's runner takes.

import { isRecord } from '../../train/spec/checkers';
import type { BehaviourTest } from './behaviour-types';
import { validateBehaviourSuite } from './check-behaviour';
import { validateGates } from './check-gates';
import { validateDataTests, type DataTest } from './data-tests';
import type { GateProblem, Threshold } from './types';
import { validatePipelineCheck, type ParityTest, type ReproducibleTest, type SmokeTest } from './pipeline-checks';

export type Stage = 'data' | 'training' | 'behaviour' | 'serving' | 'performance';

export const STAGE_OF_KIND: Readonly<Record<string, Stage>> = {
  leakage: 'data',
  classBalance: 'data',
  smoke: 'training',
  reproducible: 'training',
  parity: 'serving',
  invariance: 'behaviour',
  directional: 'behaviour',
  minimum: 'behaviour',
  value: 'performance',
  change: 'performance',
  slices: 'performance',
};

export type StageTest = DataTest | SmokeTest | ReproducibleTest | BehaviourTest | ParityTest | Threshold;

/** Problems located under `from` re-rooted at `to`, in paths and in the messages that quote them. */
function relocate(problems: GateProblem[], from: string, to: string): GateProblem[] {
  const move = (s: string) => (s.startsWith(from) ? to + s.slice(from.length) : s);
  return problems.map((p) => ({ path: move(p.path), message: move(p.message) }));
}

/** Every problem of one test object, located under `path` (e.g. 'tests[2]' of a pipeline definition). */
export function validateStageTest(test: unknown, path: string, known: { columns?: readonly string[]; labels?: readonly string[] | null } = {}): GateProblem[] {
  if (!isRecord(test) || typeof test.kind !== 'string' || !(test.kind in STAGE_OF_KIND)) {
    return [{ path: `${path}.kind`, message: `${path}.kind must be one of ${Object.keys(STAGE_OF_KIND).join(', ')}` }];
  }
  const stage = STAGE_OF_KIND[test.kind];
  if (stage === 'data') return relocate(validateDataTests([test], known.columns), '[0]', path);
  if (stage === 'training' || stage === 'serving') return validatePipelineCheck(test, path);
  if (stage === 'behaviour') return relocate(validateBehaviourSuite({ tests: [test] }, known), 'tests[0]', path);
  return relocate(validateGates({ missingBaseline: 'skip', thresholds: [test] }), 'thresholds[0]', path);
}

/** A checked list sorted by stage, in order, for the data runner, the behaviour runner and the gate. */
export interface TestsByStage {
  data: DataTest[];
  smoke: SmokeTest | null;
  reproducible: ReproducibleTest | null;
  behaviour: BehaviourTest[];
  parity: ParityTest | null;
  performance: Threshold[];
}

export function byStage(tests: readonly StageTest[]): TestsByStage {
  const out: TestsByStage = { data: [], smoke: null, reproducible: null, behaviour: [], parity: null, performance: [] };
  for (const t of tests) {
    const stage = STAGE_OF_KIND[t.kind];
    if (stage === 'data') out.data.push(t as DataTest);
    // One of each is enough: a second would only repeat the first.
    else if (t.kind === 'smoke') out.smoke ??= t;
    else if (t.kind === 'reproducible') out.reproducible ??= t;
    else if (t.kind === 'parity') out.parity ??= t;
    else if (stage === 'behaviour') out.behaviour.push(t as BehaviourTest);
    else out.performance.push(t as Threshold);
  }
  return out;
}
