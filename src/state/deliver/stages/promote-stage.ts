// The promote stage: with every gate passed, the alias moves to the candidate (auto), or the run waits for a
// person's approval with a reason (then `approveMove` moves it). The move is audited with this run as its evidence.

import type { StageContext, StageResult } from '../../../core/deliver/pipeline';
import type { PipelineRun } from '../../../core/deliver/pipeline';
import { evidenceIdOf } from './gates-stage';
import { passed, type PipelineJob } from './job';

/** Moves the alias to the run's candidate, audited; returns what moved. */
export async function moveToCandidate(job: Pick<PipelineJob, 'services' | 'project' | 'pipeline'>, run: PipelineRun, why: string) {
  const figures = run.outputs.figures;
  if (!figures) throw new Error('the run registered no candidate');
  const { alias } = job.pipeline.promotion;
  const before = await job.services.registry.model(job.project.id, figures.model);
  const from = before?.aliases[alias] ?? null;
  if (from === figures.version) return { model: figures.model, alias, from, to: figures.version };
  await job.services.registry.moveAlias(job.project.id, figures.model, { alias, to: figures.version, why, evidenceId: evidenceIdOf(run.id) });
  return { model: figures.model, alias, from, to: figures.version };
}

export async function promoteStage(job: PipelineJob, ctx: StageContext): Promise<StageResult> {
  const { mode, alias, model } = job.pipeline.promotion;
  const figures = ctx.run.outputs.figures;
  if (mode === 'approval') {
    ctx.log(`Every gate passed. Waiting for a person to approve moving "${alias}" of ${model} to v${figures?.version ?? '?'}.`);
    return { status: 'await-approval' };
  }
  const moved = await moveToCandidate(job, ctx.run, `pipeline "${job.pipeline.name}" #${job.number}: every gate passed`);
  ctx.output({ promoted: moved });
  ctx.log(moved.from === moved.to ? `"${alias}" already points at v${moved.to}.` : `Moved "${alias}" of ${model} from ${moved.from === null ? 'nothing' : `v${moved.from}`} to v${moved.to}.`);
  ctx.artifact({ id: `${model}@${moved.to}#${alias}`, hash: null });
  return passed();
}
