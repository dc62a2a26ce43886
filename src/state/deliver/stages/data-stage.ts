// The data stage: which dataset version this run trains on (the fixed one, or the newest of the lineage), the
// pipeline's recipe applied to it, then the project's expectation suite and the data tests on the result.

import type { DatasetVersion } from '../../../core/shared/types';
import { resolveSource, type StageContext, type StageResult } from '../../../core/deliver/pipeline';
import { datasetRef } from '../../shared/dataset-ref';
import { failed, passed, short, type PipelineJob } from './job';

/** Tag on versions a pipeline's recipe made: they are outputs of runs, never the source of the next run. */
export const PIPELINE_MADE_TAG = 'made by a pipeline';

/** A lineage source follows what people import and derive, not what its own runs derived. */
export const sourceCandidates = (versions: readonly DatasetVersion[]) => versions.filter((v) => !(v.tags ?? []).includes(PIPELINE_MADE_TAG));

export async function dataStage(job: PipelineJob, ctx: StageContext): Promise<StageResult> {
  const { services, project, pipeline, tests } = job;
  const versions = await services.datasets.list(project.id);
  const resolved = resolveSource(pipeline.source, sourceCandidates(versions));
  if (!resolved.ok) return failed(resolved.reason);
  const source = versions.find((v) => v.id === resolved.versionId) as DatasetVersion;
  ctx.log(
    pipeline.source.kind === 'lineage'
      ? `Source: "${source.name}" (${short(source.id)}), the newest version of the lineage of ${short(pipeline.source.rootVersionId)}.`
      : `Source: "${source.name}" (${short(source.id)}), the fixed version.`,
  );
  ctx.artifact({ id: source.id, hash: source.id });
  ctx.output({ sourceVersionId: source.id, versionId: source.id });
  let version = source;

  const recipe = pipeline.recipe;
  if (recipe && recipe.steps.length > 0) {
    ctx.log(`Applying the pipeline's recipe (${recipe.steps.length} step(s)) to "${source.name}"…`);
    const outcome = await services.analysis.applyRecipe(
      datasetRef(services, source.id),
      recipe,
      { databaseName: services.datasets.databaseName, projectId: project.id, name: `${source.name} · ${pipeline.name}`, createdAt: Date.now() },
      ctx.signal,
    );
    if (!outcome.ok) return failed(`the recipe does not fit "${source.name}": ${outcome.problems.map((p) => p.message).join('; ')}`);
    version = outcome.version;
    if (outcome.stored === 'created') await services.datasets.setTags(version.id, [...(version.tags ?? []), PIPELINE_MADE_TAG]);
    ctx.log(`${outcome.stored === 'created' ? 'Made' : 'Reused'} version "${version.name}" (${short(version.id)}), ${version.rowCount} rows.`);
    ctx.artifact({ id: version.id, hash: version.id });
    ctx.output({ versionId: version.id });
  }
  const ref = datasetRef(services, version.id);
  const problems: string[] = [];

  const suite = await services.suites.get(project.id);
  const enabled = (suite?.expectations ?? []).filter((e) => e.enabled);
  if (enabled.length > 0) {
    const report = await services.analysis.validate(enabled, ref, ctx.signal);
    ctx.output({ validation: report });
    const failing = report.results.filter((r) => !r.passed);
    ctx.log(`Expectation suite: ${report.results.length - failing.length} of ${report.results.length} passed on ${report.rowCount} rows.`);
    for (const r of failing) ctx.log(`  failed: ${r.detail}`);
    if (failing.length > 0) problems.push(`${failing.length} expectation(s) of the suite failed (first: ${failing[0]?.detail})`);
  } else {
    ctx.log('Expectation suite: none enabled for this project (Data stage → Validate).');
  }

  if (tests.data.length > 0) {
    const results = await services.analysis.dataTests(ref, tests.data, project.target, ctx.signal);
    ctx.output({ data: results });
    for (const { test, result } of results) {
      ctx.log(`${test.kind === 'leakage' ? 'Leakage' : 'Class balance'}: ${result.passed ? 'passed' : 'FAILED'} — ${result.reason}`);
      if (!result.passed) problems.push(`${test.kind === 'leakage' ? 'leakage' : 'class balance'}: ${result.reason}`);
    }
  }
  return problems.length > 0 ? failed(problems.join('; ')) : passed();
}
