// The gates stage: the performance thresholds (value, change against the baseline, slices) on the figures the
// evaluation stage measured on one set of rows. The decision, with both numbers of every threshold, is recorded in
// the registry's audit log with this run as its evidence.

import type { StageContext, StageResult } from '../../../core/deliver/pipeline';
import { evaluateGates, type GateDefinition } from '../../../core/deliver/gates';
import { defaultGate, summarizeDecision, withBaselineReason } from '../../../core/deliver/promotion/default-gate';
import { failed, fmt, passed, type PipelineJob } from './job';

/** The audit log's evidence id for a decision a pipeline run made: the run page shows the evidence. */
export const evidenceIdOf = (runId: string) => `pipeline-run:${runId}`;

export async function gatesStage(job: PipelineJob, ctx: StageContext): Promise<StageResult> {
  const figures = ctx.run.outputs.figures;
  if (!figures) throw new Error('the evaluation stage left no figures');
  const own = job.tests.performance;
  const def: GateDefinition = own.length > 0 ? { thresholds: own, missingBaseline: 'skip' } : defaultGate(job.project.goal);
  if (own.length === 0) ctx.log(`No performance thresholds in this pipeline: the project's default gate applies (goal ${job.project.goal.metric} reaches ${job.project.goal.bar}, and no worse than the baseline).`);
  let decision = evaluateGates(def, figures.candidate, figures.baseline);
  if (!figures.baseline && figures.baselineNote) decision = withBaselineReason(decision, `skipped: ${figures.baselineNote}`);
  ctx.output({ gate: decision });
  for (const e of decision.evidence) {
    const outcome = e.skipped ? 'skipped' : e.passed ? 'passed' : 'FAILED';
    ctx.log(`${e.kind} ${e.metric}${e.slice ? ` [${e.slice}]` : ''}: candidate ${fmt(e.candidate)}, baseline ${fmt(e.baseline)} — ${outcome}: ${e.reason}`);
  }
  await job.services.registry.recordGate(job.project.id, figures.model, {
    version: figures.version,
    passed: decision.blessed,
    why: `pipeline "${job.pipeline.name}" #${job.number}: ${summarizeDecision(decision)}`,
    evidenceId: evidenceIdOf(ctx.run.id),
  });
  if (decision.refused) return failed(`the figures cannot be compared: ${decision.refused}`);
  const blocking = decision.evidence.filter((e) => !e.passed && !e.skipped);
  if (blocking.length === 0) return passed();
  return failed(
    blocking
      .map((e) => `${e.kind} threshold on ${e.metric}${e.slice ? ` [${e.slice}]` : ''}: candidate ${fmt(e.candidate)}${e.baseline === null ? '' : ` vs baseline ${fmt(e.baseline)}`} (${e.reason})`)
      .join('; '),
  );
}
