// The training stage: the smoke test (the model overfits one small batch, or the pipeline is broken), the training
// itself (one model, or every run of a sweep with the best on validation as the candidate), then the reproducibility
// test (the same seed and backend train the same model again, within a tolerance).

import type { DatasetVersion, Run } from '../../../core/shared/types';
import { pickCandidate, type StageContext, type StageResult } from '../../../core/deliver/pipeline';
import { DEFAULT_TOLERANCE, SMOKE_DEFAULTS } from '../../../core/deliver/gates';
import { expandSweep } from '../../../core/train/sweep/expand';
import type { RunParams } from '../../../core/train/spec/types';
import { newId } from '../../../core/shared/ids';
import { datasetRef } from '../../shared/dataset-ref';
import { trainOne } from './train-one';
import { failed, fmt, passed, timed, type PipelineJob } from './job';

async function trainedVersion(job: PipelineJob, ctx: StageContext): Promise<DatasetVersion> {
  const id = ctx.run.outputs.versionId;
  const version = id ? await job.services.datasets.get(id) : undefined;
  if (!version) throw new Error('the data stage left no dataset version to train on');
  return version;
}

async function smoke(job: PipelineJob, ctx: StageContext, dataset: DatasetVersion, params: RunParams): Promise<string | null> {
  const test = job.tests.smoke;
  if (!test) {
    ctx.log('Smoke test: none in this pipeline.');
    return null;
  }
  const backend = await job.train.backendFor(params.spec.family, job.train.backendChoice, (m) => ctx.log(m));
  const result = await timed(ctx, 'training', () => job.services.trainer.smoke(
    {
      jobId: newId('smoke'),
      task: job.project.task,
      params,
      backend,
      dataset: datasetRef(job.services, dataset.id),
      rows: test.rows ?? SMOKE_DEFAULTS.rows,
      steps: test.steps ?? SMOKE_DEFAULTS.steps,
      ratio: test.ratio ?? SMOKE_DEFAULTS.ratio,
    },
    ctx.signal,
  ));
  ctx.output({ smoke: result });
  ctx.log(`Smoke test ${result.passed ? 'passed' : 'FAILED'} in ${Math.round(result.durationMs)} ms: ${result.reason}.`);
  return result.passed ? null : `smoke test: ${result.reason}`;
}

/** Every run of the sweep in turn; the best on validation is the candidate. */
async function sweep(job: PipelineJob, ctx: StageContext, dataset: DatasetVersion, params: RunParams[]): Promise<Run | string> {
  const runs: Run[] = [];
  for (const [i, p] of params.entries()) {
    const trained = await trainOne(job, ctx, dataset, p, `${job.pipeline.name} #${job.number} sweep ${i + 1}/${params.length}`);
    if (!trained.ok) return `sweep run ${i + 1} of ${params.length}: ${trained.reason}`;
    runs.push(trained.run);
    ctx.artifact({ id: trained.run.id, hash: trained.run.model?.sha256 ?? null });
  }
  const best = pickCandidate(runs, job.project.goal.metric);
  if (!best) return 'no run of the sweep has a validation figure to choose by';
  ctx.log(`Candidate: run ${runs.findIndex((r) => r.id === best.id) + 1} of the sweep, best ${best.by} ${fmt(best.value)}.`);
  ctx.output({ sweepRuns: runs.map((r) => r.id) });
  return runs.find((r) => r.id === best.id) as Run;
}

async function reproduce(job: PipelineJob, ctx: StageContext, dataset: DatasetVersion, run: Run): Promise<string | null> {
  const test = job.tests.reproducible;
  if (!test) return null;
  const tolerance = test.tolerance ?? DEFAULT_TOLERANCE;
  ctx.log(`Reproducibility: training the candidate again with seed ${run.params.hyper.seed} on ${run.backend}…`);
  const again = await trainOne(job, ctx, dataset, run.params, `${run.name} (reproduction)`, { backend: run.backend, tags: { reproduces: run.id } });
  if (!again.ok) return `reproducibility: the replay did not finish (${again.reason})`;
  ctx.artifact({ id: again.run.id, hash: again.run.model?.sha256 ?? null });
  const metric = job.project.goal.metric;
  let worst: { metric: string; original: number; replay: number } = { metric, original: run.metrics[metric] ?? NaN, replay: again.run.metrics[metric] ?? NaN };
  for (const key of Object.keys(run.metrics)) {
    const d = Math.abs((run.metrics[key] ?? NaN) - (again.run.metrics[key] ?? NaN));
    if (!(d <= Math.abs(worst.original - worst.replay))) worst = { metric: key, original: run.metrics[key] ?? NaN, replay: again.run.metrics[key] ?? NaN };
  }
  const difference = Math.abs(worst.original - worst.replay);
  const ok = difference <= tolerance;
  ctx.output({ reproduction: { runId: again.run.id, metric: worst.metric, original: worst.original, replay: worst.replay, tolerance, passed: ok } });
  ctx.log(`Reproducibility ${ok ? 'passed' : 'FAILED'}: largest difference ${worst.metric} ${fmt(worst.original)} vs ${fmt(worst.replay)} (tolerance ${tolerance}).`);
  return ok ? null : `reproducibility: ${worst.metric} was ${fmt(worst.original)}, the replay ${fmt(worst.replay)} (tolerance ${tolerance})`;
}

export async function trainStage(job: PipelineJob, ctx: StageContext): Promise<StageResult> {
  const dataset = await trainedVersion(job, ctx);
  const training = job.pipeline.training;
  let points: RunParams[];
  if (training.kind === 'model') points = [{ spec: training.spec, hyper: training.hyper }];
  else {
    const expansion = expandSweep(training.sweep);
    if (expansion.problems.length > 0) return failed(`the sweep does not expand: ${expansion.problems.map((p) => p.message).join('; ')}`);
    points = expansion.points.map((p) => p.params);
    ctx.log(`Sweep of ${points.length} runs.`);
  }
  const smokeProblem = await smoke(job, ctx, dataset, points[0] as RunParams);
  if (smokeProblem) return failed(smokeProblem);

  let candidate: Run;
  if (points.length === 1) {
    const trained = await trainOne(job, ctx, dataset, points[0] as RunParams, `${job.pipeline.name} #${job.number}`);
    if (!trained.ok) return failed(trained.reason);
    candidate = trained.run;
  } else {
    const best = await sweep(job, ctx, dataset, points);
    if (typeof best === 'string') return failed(best);
    candidate = best;
  }
  ctx.output({ runId: candidate.id });
  if (points.length === 1) ctx.artifact({ id: candidate.id, hash: candidate.model?.sha256 ?? null });
  const metric = job.project.goal.metric;
  ctx.log(`Trained "${candidate.name}": test ${metric} ${fmt(candidate.metrics[metric])}; weights ${candidate.model?.byteLength ?? '?'} bytes, sha256 ${candidate.model?.sha256?.slice(0, 16) ?? '?'}…`);

  const reproductionProblem = await reproduce(job, ctx, dataset, candidate);
  return reproductionProblem ? failed(reproductionProblem) : passed();
}
