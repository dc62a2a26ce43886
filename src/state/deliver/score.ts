// Scores a stored run on the test split of a dataset version in the predictor worker, as a gate reads figures: every
// figure of the evaluation, the model's size, and the evaluation's slices. A run reaches rows of another version
// through its recipe chain, as "Evaluate elsewhere" does; when its inputs do not fit, the answer says why.

import type { Project, Run } from '../../core/shared/types';
import { SPLIT_TEST } from '../../core/shared/types';
import { rowsFingerprint, sliceFiguresOf, type GateFigures } from '../../core/deliver/gates';
import { goalValue } from '../../core/deliver/promotion/default-gate';
import { planEvaluation, rowsLineageOf } from '../../core/evaluate/plan';
import { rowsOf } from '../../core/train/preprocess';
import { quantile } from '../../core/data/profile';
import { loadRunModel } from '../shared/model-loader';
import { recipeChain } from '../data/recipe-chain';
import { datasetRef } from '../shared/dataset-ref';
import type { Services } from '../shared/services';

/** The weights' size in bytes: the figure a `model_bytes` threshold bounds. */
export const MODEL_BYTES = 'model_bytes';
/** The 95th percentile of one-row serving latency in the predictor worker, in milliseconds. */
export const LATENCY_P95 = 'latency_p95_ms';
const LATENCY_ROWS = 50;

/** The fingerprint of a version's test rows: candidate and baseline figures are comparable only on equal ones. */
export async function testRowsOf(services: Services, datasetId: string): Promise<string> {
  // The split column alone: the page never loads a version's cells.
  const assignment = await services.datasets.assignment(datasetId);
  return rowsFingerprint(datasetId, rowsOf(assignment, SPLIT_TEST));
}

/** The run's figures on `datasetId`'s test split (fingerprinted `rows`), or why its inputs do not fit that version. */
export async function scoreRun(
  services: Services,
  project: Project,
  run: Run,
  datasetId: string,
  rows: string,
  signal?: AbortSignal,
): Promise<GateFigures | string> {
  const [chain, own, versions] = await Promise.all([
    recipeChain((id) => services.datasets.get(id), run.datasetId),
    services.datasets.get(run.datasetId),
    services.datasets.list(project.id),
  ]);
  const target = versions.find((v) => v.id === datasetId);
  if (!target) throw new Error(`dataset version ${datasetId} is not in storage`);
  const plan = planEvaluation(
    { versionIds: chain.versionIds, recipes: chain.recipes, schema: own?.schema ?? [] },
    { id: target.id, schema: target.schema, lineage: rowsLineageOf(versions, target.id) },
  );
  if (!plan.ok) return plan.message;
  const { result } = await services.predictor.evaluate(
    `eval:${run.id}`,
    () => loadRunModel(services, run),
    { jobId: `gate:${run.id}:${datasetId}:${Date.now()}`, dataset: datasetRef(services, datasetId), split: 'test', recipes: plan.recipes },
    () => {},
    signal,
  );
  const f = result.figures;
  const metrics: Record<string, number> =
    f.task === 'classification'
      ? { accuracy: f.accuracy, precision: f.macro.precision, recall: f.macro.recall, f1: f.macro.f1 }
      : { mae: f.mae, rmse: f.rmse, r2: f.r2 };
  metrics[project.goal.metric] = goalValue(project.goal.metric, result);
  if (run.model?.byteLength !== undefined) metrics[MODEL_BYTES] = run.model.byteLength;
  // Latency is the model's own: timed on raw rows of the import its chain starts from, as serving receives them.
  // Images have no raw table row to serve one at a time; their latency is not measured.
  if (!run.preprocessor?.image) {
    const request = { root: datasetRef(services, chain.root.id), recipes: run.recipes ?? [], rows: LATENCY_ROWS };
    const times = await services.predictor.latency(`eval:${run.id}`, () => loadRunModel(services, run), request, signal);
    if (times.length > 0) metrics[LATENCY_P95] = quantile(Float64Array.from(times).sort(), 0.95);
  }
  return { rows, metrics, slices: sliceFiguresOf(result.slices) };
}
