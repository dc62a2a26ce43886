// The gate in front of `champion`: scores the candidate and the current champion on the candidate's test rows in the
// predictor worker, then judges them with the default gate. The champion reaches rows of another version through its
// recipe chain, as "Evaluate elsewhere" does; when its inputs do not fit, the comparison is skipped with that reason.

import type { ModelVersion, Project, Run } from '../../core/shared/types';
import { SPLIT_TEST } from '../../core/shared/types';
import { evaluateGates, rowsFingerprint, type GateDecision, type GateFigures } from '../../core/deliver/gates';
import { defaultGate, goalValue, withBaselineReason } from '../../core/deliver/promotion/default-gate';
import { lineageOf, planEvaluation } from '../../core/evaluate/plan';
import { rowsOf } from '../../core/train/preprocess';
import { loadRunModel } from '../shared/model-loader';
import { recipeChain } from '../data/recipe-chain';
import { datasetRef } from '../shared/dataset-ref';
import type { Services } from '../shared/services';

async function runOf(services: Services, version: ModelVersion): Promise<Run> {
  const run = await services.runs.get(version.runId);
  if (!run?.model) throw new Error(`the run behind ${version.name} version ${version.version} has no stored model`);
  return run;
}

/** The run's goal metric on `datasetId`'s test split, or why its inputs do not fit that version. */
async function score(services: Services, project: Project, run: Run, datasetId: string, rows: string): Promise<GateFigures | string> {
  const [chain, own, versions] = await Promise.all([
    recipeChain((id) => services.datasets.get(id), run.datasetId),
    services.datasets.get(run.datasetId),
    services.datasets.list(project.id),
  ]);
  const target = versions.find((v) => v.id === datasetId);
  if (!target) throw new Error('the candidate’s dataset version is not in storage');
  const plan = planEvaluation(
    { versionIds: chain.versionIds, recipes: chain.recipes, schema: own?.schema ?? [] },
    { id: target.id, schema: target.schema, lineage: lineageOf(versions, target.id) },
  );
  if (!plan.ok) return plan.message;
  const { result } = await services.predictor.evaluate(
    `eval:${run.id}`,
    () => loadRunModel(services, run),
    { jobId: `gate:${run.id}:${datasetId}:${Date.now()}`, dataset: datasetRef(services, datasetId), split: 'test', recipes: plan.recipes },
    () => {},
  );
  return { rows, metrics: { [project.goal.metric]: goalValue(project.goal.metric, result) } };
}

/** Judges `candidate` against `champion` (null when there is none) on the candidate's test rows. */
export async function judgeCandidate(services: Services, project: Project, candidate: ModelVersion, champion: ModelVersion | null): Promise<GateDecision> {
  const run = await runOf(services, candidate);
  // The split column alone: the page never loads a version's cells.
  const assignment = await services.datasets.assignment(run.datasetId);
  const rows = rowsFingerprint(run.datasetId, rowsOf(assignment, SPLIT_TEST));
  const def = defaultGate(project.goal);
  const own = await score(services, project, run, run.datasetId, rows);
  if (typeof own === 'string') throw new Error(`the candidate cannot be scored on its own test rows: ${own}`);
  if (!champion) return evaluateGates(def, own, null);
  const baseline = await score(services, project, await runOf(services, champion), run.datasetId, rows);
  if (typeof baseline === 'string') {
    return withBaselineReason(evaluateGates(def, own, null), `the champion cannot be scored on the candidate’s rows: skipped (${baseline})`);
  }
  return evaluateGates(def, own, baseline);
}
