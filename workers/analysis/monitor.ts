// The Monitor's signals in the analysis worker: it reads the served model's request log itself (heads first, then the
// chunks one window at a time, letting each go after the last window that needs it, so a million-request log is never
// all in memory), builds the reference from the training split of the model's root version, and sends back per-window
// figures only.

import type { AnalysisApi, MonitorDrillRequest, MonitorSignalsRequest } from '../../src/core/contracts/analysis';
import type { Expectation } from '../../src/core/data/expectations';
import { SERVED_ROLES, type RequestChunk } from '../../src/core/monitor/log/types';
import { alignClasses } from '../../src/core/monitor/log/align-classes';
import {
  applicableExpectations,
  checkOverrides,
  drillColumn,
  keptRows,
  lastUse,
  planWindows,
  referenceColumns,
  referenceProfile,
  sliceWindow,
  summarizeReference,
  windowSignals,
  type ReferenceProfile,
  type ReferenceSummary,
} from '../../src/core/monitor/windows';
import { RequestLogRepo } from '../../src/platform/repositories/request-log';
import { SuitesRepo } from '../../src/platform/repositories/suites';
import type { DatasetService, OpenDatabase } from '../dataset/dataset-service';

type MonitorApi = Pick<AnalysisApi, 'monitorSignals' | 'monitorDrill'>;

/** A chunk head as storage lists it (with its id). */
type StoredChunkHead = Awaited<ReturnType<RequestLogRepo['heads']>>[number];

/** Refuses a request that names no log, so the error says which field is wrong instead of an empty answer. */
function checkRequest(request: MonitorSignalsRequest | MonitorDrillRequest): void {
  const problems: string[] = [];
  if (typeof request.databaseName !== 'string' || request.databaseName === '') problems.push('databaseName is empty');
  if (typeof request.projectId !== 'string' || request.projectId === '') problems.push('projectId is empty');
  if (typeof request.modelName !== 'string' || request.modelName === '') problems.push('modelName is empty');
  if (request.modelVersion === null) {
    if (!isVersion(request.referenceVersion)) problems.push(`referenceVersion ${String(request.referenceVersion)} is not 1, 2, ... (every version's log needs the version its reference belongs to)`);
  } else if (!isVersion(request.modelVersion)) problems.push(`modelVersion ${String(request.modelVersion)} is not 1, 2, ... or null (every version)`);
  if (request.role !== undefined && !SERVED_ROLES.includes(request.role)) problems.push(`role ${JSON.stringify(request.role)} is not serving or shadow`);
  if (!request.reference?.root?.versionId) problems.push('reference.root names no dataset version');
  if ('fromWindow' in request && request.fromWindow !== undefined && !(Number.isInteger(request.fromWindow) && request.fromWindow >= 0)) {
    problems.push(`fromWindow ${String(request.fromWindow)} is not a window index (0, 1, ...)`);
  }
  if ('asOf' in request && request.asOf !== undefined && (typeof request.asOf !== 'number' || Number.isNaN(request.asOf))) problems.push('asOf is not a time in ms');
  if (problems.length > 0) throw new Error(`The monitor request is not valid: ${problems.join('; ')}.`);
}

function isVersion(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

/** "penguins v2", or "every version of penguins". */
function logName(request: MonitorSignalsRequest | MonitorDrillRequest): string {
  return request.modelVersion === null ? `every version of ${request.modelName}` : `${request.modelName} v${request.modelVersion}`;
}

interface Opened {
  heads: StoredChunkHead[];
  repo: RequestLogRepo;
  suites: SuitesRepo;
}

/**
 * The chunk the reference reads the task and classes from: the log's first when it is one version's; with every
 * version, the first of the reference's version, whose training data and answers the reference holds.
 */
function referenceHead(request: MonitorSignalsRequest | MonitorDrillRequest, heads: readonly StoredChunkHead[]): StoredChunkHead {
  if (request.modelVersion !== null) return heads[0];
  const own = heads.find((h) => h.modelVersion === request.referenceVersion);
  if (!own) {
    const logged = [...new Set(heads.map((h) => h.modelVersion))].sort((a, b) => a - b);
    throw new Error(
      `${request.modelName} v${String(request.referenceVersion)} has no ${request.role ?? 'serving'} request in the log (versions logged: ${logged.join(', ')}), ` +
        'so the classes to read every version in are unknown: choose a logged version as the reference.',
    );
  }
  return own;
}

export function createMonitor(datasets: DatasetService, open: OpenDatabase): MonitorApi {
  async function withLog<T>(request: MonitorSignalsRequest | MonitorDrillRequest, work: (log: Opened) => Promise<T>): Promise<T> {
    checkRequest(request);
    const opened = await open(request.databaseName);
    if (!opened.ok) throw new Error(opened.message);
    try {
      const repo = new RequestLogRepo(opened.db);
      const heads = await repo.heads(request.projectId, {
        role: request.role ?? 'serving',
        modelName: request.modelName,
        ...(request.modelVersion === null ? {} : { modelVersion: request.modelVersion }),
      });
      return await work({ heads, repo, suites: new SuitesRepo(opened.db) });
    } finally {
      opened.db.close();
    }
  }

  /** The reference for the log's model: its task and classes come from the log's chunks. */
  async function reference(request: MonitorSignalsRequest | MonitorDrillRequest, head: StoredChunkHead): Promise<ReferenceProfile> {
    const root = await datasets.read(request.reference.root);
    const rows = keptRows(root.table, root.assignment, request.reference.recipes ?? []);
    const profile = referenceProfile({
      schema: root.meta.schema,
      table: root.table,
      rows,
      format: root.meta.format,
      task: head.task,
      classes: head.classes,
      predictions: request.referencePredictions ?? null,
    });
    checkOverrides(profile, request.overrides);
    return profile;
  }

  /** What the page is told of the reference when the log is still empty (no task to read predictions with). */
  async function emptyLogReference(request: MonitorSignalsRequest): Promise<ReferenceSummary> {
    const root = await datasets.read(request.reference.root);
    const rows = keptRows(root.table, root.assignment, request.reference.recipes ?? []);
    const { columns, notes } = referenceColumns(root.meta.schema, root.table, rows);
    checkOverrides({ columns }, request.overrides);
    return summarizeReference({
      rows: rows.length,
      columns,
      predictions: null,
      cbpe: null,
      notes: [...notes, `No ${request.role ?? 'serving'} request of ${logName(request)} is logged yet.`],
    });
  }

  /** A chunk with its columns, in the reference's classes (the versions of one model may differ in theirs). */
  async function loadChunk(repo: RequestLogRepo, head: StoredChunkHead, reference: ReferenceProfile): Promise<RequestChunk> {
    const chunk = await repo.chunk(head.id);
    if (!chunk) throw new Error(`Chunk ${head.id} of the request log was dropped (retention) while the signals were computed; compute them again.`);
    return chunk.task === reference.task ? alignClasses(chunk, reference.classes) : chunk;
  }

  return {
    async monitorSignals(request) {
      return withLog(request, async ({ heads, repo, suites }) => {
        const expectations: Expectation[] = request.expectations ?? (await suites.get(request.projectId))?.expectations ?? [];
        const plan = planWindows(heads, request.window);
        const requests = plan.total;
        if (heads.length === 0) {
          const summary = await emptyLogReference(request);
          return { windows: [], windowCount: 0, requests, reference: summary, skippedExpectations: applicableExpectations({ columns: [] }, expectations).skipped };
        }
        const profile = await reference(request, referenceHead(request, heads));
        const options = {
          overrides: request.overrides,
          predictionOverride: request.predictionOverride,
          driftShare: request.driftShare,
          asOf: request.asOf,
          expectations,
        };
        const lastNeeded = lastUse(plan);
        const chunks: (RequestChunk | undefined)[] = new Array<RequestChunk | undefined>(heads.length);
        const windows = [];
        for (const planned of plan.windows.slice(request.fromWindow ?? 0)) {
          for (const c of planned.chunks) chunks[c] ??= await loadChunk(repo, heads[c], profile);
          const window = sliceWindow(plan, planned, (c) => chunks[c]!);
          windows.push(windowSignals(window, chunks, profile, options));
          for (const c of planned.chunks) if (lastNeeded[c] <= planned.index) chunks[c] = undefined;
        }
        return {
          windows,
          windowCount: plan.windows.length,
          requests,
          reference: summarizeReference(profile),
          skippedExpectations: applicableExpectations(profile, expectations).skipped,
        };
      });
    },

    async monitorDrill(request) {
      return withLog(request, async ({ heads, repo }) => {
        const plan = planWindows(heads, request.window);
        const planned = plan.windows[request.windowIndex];
        if (!Number.isInteger(request.windowIndex) || !planned) {
          throw new Error(`Window ${String(request.windowIndex)} is not in this log, which makes ${plan.windows.length} windows.`);
        }
        const profile = await reference(request, referenceHead(request, heads));
        const chunks: (RequestChunk | undefined)[] = new Array<RequestChunk | undefined>(heads.length);
        for (const c of planned.chunks) chunks[c] = await loadChunk(repo, heads[c], profile);
        const window = sliceWindow(plan, planned, (c) => chunks[c]!);
        return drillColumn(window, chunks, profile, request.column, { overrides: request.overrides, predictionOverride: request.predictionOverride });
      });
    },
  };
}
