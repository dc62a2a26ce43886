// The serving-parity stage: the bundle a deployment would run (serialised model, preprocessing, recipes) is built,
// read back and asked the same rows as the app; any difference fails the stage (what the bundle's --verify checks).

import type { StageContext, StageResult } from '../../../core/deliver/pipeline';
import { DEFAULT_TOLERANCE } from '../../../core/deliver/gates';
import { checkParity } from '../parity';
import { failed, fmt, passed, skipped, type PipelineJob } from './job';

export async function parityStage(job: PipelineJob, ctx: StageContext): Promise<StageResult> {
  const test = job.tests.parity;
  if (!test) return skipped('no serving-parity test in this pipeline');
  const figures = ctx.run.outputs.figures;
  if (!figures) throw new Error('the evaluation stage registered no candidate');
  const models = await job.services.registry.model(job.project.id, figures.model);
  const registered = models?.versions.find((v) => v.version === figures.version);
  if (!registered) throw new Error(`${figures.model} version ${figures.version} is not in the registry`);
  const run = await job.services.runs.get(registered.runId);
  if (run?.preprocessor?.image) return skipped("serving parity replays table rows; this is an image model (its bundle's predict.mjs --verify checks its example images)");
  const version = { id: `${figures.model}@${figures.version}`, name: figures.model, version: figures.version, runId: registered.runId, createdAt: registered.createdAt };
  ctx.log(`Building the bundle of ${figures.model} v${figures.version} and reading it back…`);
  const check = await checkParity(job.services, job.project, version, test.tolerance ?? DEFAULT_TOLERANCE, ctx.signal);
  ctx.output({ parity: check });
  ctx.log(`${check.rows} rows: ${check.mismatches} answer(s) differ; largest difference ${fmt(check.maxDifference)} (tolerance ${check.tolerance}).`);
  for (const e of check.examples) ctx.log(`  ${e}`);
  return check.passed ? passed() : failed(`the bundle answers ${check.mismatches} of ${check.rows} rows differently from the app (largest difference ${fmt(check.maxDifference)})`);
}
