// The evaluation stage: the candidate is registered as the next version of the pipeline's model (an artifact, like a
// build's image: registering is not deploying), then scored with the model under the pipeline's alias (the baseline)
// on the same test rows, so the gates compare like with like.

import type { ModelVersion, Run } from '../../../core/shared/types';
import type { StageContext, StageResult } from '../../../core/deliver/pipeline';
import { MODEL_BYTES, scoreRun, testRowsOf } from '../score';
import { runOf } from '../promotion';
import { failed, fmt, passed, timed, type PipelineJob } from './job';

async function candidateRun(job: PipelineJob, ctx: StageContext): Promise<Run> {
  const id = ctx.run.outputs.runId;
  const run = id ? await job.services.runs.get(id) : undefined;
  if (!run?.model) throw new Error('the training stage left no trained run');
  return run;
}

export async function evaluateStage(job: PipelineJob, ctx: StageContext): Promise<StageResult> {
  const { services, project, pipeline } = job;
  const { model: name, alias } = pipeline.promotion;
  const run = await candidateRun(job, ctx);

  const before = await services.registry.model(project.id, name);
  const baselineNumber = before?.aliases[alias] ?? null;
  const version: ModelVersion = await services.registry.register(project.id, name, run.id, `candidate of pipeline "${pipeline.name}" run #${job.number}`);
  ctx.log(`Registered the candidate as ${version.name} version ${version.version}.`);
  ctx.artifact({ id: version.id, hash: run.model?.sha256 ?? null });

  const rows = await testRowsOf(services, run.datasetId);
  const candidate = await timed(ctx, 'evaluation', () => scoreRun(services, project, run, run.datasetId, rows, ctx.signal));
  if (typeof candidate === 'string') return failed(`the candidate cannot be scored on its own test rows: ${candidate}`);
  const metric = project.goal.metric;
  ctx.log(`Candidate v${version.version} on the test rows (${rows.slice(0, 24)}…): ${metric} ${fmt(candidate.metrics[metric])}, ${candidate.metrics[MODEL_BYTES] ?? '?'} bytes.`);

  let baseline = null;
  let baselineNote: string | null = null;
  if (baselineNumber === null) {
    baselineNote = `"${alias}" of ${name} points at no version yet: there is no baseline (the first model of a pipeline)`;
  } else {
    const held = { id: `${name}@${baselineNumber}`, name, version: baselineNumber, runId: before?.versions.find((v) => v.version === baselineNumber)?.runId ?? '', createdAt: 0 };
    const baselineRun = await runOf(services, held);
    const scored = await timed(ctx, 'evaluation', () => scoreRun(services, project, baselineRun, run.datasetId, rows, ctx.signal));
    if (typeof scored === 'string') baselineNote = `the baseline (${alias} = v${baselineNumber}) cannot be scored on the candidate's rows: ${scored}`;
    else baseline = scored;
  }
  ctx.log(baseline ? `Baseline ${alias} = v${baselineNumber} on the same rows: ${metric} ${fmt(baseline.metrics[metric])}.` : `Baseline: none — ${baselineNote}.`);
  ctx.output({
    figures: { model: name, version: version.version, candidate, baseline, baselineVersion: baseline ? baselineNumber : null, baselineNote },
  });
  return passed();
}
