// The import bench's two sides on the page. Loopbench: the real parse worker through its ParserApi as the
// app drives it (parseFile, then build, which types, splits and hashes), then DatasetsRepo.save into an
// IndexedDB of its own. papaparse: the same File parsed by plain Papa.parse in its own worker.

import { proxy, wrap } from 'comlink';
import type { ColumnRole, ColumnType, DatasetVersion } from '../../src/core/types';
import type { ParseEvent, ParserApi } from '../../src/core/worker-api';
import { DEFAULT_SPLIT } from '../../src/core/defaults';
import { openDatabase } from '../../src/platform/open-db';
import { DatasetsRepo } from '../../src/platform/repositories/datasets';
import { DATASET_CHUNK_ROWS, datasetChunkCount } from '../../src/platform/repositories/dataset-chunks';
import type { ImportPhases, PapaParseApi } from './import-protocol';

export interface SideOutcome {
  rows: number;
  phases: ImportPhases | null;
  datasetId: string | null;
}

export async function importWithLoopbench(file: File, target: string): Promise<SideOutcome> {
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
    // The guessed types, with the target forced categorical: what a person accepting the defaults saves.
    const types: Record<string, ColumnType> = Object.fromEntries(
      guesses.map((g) => [g.name, g.name === target ? 'category' : g.type]),
    );
    const roles: Record<string, ColumnRole> = Object.fromEntries(header.map((name) => [name, name === target ? 'target' : 'feature']));
    const split = { ...DEFAULT_SPLIT, method: 'stratified' as const, fractions: [...DEFAULT_SPLIT.fractions] as [number, number, number] };
    const built = await api.build(handle, { name: file.name, task: 'classification', target, types, roles, split });
    if (!built.ok) throw new Error(built.problems.slice(0, 3).map((p) => `${p.column} line ${p.line}: ${p.message}`).join('; '));
    api.release(handle);
    const builtAt = performance.now();

    const { dataset } = built;
    const meta: DatasetVersion = {
      id: dataset.id,
      projectId: 'bench',
      name: file.name,
      createdAt: Date.now(),
      rowCount: dataset.table.rowCount,
      schema: dataset.schema,
      summaries: dataset.summaries,
      split: { ...split, counts: dataset.counts },
      source: { kind: 'file', fileName: file.name, byteLength: file.size },
      parents: [],
      chunkRows: DATASET_CHUNK_ROWS,
      chunkCount: datasetChunkCount(dataset.table.rowCount, DATASET_CHUNK_ROWS),
    };
    const opened = await openDatabase({ name: dbName });
    if (!opened.ok) throw new Error(opened.message);
    try {
      const saved = await new DatasetsRepo(opened.db).save(meta, dataset.table, dataset.assignment);
      if (saved !== 'created') throw new Error(`save returned "${saved}" on a fresh database`);
    } finally {
      opened.db.close();
    }
    const savedAt = performance.now();
    return {
      rows: dataset.table.rowCount,
      phases: { readMs: readAt === null ? null : readAt - start, parseMs: parsedAt - start, buildMs: builtAt - parsedAt, saveMs: savedAt - builtAt },
      datasetId: dataset.id.slice(0, 12),
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
    return { rows: result.rows, phases: null, datasetId: null };
  } finally {
    worker.terminate();
  }
}
