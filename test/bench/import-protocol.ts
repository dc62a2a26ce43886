// What the import bench's page, its papaparse worker and scripts/bench-import.mjs exchange. Types only.

export type ImportSideName = 'loopbench' | 'papaparse';

export interface ImportRequest {
  side: ImportSideName;
  /** Served by the bench's preview server next to the page. */
  url: string;
  fileName: string;
  /** Loopbench only: the target column; a classification target is categorical and the split stratified on it. */
  target: string;
  task: 'classification' | 'regression';
  timeoutMs: number;
}

/** Wall-clock milliseconds of each phase of Loopbench's import, measured on the page. */
export interface ImportPhases {
  /** Until the parse worker reported every byte read (its last progress event); null if it never did. */
  readMs: number | null;
  /** parseFile in all: reading plus turning the rows into the raw table and guessing column types. */
  parseMs: number;
  /** buildAndStore: typing, split and hash, then the IndexedDB write, all in the worker. */
  storeMs: number;
}

export interface ImportResult {
  side: ImportSideName;
  fileName: string;
  bytes: number;
  rows: number;
  /** From the start of the import (worker start included) to the stored version; null when it failed. */
  totalMs: number | null;
  /** Loopbench only. */
  phases: ImportPhases | null;
  /** Loopbench only: the content hash build computed, shortened. */
  datasetId: string | null;
  /** Highest `performance.memory.usedJSHeapSize` of the page sampled every 100 ms; null where the browser lacks it. */
  peakPageHeapBytes: number | null;
  /** Main-thread long tasks (>= 50 ms) during the import. */
  longestTaskMs: number;
  longTaskCount: number;
  /** Loopbench only: the phase the longest task started in; 'after' is clean-up once the version was stored. */
  longestTaskPhase: 'parse' | 'store' | 'after' | null;
  error: string | null;
}

export interface PapaParseResult {
  rows: number;
  fields: number;
  errors: number;
}

export interface PapaParseApi {
  parse(file: File): Promise<PapaParseResult>;
}
