// The gate in front of `champion`: scores the candidate and the current champion on the candidate's test rows in the
// predictor worker, then judges them with the default gate. The champion reaches rows of another version through its
// recipe chain, as "Evaluate elsewhere" does; when its inputs do not fit, the comparison is skipped with that reason.

import type { ModelVersion, Project, Run } from '../../core/shared/types';
import { evaluateGates, type GateDecision } from '../../core/deliver/gates';
import { defaultGate, withBaselineReason } from '../../core/deliver/promotion/default-gate';
import { scoreRun, testRowsOf } from './score';
import type { Services } from '../shared/services';

export async function runOf(services: Services, version: ModelVersion): Promise<Run> {
  const run = await services.runs.get(version.runId);
  if (!run?.model) throw new Error(`the run behind ${version.name} version ${version.version} has no stored model`);
  return run;
}

/** Judges `candidate` against `champion` (null when there is none) on the candidate's test rows. */
export async function judgeCandidate(services: Services, project: Project, candidate: ModelVersion, champion: ModelVersion | null): Promise<GateDecision> {
  const run = await runOf(services, candidate);
  if (run.origin) {
    // Nothing to score it on: its test rows stayed where it was trained. Refused, so a person decides (an override).
    return { blessed: false, evidence: [], rows: 'none', refused: `${candidate.name} version ${candidate.version} was imported from ${run.origin.file}: its test rows are not stored here, so the gate cannot score it. Promote it anyway with a reason if you trust the bundle's own metrics.` };
  }
  const rows = await testRowsOf(services, run.datasetId);
  const def = defaultGate(project.goal);
  const own = await scoreRun(services, project, run, run.datasetId, rows);
  if (typeof own === 'string') throw new Error(`the candidate cannot be scored on its own test rows: ${own}`);
  if (!champion) return evaluateGates(def, own, null);
  const championRun = await runOf(services, champion);
  if (championRun.origin) {
    return withBaselineReason(evaluateGates(def, own, null), `the champion was imported from ${championRun.origin.file} and its recipe chain is not stored here: skipped`);
  }
  const baseline = await scoreRun(services, project, championRun, run.datasetId, rows);
  if (typeof baseline === 'string') {
    return withBaselineReason(evaluateGates(def, own, null), `the champion cannot be scored on the candidate’s rows: skipped (${baseline})`);
  }
  return evaluateGates(def, own, baseline);
}
