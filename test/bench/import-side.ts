// The import bench's two sides on the page. Loopbench: the real parse worker through its ParserApi as the
// app drives it (parseFile, then buildAndStore, which types, splits, hashes and stores the version from the
// worker into an IndexedDB of the bench's own). papaparse: the same File parsed by plain Papa.parse in its own worker.

import { proxy, wrap } from 'comlink';
import type { ColumnRole, ColumnType } from '../../src/core/shared/types';
import type { ParseEvent, ParserApi } from '../../src/core/contracts/parse';
import { DEFAULT_SPLIT } from '../../src/core/shared/defaults';
import type { ImportPhases, PapaParseApi } from './import-protocol';

export interface SideOutcome {
  rows: number;
  phases: ImportPhases | null;
  datasetId: string | null;
  /** performance.now() when the import was done (Loopbench: stored), before any clean-up. */
  doneAt: number;
  /** Loopbench only: performance.now() at the end of parsing and of storing, to place long tasks. */
  marks: { parsed: number; saved: number } | null;
}

export async function importWithLoopbench(file: File, target: string, task: 'classification' | 'regression'): Promise<SideOutcome> {
  const worker = new Worker(new URL('../../workers/parse.worker.ts', import.meta.url), { type: 'module' });
  const dbName = `bench-import-${Date.now()}`;
  try {
    const api = wrap<ParserApi>(worker);
    const start = performance.now();
    let readAt: number | null = null;
    const onEvent = (e: ParseEvent): void => {
      if (readAt === null && e.type === 'progress' && e.bytesRead >= e.totalBytes) readAt = performance.now();
    };
    const parsed = await api.parseFile(file, file.name, proxy(onEvent));
    if (!parsed.ok) throw new Error(parsed.message);
    const parsedAt = performance.now();

    const { header, guesses, handle } = parsed.file;
    if (!header.includes(target)) throw new Error(`no column "${target}" in ${file.name}`);
    // The guessed types, with a classification target forced categorical: what a person accepting the defaults saves.
    const types: Record<string, ColumnType> = Object.fromEntries(
      guesses.map((g) => [g.name, g.name === target && task === 'classification' ? 'category' : g.type]),
    );
    const roles: Record<string, ColumnRole> = Object.fromEntries(header.map((name) => [name, name === target ? 'target' : 'feature']));
    const split = { ...DEFAULT_SPLIT, method: task === 'classification' ? ('stratified' as const) : ('random' as const), fractions: [...DEFAULT_SPLIT.fractions] as [number, number, number] };
    // As the app saves: the worker builds (types, split, hash) and stores the version itself.
    const stored = await api.buildAndStore(
      handle,
      { name: file.name, task, target, types, roles, split },
      { databaseName: dbName, projectId: 'bench', name: file.name, source: { kind: 'file', fileName: file.name, byteLength: file.size }, createdAt: Date.now() },
    );
    if (!stored.ok) throw new Error(stored.problems.slice(0, 3).map((p) => `${p.column} line ${p.line}: ${p.message}`).join('; '));
    if (stored.stored !== 'created') throw new Error(`save returned "${stored.stored}" on a fresh database`);
    api.release(handle);
    const savedAt = performance.now();
    return {
      rows: stored.version.rowCount,
      phases: { readMs: readAt === null ? null : readAt - start, parseMs: parsedAt - start, storeMs: savedAt - parsedAt },
      datasetId: stored.version.id.slice(0, 12),
      doneAt: savedAt,
      marks: { parsed: parsedAt, saved: savedAt },
    };
  } finally {
    worker.terminate();
    // Not timed: the stored version is only there to be measured; leaving 100+ MB behind would fill the profile.
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(dbName);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
  }
}

export async function importWithPapa(file: File): Promise<SideOutcome> {
  const worker = new Worker(new URL('./papa.worker.ts', import.meta.url), { type: 'module' });
  try {
    const result = await wrap<PapaParseApi>(worker).parse(file);
    return { rows: result.rows, phases: null, datasetId: null, doneAt: performance.now(), marks: null };
  } finally {
    worker.terminate();
  }
}
