// Where the project's champion came from: its run, the dataset version the run trained on back to where those rows
// came from (a file, a sample, or production traffic of an earlier champion), the pipeline run that produced it, and
// every move of the champion alias with its reason, read from the registry's audit log.

import type { DatasetSource, DatasetVersion, Project } from '../../core/shared/types';
import { sourceDetail, startsOwnRows } from '../../core/data/provenance';
import { runOfVersion, type PipelineRun, type RunTrigger } from '../../core/deliver/pipeline';
import { CHAMPION } from '../deliver/registry.svelte';
import { PIPELINE_MADE_TAG } from '../deliver/stages/data-stage';
import type { Services } from '../shared/services';
import { MAX_CHAIN } from './loop-version';

/** One link of the chain from the champion's training data back to where its rows came from. */
export interface StoryVersion {
  id: string;
  name: string;
  rowCount: number | null;
  /** How this version came to be: its source for the link whose rows are raw, else the recipe that made it. */
  origin: string;
}

export interface AliasMoveRow {
  at: number;
  kind: 'alias' | 'rollback';
  /** Version numbers; null: the alias did not exist before, or was removed. */
  from: number | null;
  to: number | null;
  why: string;
}

export interface ChampionStory {
  model: string;
  version: number;
  run: { id: string; name: string } | null;
  /** The run's own version first, back to the version whose raw rows the chain starts from. */
  data: StoryVersion[];
  /** Where the rows came from: a file, a sample, or production traffic of an earlier version. */
  source: { kind: DatasetSource['kind']; text: string } | null;
  /** The pipeline run that produced this version, if a pipeline did. */
  pipelineRun: { id: string; pipeline: string; number: number; status: PipelineRun['status']; cause: string; createdAt: number } | null;
  /** Every move of the champion alias of this model, newest first: what replaced what, and why. */
  history: AliasMoveRow[];
}

const short = (id: string) => id.slice(0, 12);

/** The champion's story, or null when the project has no champion. */
export async function readChampionStory(services: Services, project: Project): Promise<ChampionStory | null> {
  const champion = await services.registry.byAlias(project.id, CHAMPION);
  if (!champion) return null;
  const [model, run, runs, pipelines] = await Promise.all([
    services.registry.model(project.id, champion.name),
    services.runs.get(champion.runId),
    services.pipelines.runs(project.id),
    services.pipelines.list(project.id),
  ]);
  const registered = model?.versions.find((v) => v.version === champion.version);
  const datasetId = run?.datasetId ?? registered?.datasetVersionId ?? null;
  const data = datasetId ? await chainOf(services, datasetId) : [];
  const last = data.at(-1);
  const rowsRoot = last && last.rowCount !== null ? await services.datasets.get(last.id) : undefined;
  const made = runOfVersion(runs, champion.name, champion.version);
  let pipelineRun: ChampionStory['pipelineRun'] = null;
  if (made) {
    pipelineRun = {
      id: made.id,
      pipeline: pipelines.find((p) => p.id === made.pipelineId)?.name ?? made.pipelineId,
      // As the Deliver screen numbers runs: #1 is the pipeline's oldest.
      number: runs.filter((r) => r.pipelineId === made.pipelineId && r.createdAt <= made.createdAt).length,
      status: made.status,
      cause: await causeOf(services, made.trigger),
      createdAt: made.createdAt,
    };
  }
  const history = (model?.audit ?? [])
    .flatMap((e): AliasMoveRow[] => ((e.kind === 'alias' || e.kind === 'rollback') && e.alias === CHAMPION ? [{ at: e.at, kind: e.kind, from: e.from, to: e.to, why: e.why }] : []))
    .reverse();
  return {
    model: champion.name,
    version: champion.version,
    run: run ? { id: run.id, name: run.name } : null,
    data,
    source: rowsRoot ? { kind: rowsRoot.source.kind, text: sourceDetail(rowsRoot.source) } : null,
    pipelineRun,
    history,
  };
}

/** The version and its parents[0] back to the one whose raw rows the chain starts from. */
async function chainOf(services: Services, datasetId: string): Promise<StoryVersion[]> {
  const out: StoryVersion[] = [];
  let id: string | undefined = datasetId;
  while (id !== undefined && out.length < MAX_CHAIN && !out.some((v) => v.id === id)) {
    const version: DatasetVersion | undefined = await services.datasets.get(id);
    if (!version) {
      out.push({ id, name: '(deleted)', rowCount: null, origin: 'no longer stored' });
      break;
    }
    const own = startsOwnRows(version);
    const origin = own
      ? sourceDetail(version.source)
      : (version.tags ?? []).includes(PIPELINE_MADE_TAG)
        ? "made by a pipeline's recipe"
        : version.recipe
          ? 'made by a recipe'
          : 'derived';
    out.push({ id: version.id, name: version.name, rowCount: version.rowCount, origin });
    id = own ? undefined : version.parents[0];
  }
  return out;
}

async function causeOf(services: Services, trigger: RunTrigger): Promise<string> {
  switch (trigger.kind) {
    case 'manual':
      return 'started by hand';
    case 'rerun':
      return `a re-run of ${short(trigger.runId)}`;
    case 'alert':
      return `alert ${trigger.alertId}`;
    case 'new-version': {
      const version = await services.datasets.get(trigger.versionId);
      if (!version) return `new version ${short(trigger.versionId)} (no longer stored)`;
      const from = version.source.kind === 'production' ? `, ${version.source.fileName}` : '';
      return `new version "${version.name}" (${short(version.id)}${from})`;
    }
  }
}
