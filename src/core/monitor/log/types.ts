// The request log of served models (issue 16), stored columnar: one chunk holds up to a few thousand requests of one
// project and one served model version, each field a typed array, so a million requests are a few hundred records
// that a worker reads and scans without building a million objects. Everything here is structured-cloneable.

import type { InputWarning, RawRow } from '../../shared/types';

/** Whether the model answered the caller (serving) or only scored the same request beside it (shadow). */
export type ServedRole = 'serving' | 'shadow';

export const SERVED_ROLES: readonly ServedRole[] = ['serving', 'shadow'];

export type LogTask = 'classification' | 'regression';

/** Requests per chunk unless a builder is told otherwise. */
export const DEFAULT_CHUNK_ROWS = 4096;
/** Error codes are Uint16 (0 means answered), so a chunk can never hold more distinct errors than this. */
export const MAX_CHUNK_ROWS = 65_535;
/** Output and label class indexes are Int16 with -1 for none. */
export const MAX_CLASSES = 32_767;

export type WarningKind = InputWarning['kind'];

/** Bit i of a row's warning mask is set when the row had a warning of WARNING_KINDS[i]; the order is stored data. */
export const WARNING_KINDS = [
  'unknown-column',
  'missing-column',
  'unseen-category',
  'unparseable-number',
  'unparseable-date',
  'out-of-range',
  'beyond-float32',
] as const satisfies readonly WarningKind[];

// Fails to compile when InputWarning gains a kind that has no bit yet.
type MissingKinds = Exclude<WarningKind, (typeof WARNING_KINDS)[number]>;
const everyKindHasABit: [MissingKinds] extends [never] ? true : MissingKinds = true;
void everyKindHasABit;

/** One served request as the serving code reports it, and as `rowOf` reads it back. */
export interface LoggedRequest {
  /** Unique within the project and role; a shadow row carries the id of the request it scored beside. */
  id: number;
  /** Milliseconds on the wall clock, or on the virtual clock of a replay. */
  at: number;
  /** The raw inputs as received. A key that is absent and a null value both read back as null. */
  inputs: RawRow;
  /** Classification: the class name, one of the chunk's classes; regression: the value. Null exactly when `error` is set. */
  output: string | number | null;
  /** Classification: one probability per class, in the chunk's class order. */
  probabilities: number[] | null;
  latencyMs: number;
  /** Why the model gave no usable answer. */
  error?: string;
  warnings: InputWarning[];
  /** The true answer, in the output's encoding, when it is known. */
  label?: string | number | null;
  /** When the label became known. */
  labelAt?: number | null;
}

/** Raw values of the other kind in an input column, kept beside the main encoding so the log loses nothing. */
export interface TextExceptions {
  rows: Int32Array;
  values: string[];
}

export interface NumberExceptions {
  rows: Int32Array;
  values: Float64Array;
}

/**
 * One raw input column. A column is numeric when at least as many of its present values are numbers as text; text
 * that arrived in it (an upstream job sending "n/a") is NaN in `values` and kept in `text`. A text column keeps the
 * numbers that arrived in it the same way. Missing means NaN (number) or -1 (text) outside the exception rows.
 */
export type InputColumn =
  | { name: string; kind: 'number'; values: Float64Array; text: TextExceptions | null }
  | { name: string; kind: 'text'; codes: Int32Array; dictionary: string[]; numbers: NumberExceptions | null };

/**
 * Details of the rows' input warnings, one entry per warning in row order; strings (columns, values, messages) are
 * codes into `strings`. The per-row bitmask in `warnings` answers "which rows had which kinds" without these.
 */
export interface WarningDetails {
  rows: Int32Array;
  kinds: Uint8Array;
  columns: Int32Array;
  values: Int32Array;
  messages: Int32Array;
  strings: string[];
}

/** What every chunk says about itself; storage keeps it apart from the columns so listing a log reads no columns. */
export interface ChunkHead {
  projectId: string;
  modelName: string;
  modelVersion: number;
  role: ServedRole;
  task: LogTask;
  /** Classification: the model's classes in its probability order; regression: empty. */
  classes: string[];
  rows: number;
  firstAt: number;
  lastAt: number;
  /** Smallest and largest request id in the chunk (ids need not be consecutive). */
  firstId: number;
  lastId: number;
  /** Rows whose label is known. */
  labelled: number;
}

interface CommonColumns {
  ids: Float64Array;
  at: Float64Array;
  latencyMs: Float32Array;
  /** 0 when the model answered, else 1 + the index of the row's message in `errors`. */
  error: Uint16Array;
  errors: string[];
  /** Per row, bit i set for a warning of WARNING_KINDS[i]. */
  warnings: Uint16Array;
  warningDetails: WarningDetails;
  inputs: InputColumn[];
  /** When each row's label became known; NaN while it is not. */
  labelAt: Float64Array;
}

export interface ClassificationColumns extends CommonColumns {
  task: 'classification';
  /** Class index into `classes`; -1 for an error. */
  output: Int16Array;
  /** rows × classes, row-major; a row of NaN when the row has none. Null when no row has any. */
  probabilities: Float32Array | null;
  /** Class index; -1 while unknown. */
  labels: Int16Array;
}

export interface RegressionColumns extends CommonColumns {
  task: 'regression';
  /** NaN for an error. */
  output: Float64Array;
  probabilities: null;
  /** NaN while unknown. */
  labels: Float64Array;
}

export type ChunkColumns = ClassificationColumns | RegressionColumns;

/** A sealed chunk; `id` is set once storage holds it. */
export type RequestChunk = ChunkHead & ChunkColumns & { id?: number };

/** What a builder needs to know about the model that served the requests. */
export interface ChunkOwner {
  projectId: string;
  modelName: string;
  modelVersion: number;
  role: ServedRole;
  task: LogTask;
  /** Classification only: the model's classes in its probability order. */
  classes?: readonly string[];
}

/** The head fields of a chunk, without its columns (what storage indexes). */
export function headOf(chunk: RequestChunk): ChunkHead {
  const { projectId, modelName, modelVersion, role, task, classes, rows, firstAt, lastAt, firstId, lastId, labelled } = chunk;
  return { projectId, modelName, modelVersion, role, task, classes, rows, firstAt, lastAt, firstId, lastId, labelled };
}
