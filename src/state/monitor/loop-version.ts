// Closing the loop (issue 16): a dataset version from the champion's logged requests and their labels, made and stored
// by the analysis worker, then announced to the catalogue so the pipelines that follow its lineage retrain on it. Plain
// functions (LoopState holds what the screen shows), so the whole path can be tested without the page.

import type { DatasetVersion, ModelVersion, Project, Run } from '../../core/shared/types';
import { DEFAULT_READ_FORMAT } from '../../core/shared/types';
import type { ProductionVersionRequest } from '../../core/contracts/parse';
import { sourceDetail } from '../../core/data/provenance';
import { plainFormat } from '../../core/data/version-record';
import { timeText } from '../../core/monitor/loop';
import type { VersionCatalogue } from '../data/catalogue.svelte';
import { recipeChain } from '../data/recipe-chain';
import type { PipelinesState, TriggerNote } from '../deliver/pipelines.svelte';
import { PIPELINE_MADE_TAG } from '../deliver/stages/data-stage';
import type { Services } from '../shared/services';
import { messageOf } from '../shared/services';

/** A span of the log's clock, [start, end); `index` (a dashboard window's) or `label` (an alert's) names the version. */
export interface LoopWindow {
  start: number;
  end: number;
  index?: number;
  label?: string;
}

export interface LoopOutcome {
  version: DatasetVersion;
  /** 'exists': the same rows were already a version; nothing new, so nothing was triggered. */
  stored: 'created' | 'exists';
  /** "production traffic of penguins v1: 240 requests (200 labelled), … to …". */
  sourceText: string;
  /** Cells the model could not read, now missing in the version. */
  notes: string[];
  /** Every pipeline's decision on the new version, with its reason. */
  decisions: TriggerNote[];
}

export interface LoopVersionDeps {
  services: Services;
  catalogue: Pick<VersionCatalogue, 'added'>;
  pipelines: Pick<PipelinesState, 'onNewVersion'>;
}

export type MadeFromTraffic = { ok: true; outcome: LoopOutcome; message: string } | { ok: false; error: string };

/** Versions of a chain are followed at most this deep (stored data is not trusted to be acyclic). */
export const MAX_CHAIN = 50;
const short = (id: string) => id.slice(0, 12);

/**
 * Makes a version from the champion's serving requests in `window` (null: the whole log), only those with a label
 * when `labelledOnly`, announces it to the catalogue (whose listener starts the pipelines that follow its lineage) and
 * collects the pipelines' decisions.
 */
export async function makeProductionVersion(
  deps: LoopVersionDeps,
  project: Project,
  champion: ModelVersion,
  run: Run,
  window: LoopWindow | null,
  labelledOnly: boolean,
): Promise<MadeFromTraffic> {
  const { services } = deps;
  try {
    const request = await productionRequest(services, project, champion, run, window, labelledOnly);
    // Requests the predictor still buffers belong in the version too.
    await services.predictor.flushLog(request.databaseName, project.id);
    const made = await services.parser.productionVersion(request);
    if (!made.ok) return { ok: false, error: `No version was made: ${made.problems.map((p) => p.message).join(' ')}` };
    // An identical version found again keeps its stored name and time; it is not new data.
    const version = made.stored === 'exists' ? ((await services.datasets.get(made.version.id)) ?? made.version) : made.version;
    await deps.catalogue.added(version);
    // The catalogue's listener has asked the pipelines already; onNewVersion answers this call with the same decisions.
    const decisions = made.stored === 'created' ? await deps.pipelines.onNewVersion(version) : [];
    const outcome: LoopOutcome = { version, stored: made.stored, sourceText: sourceDetail(version.source), notes: made.notes, decisions };
    return { ok: true, outcome, message: outcomeMessage(outcome) };
  } catch (e) {
    return { ok: false, error: `No version was made: ${messageOf(e)}` };
  }
}

async function productionRequest(
  services: Services,
  project: Project,
  champion: ModelVersion,
  run: Run,
  window: LoopWindow | null,
  labelledOnly: boolean,
): Promise<ProductionVersionRequest> {
  const get = (id: string) => services.datasets.get(id);
  const trained = await get(run.datasetId);
  if (!trained) throw new Error(`the version run "${run.name}" trained on (${short(run.datasetId)}) is no longer stored.`);
  // The log holds raw requests: they are read with the columns of the version the run's recipe chain starts from.
  const { root } = await recipeChain(get, run.datasetId);
  const { method, seed, fractions, timeColumn } = root.split;
  const span =
    window === null ? 'whole log' : (window.label ?? (window.index !== undefined ? `window ${window.index}` : `${timeText(window.start)} to ${timeText(window.end)}`));
  return {
    databaseName: services.datasets.databaseName,
    projectId: project.id,
    modelName: champion.name,
    modelVersion: champion.version,
    from: window?.start ?? -Infinity,
    to: window?.end ?? Infinity,
    labelledOnly,
    target: project.target,
    schema: root.schema.map(({ name, type, role }) => ({ name, type, role })),
    split: { method, seed, fractions: [fractions[0], fractions[1], fractions[2]], ...(method === 'time' ? { timeColumn } : {}) },
    format: plainFormat(trained.format ?? DEFAULT_READ_FORMAT),
    parentId: (await lineageAnchor(get, trained)).id,
    name: `${champion.name} v${champion.version} traffic · ${span}`,
    createdAt: Date.now(),
  };
}

/**
 * The version the traffic's lineage goes through: the one the run trained on, or, when a pipeline's recipe made that
 * one, the version the pipeline took it from. Continuous training leaves pipeline-made versions out of the lineage
 * it follows (sourceCandidates), so a parent among them would leave the new version outside every pipeline's lineage.
 */
async function lineageAnchor(get: (id: string) => Promise<DatasetVersion | undefined>, trained: DatasetVersion): Promise<DatasetVersion> {
  let current = trained;
  for (let depth = 0; depth < MAX_CHAIN && (current.tags ?? []).includes(PIPELINE_MADE_TAG) && current.parents[0]; depth++) {
    const parent = await get(current.parents[0]);
    if (!parent) break;
    current = parent;
  }
  return current;
}

function outcomeMessage(outcome: LoopOutcome): string {
  const { version, stored, decisions } = outcome;
  if (stored === 'exists') return `The same rows are already version "${version.name}" (${short(version.id)}): nothing new, so no pipeline was started.`;
  const made = `Made version "${version.name}" (${short(version.id)}), ${version.rowCount} rows from ${outcome.sourceText}.`;
  if (decisions.length === 0) return `${made} No pipeline follows it: this project has none (Deliver → Pipelines).`;
  const count = (action: TriggerNote['action']) => decisions.filter((d) => d.action === action).length;
  return `${made} Pipelines: ${count('start')} started, ${count('queue')} queued, ${count('none')} not run.`;
}
