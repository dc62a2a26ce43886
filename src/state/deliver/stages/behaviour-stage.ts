// The model-behaviour stage: the pipeline's CheckList tests (invariance, directional, minimum functionality) on raw
// test rows, in the predictor worker, with the offending rows kept as evidence.

import type { StageContext, StageResult } from '../../../core/deliver/pipeline';
import { loadRunModel } from '../../shared/model-loader';
import { datasetRef } from '../../shared/dataset-ref';
import { recipeChain } from '../../data/recipe-chain';
import { failed, passed, skipped, type PipelineJob } from './job';

export async function behaviourStage(job: PipelineJob, ctx: StageContext): Promise<StageResult> {
  const { services } = job;
  const tests = job.tests.behaviour;
  if (tests.length === 0) return skipped('no behaviour tests in this pipeline');
  const id = ctx.run.outputs.runId;
  const run = id ? await services.runs.get(id) : undefined;
  if (!run?.model || !run.preprocessor) throw new Error('the training stage left no trained run');
  if (run.preprocessor.image) return skipped('behaviour tests perturb table columns; this is an image model');
  const chain = await recipeChain((v) => services.datasets.get(v), run.datasetId);
  const results = await services.predictor.behaviour(
    `behaviour:${run.id}`,
    () => loadRunModel(services, run),
    {
      root: datasetRef(services, chain.root.id),
      recipes: run.recipes ?? [],
      tests,
      labels: job.project.task === 'classification' ? run.preprocessor.labels : null,
    },
    ctx.signal,
  );
  ctx.output({ behaviour: results });
  for (const r of results) {
    ctx.log(`${r.kind} "${r.name}": ${r.passed ? 'passed' : 'FAILED'} — ${r.reason}`);
    for (const e of r.examples) ctx.log(`  row ${e.row}: ${e.message}`);
  }
  const failing = results.filter((r) => !r.passed);
  if (failing.length === 0) return passed();
  return failed(failing.map((r) => `${r.kind} "${r.name}" failed on ${r.failed} of ${r.tested}: ${r.reason}`).join('; '));
}
