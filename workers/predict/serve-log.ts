// The one-row form's path into the request log. A chunk per request would make a million requests a million records,
// so rows are gathered per project, model version and role in an open chunk and stored when it fills, after a short
// idle time, or when the page asks (flushLog, before it reads the log), whichever comes first.

import type { RawRow } from '../../src/core/shared/types';
import type { ServeMeta, ServedAnswer, ShadowModel, ServedModel } from '../../src/core/contracts/predict';
import type { ServedRole } from '../../src/core/monitor/log/types';
import { ChunkSink, checkServedModel, loggedRequest, ownerOf, type Answers } from './log-rows';
import type { LogStore } from './log-store';
import type { Scorer } from './replay';

/** Long enough to gather a burst of form submissions, far shorter than the worker's idle end (5 minutes). */
export const SERVE_IDLE_FLUSH_MS = 1000;

interface OpenChunk {
  databaseName: string;
  projectId: string;
  sink: ChunkSink;
  timer: ReturnType<typeof setTimeout> | null;
}

export class ServeLog {
  readonly #open = new Map<string, OpenChunk>();
  /** Idle flushes that failed, per database, reported by the next flush of that database. */
  readonly #failures: { databaseName: string; projectId: string; message: string }[] = [];

  constructor(
    private readonly store: LogStore,
    private readonly idleMs = SERVE_IDLE_FLUSH_MS,
  ) {}

  async serveOne(scorer: Scorer, key: string, row: RawRow, meta: ServeMeta): Promise<ServedAnswer> {
    const { projectId, databaseName, model, shadow } = meta;
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new Error('Serving a row: the row is not a record of column values.');
    if (projectId === '') throw new Error('Serving a row: projectId is empty.');
    const answers = scorer.answers(key);
    checkServedModel(model, answers, key);
    const shadowAnswers = shadow ? scorer.answers(shadow.key) : null;
    const at = meta.at ?? Date.now();
    if (!Number.isFinite(at)) throw new Error(`Serving a row: its time ${String(at)} is not a number of milliseconds.`);

    const requestId = await this.store.reserve(databaseName, projectId, 1);
    const t0 = performance.now();
    const [prediction] = await scorer.predict(key, [row]);
    const latencyMs = performance.now() - t0;
    await this.#add(meta, model, 'serving', answers, { id: requestId, at, inputs: row, prediction, latencyMs });
    if (shadow && shadowAnswers) {
      const s0 = performance.now();
      const [answer] = await scorer.predict(shadow.key, [row]);
      await this.#add(meta, shadow, 'shadow', shadowAnswers, { id: requestId, at, inputs: row, prediction: answer, latencyMs: performance.now() - s0 });
    }
    return { prediction, requestId, latencyMs };
  }

  /** Stores the open chunks of the database (of one project when given); resolves to the rows stored. */
  async flush(databaseName: string, projectId?: string): Promise<number> {
    let rows = 0;
    for (const [id, open] of [...this.#open]) {
      if (open.databaseName !== databaseName || (projectId !== undefined && open.projectId !== projectId)) continue;
      rows += await this.#flushOpen(id, open);
    }
    const failed = this.#failures.filter((f) => f.databaseName === databaseName && (projectId === undefined || f.projectId === projectId));
    if (failed.length > 0) {
      for (const f of failed) this.#failures.splice(this.#failures.indexOf(f), 1);
      throw new Error(failed.map((f) => f.message).join(' '));
    }
    return rows;
  }

  async #add(meta: ServeMeta, model: ServedModel | ShadowModel, role: ServedRole, answers: Answers, served: Parameters<typeof loggedRequest>[0]): Promise<void> {
    const { databaseName, projectId } = meta;
    const id = [databaseName, projectId, model.name, model.version, role].join('\u0000');
    let open = this.#open.get(id);
    if (!open) {
      open = { databaseName, projectId, sink: new ChunkSink(this.store, databaseName, ownerOf(projectId, model, role, answers)), timer: null };
      this.#open.set(id, open);
    }
    await open.sink.add(loggedRequest(served));
    if (open.timer !== null) clearTimeout(open.timer);
    const idle = open;
    open.timer = setTimeout(() => {
      this.#flushOpen(id, idle).catch((e: unknown) => {
        const reason = e instanceof Error ? e.message : String(e);
        this.#failures.push({ databaseName, projectId, message: `Requests served by "${model.name}" v${model.version} (${role}) in project ${projectId} could not be stored: ${reason}` });
      });
    }, this.idleMs);
  }

  async #flushOpen(id: string, open: OpenChunk): Promise<number> {
    if (open.timer !== null) clearTimeout(open.timer);
    open.timer = null;
    const rows = await open.sink.flush();
    // A request that arrived while the chunk was stored keeps the open chunk (and its timer) alive.
    if (open.sink.pending === 0 && open.timer === null && this.#open.get(id) === open) this.#open.delete(id);
    return rows;
  }
}
