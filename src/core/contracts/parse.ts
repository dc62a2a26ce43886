// The parse worker's contract (workers/parse.worker.ts): reading a file, guessing its columns, and building and
// storing the version. Types only.

import type {
  ColumnRole,
  ColumnSchema,
  ColumnType,
  DatasetSource,
  DatasetVersion,
  NumberFormat,
  RawRow,
  ReadFormat,
  SplitSpec,
  Task,
} from '../shared/types';
import type { BuiltDataset } from './dataset';

export interface CellProblem {
  column: string;
  /** 1-based line in the source file (the header is line 1); 0 when not tied to a line. */
  line: number;
  value: string;
  message: string;
}

export interface ColumnGuess {
  name: string;
  type: ColumnType;
  missing: number;
  unique: number;
  /** Cells that do not fit the guessed type, first few only. */
  problems: CellProblem[];
  /**
   * How the column's number-like cells are written, when it has any: the format they fit, whether the
   * cells alone cannot tell (`1,234` could be either), and cells written in another format (with lines).
   */
  numbers?: { format: NumberFormat; ambiguous: boolean; mixed: CellProblem[] };
  /** Date columns: how a/b/yyyy values were read, and why (or that nothing in the column tells). */
  dates?: { dayFirst: boolean; ambiguous: boolean; note: string };
  /** The role Loopbench suggests, with the reason shown to the user (identifiers, constants...). */
  suggestion?: { role: ColumnRole; reason: string };
  /** Things the user should know before training on the column (high cardinality, constant...). */
  notes?: string[];
}

export type ParseEvent =
  | { type: 'progress'; bytesRead: number; totalBytes: number; rows: number }
  | { type: 'warning'; message: string };

export interface ParsedFile {
  /** Handle of the parsed rows kept inside the worker for `build`. */
  handle: string;
  fileName: string;
  byteLength: number;
  header: string[];
  rowCount: number;
  guesses: ColumnGuess[];
  /** First rows as text, for the preview table. */
  preview: string[][];
  /** What the reader detected about the file, shown on the import preview. */
  detected: DetectedFormat;
  /** A workbook's sheet, or an archive's data file, when there were several to read: the others can be read instead. */
  inside?: InsideChoice;
}

export interface InsideChoice {
  kind: 'sheet' | 'file';
  options: string[];
  chosen: string;
}

export interface DetectedFormat {
  /** 'csv', 'tsv', 'json', 'jsonl' or 'parquet'. */
  kind: string;
  /** Text files: the separator ',', '\t', ';' or '|'; null for records. */
  separator: string | null;
  /** Text files: 'UTF-8', 'UTF-8 with BOM', 'UTF-16LE', 'UTF-16BE' or 'Windows-1252'; null for binary formats. */
  encoding: string | null;
  /** The number and date format that fits the file's cells best; the import starts with it. */
  format: ReadFormat;
}

export type ParseOutcome = { ok: true; file: ParsedFile } | { ok: false; message: string };

export interface DatasetChoices {
  name: string;
  task: Task;
  target: string;
  types: Record<string, ColumnType>;
  roles: Record<string, ColumnRole>;
  split: SplitSpec;
  /** How to read the file's numbers and dates; DEFAULT_READ_FORMAT when absent. */
  format?: ReadFormat;
}

export type BuildOutcome = { ok: true; dataset: BuiltDataset } | { ok: false; problems: CellProblem[] };

/**
 * What the parse worker needs to store a built version itself (the import's one writer): the
 * database to write and the version's labels. Storing there keeps the copy of every cell into
 * IndexedDB off the page's thread.
 */
export interface StoreRequest {
  databaseName: string;
  projectId: string;
  name: string;
  source: DatasetSource;
  createdAt: number;
}

export type StoreOutcome =
  | { ok: true; version: DatasetVersion; stored: 'created' | 'exists' }
  | { ok: false; problems: CellProblem[] };

export interface ParserApi extends WorkspaceApi {
  /** Reads CSV/TSV (separator detected), JSON, JSON Lines or Parquet, chosen by content and name. */
  /** `pick`: the sheet of a workbook or the data file of an archive to read, instead of the default one. */
  parseFile(file: Blob, fileName: string, onEvent: (e: ParseEvent) => void, pick?: string): Promise<ParseOutcome>;
  parseRecords(records: RawRow[], fileName: string, byteLength: number): Promise<ParseOutcome>;
  /** The column guesses again, reading numbers and dates in `format` (the user chose the file's format). */
  guess(handle: string, format: ReadFormat): Promise<ColumnGuess[]>;
  /** Builds the version, then stores it in IndexedDB from the worker; only its record comes back. */
  buildAndStore(handle: string, choices: DatasetChoices, request: StoreRequest): Promise<StoreOutcome>;
  /**
   * Closing the loop: a version from a served model's logged requests and the labels that arrived for them, read from
   * the request log, built as an import is built and stored by the worker (src/core/monitor/loop); only its record
   * comes back.
   */
  productionVersion(request: ProductionVersionRequest): Promise<ProductionVersionOutcome>;
  cancel(): void;
  release(handle: string): void;
}


/** Which logged requests become a version, and how its columns are typed, split and read. */
export interface ProductionVersionRequest {
  databaseName: string;
  projectId: string;
  modelName: string;
  modelVersion: number;
  /** Requests at or after `from` and before `to`, on the log's clock (ms); -Infinity and Infinity take the whole log. */
  from: number;
  to: number;
  /**
   * true: only requests whose label has arrived; false: the others too, with a missing target (in no partition).
   * Read only when the labels are the truth.
   */
  labelledOnly: boolean;
  /** Where the target's values come from: the logged true labels (default), or the model itself (a feedback loop). */
  labels?: TrafficLabels;
  /** The project's target column: the labels fill it. */
  target: string;
  /**
   * The raw columns, typed and with their roles, as the model's training data had them: the schema of the version its
   * recipe chain starts from (logged inputs are raw rows). A category value training never saw is a new category.
   */
  schema: ColumnSchema[];
  /** The training version's split spec, drawn again over the new rows. */
  split: SplitSpec;
  /** How the model read raw text (numbers, dates); the new version records it, as a derived version inherits it. */
  format: ReadFormat;
  /** The version whose lineage the new one joins (its one parent). */
  parentId: string;
  name: string;
  createdAt: number;
}

/**
 * 'truth': each request's logged label. 'self': the core's selfLabels over the range's requests (a feedback loop):
 * `selfLabelShare` of them labelled with the model's logged answer (its most common answer where its top probability
 * is under `unsureBelow`), the rest with the true label if it arrived by `now` (virtual ms); which ones is drawn per
 * request id with `seed`. Requests left without a label are not taken.
 */
export type TrafficLabels = 'truth' | { kind: 'self'; seed: number; selfLabelShare: number; unsureBelow: number; now: number };

export type ProductionVersionOutcome =
  /** `notes`: what the user should know about the rows (cells the model could not read, now missing). */
  | { ok: true; version: DatasetVersion; stored: 'created' | 'exists'; notes: string[] }
  /** Problems not tied to a line have line 0; one about the range names the times it looked between. */
  | { ok: false; problems: CellProblem[] };

// Workspace backup and restore, and a version's export (docs/backup.md); the parse worker already opens the database.

export interface BackupRequest {
  databaseName: string;
  includeCheckpoints: boolean;
  /** ms since 1970; goes into the manifest. */
  createdAt: number;
}

export type BackupEvent =
  | { type: 'progress'; store: string; records: number; totalRecords: number; bytesWritten: number }
  | { type: 'done'; bytesWritten: number };

export interface BackupSummary {
  /** Records per store, as in the manifest. */
  records: Record<string, number>;
  entries: number;
  bytes: number;
}

/** `onData` receives the zip's bytes in order, one piece at a time; the call waits for it before making more. */
export type BackupSink = (piece: Uint8Array) => Promise<void> | void;

export type BackupOutcome = { ok: true; summary: BackupSummary } | { ok: false; message: string };

export type RestoreMode = 'merge' | 'replace';

export interface RestoreRequest {
  databaseName: string;
  file: Blob;
  fileName: string;
  mode: RestoreMode;
}

export type RestoreEvent = { type: 'progress'; phase: 'reading' | 'checking' | 'writing'; done: number; total: number };

export type RestoreOutcome =
  /** `added`: records written per store; `kept`: records of the backup left out because one with their key exists. */
  | { ok: true; mode: RestoreMode; added: Record<string, number>; kept: Record<string, number> }
  /** Nothing was changed. */
  | { ok: false; message: string };

export interface VersionExportRequest {
  databaseName: string;
  versionId: string;
  format: 'csv' | 'parquet';
}

export type VersionExportOutcome = { ok: true; file: Blob; fileName: string; rows: number } | { ok: false; message: string };

export interface WorkspaceApi {
  /** Streams the whole workspace as a zip into `onData`, store by store, a bounded piece at a time. */
  backup(request: BackupRequest, onData: BackupSink, onEvent: (e: BackupEvent) => void): Promise<BackupOutcome>;
  /** Checks the whole file first and changes nothing when any check fails; then writes in one transaction. */
  restore(request: RestoreRequest, onEvent: (e: RestoreEvent) => void): Promise<RestoreOutcome>;
  exportVersion(request: VersionExportRequest): Promise<VersionExportOutcome>;
  /** Stops a backup between two entries, or a restore before it writes. */
  cancelWorkspace(): void;
}
