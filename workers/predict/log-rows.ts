// From a served answer to a row of the request log, and from rows to stored chunks: what the replayer, the file
// scorer and the one-row form share.

import { ChunkBuilder } from '../../src/core/monitor/log/chunk-builder';
import type { ChunkOwner, LoggedRequest, ServedRole } from '../../src/core/monitor/log/types';
import type { Prediction, ServedModel } from '../../src/core/contracts/predict';
import type { Preprocessor, RawRow, RawValue } from '../../src/core/shared/types';
import type { LogStore } from './log-store';

/** What the log needs to know about a loaded model's answers. */
export interface Answers {
  task: Preprocessor['task'];
  classes: readonly string[];
}

/**
 * Checks that the model the caller names is the one loaded under its key: a log row says which model answered, so a
 * mix-up would put one model's answers under another's name.
 */
export function checkServedModel(model: ServedModel, loaded: Answers, key: string): void {
  const where = `The model "${model.name}" v${model.version} (loaded as "${key}")`;
  if (!Number.isInteger(model.version) || model.version < 1) throw new Error(`${where}: its version must be 1, 2, ..., not ${model.version}.`);
  if (model.task !== loaded.task) throw new Error(`${where} is named a ${model.task} model, but the loaded model does ${loaded.task}.`);
  const named = model.task === 'classification' ? model.classes : [];
  if (named.length !== loaded.classes.length || named.some((c, i) => c !== loaded.classes[i])) {
    throw new Error(`${where} is named with classes [${named.join(', ')}], but the loaded model answers [${loaded.classes.join(', ')}].`);
  }
}

/**
 * A raw label in the model's encoding: a class name it knows, or a finite number for regression; `dropped` when the
 * value exists but the model cannot hold it (a class it was never trained on), so the replay can say how many.
 */
export function labelFor(answers: Answers, raw: RawValue): { label: string | number | null; dropped: boolean } {
  if (raw === null) return { label: null, dropped: false };
  if (answers.task === 'classification') {
    const name = String(raw).trim();
    return answers.classes.includes(name) ? { label: name, dropped: false } : { label: null, dropped: true };
  }
  const value = typeof raw === 'number' ? raw : raw.trim() === '' ? Number.NaN : Number(raw);
  return Number.isFinite(value) ? { label: value, dropped: false } : { label: null, dropped: true };
}

export interface Served {
  id: number;
  at: number;
  inputs: RawRow;
  prediction: Prediction;
  latencyMs: number;
  label?: string | number | null;
  labelAt?: number | null;
}

export function loggedRequest({ id, at, inputs, prediction, latencyMs, label = null, labelAt = null }: Served): LoggedRequest {
  const common = { id, at, inputs, latencyMs, warnings: prediction.warnings, label, labelAt: label === null ? null : labelAt };
  return prediction.ok
    ? { ...common, output: prediction.output, probabilities: prediction.probabilities }
    : { ...common, output: null, probabilities: null, error: prediction.error };
}

export function ownerOf(projectId: string, model: { name: string; version: number }, role: ServedRole, answers: Answers): ChunkOwner {
  return { projectId, modelName: model.name, modelVersion: model.version, role, task: answers.task, classes: [...answers.classes] };
}

/** Rows of one model version and role, stored a chunk at a time as chunks fill. */
export class ChunkSink {
  readonly #builder: ChunkBuilder;
  #stored = 0;

  constructor(
    private readonly store: LogStore,
    private readonly databaseName: string,
    owner: ChunkOwner,
    capacity?: number,
  ) {
    this.#builder = new ChunkBuilder(owner, capacity);
  }

  /** Chunks stored so far. */
  get stored(): number {
    return this.#stored;
  }

  /** Rows held, not stored yet. */
  get pending(): number {
    return this.#builder.size;
  }

  /** Adds a row, and stores the chunk when it is full. */
  async add(request: LoggedRequest): Promise<void> {
    this.#builder.append(request);
    if (this.#builder.full) await this.flush();
  }

  /** Stores the rows held as a chunk (nothing when there are none); resolves to how many rows were stored. */
  async flush(): Promise<number> {
    if (this.#builder.size === 0) return 0;
    const chunk = this.#builder.seal();
    await this.store.append(this.databaseName, chunk);
    this.#stored++;
    return chunk.rows;
  }
}
