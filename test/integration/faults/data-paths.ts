// Write paths of dataset versions and of the workspace, under fault injection: an import beside another version, a
// recipe's version beside its parent, a version's deletion, and a restore (both modes) over a whole workspace. Each
// runs the worker implementation the app runs (parse and analysis workers), or the repository the page uses.

import type { DatasetChoices, RestoreMode, StoreRequest } from '../../../src/core/contracts/parse';
import type { DatasetRef } from '../../../src/core/contracts/dataset';
import type { Recipe } from '../../../src/core/recipe';
import { openDatabase } from '../../../src/platform/open-db';
import { DatasetsRepo } from '../../../src/platform/repositories/datasets';
import { createAnalysis } from '../../../workers/analysis/analysis';
import { DatasetService } from '../../../workers/dataset/dataset-service';
import { createParser } from '../../../workers/parse/parser';
import { parsed } from '../../fixtures/support';
import { penguins } from '../../fixtures/tabular';
import { seedWorkspace } from '../../fixtures/workspace';
import { freshDeps } from '../storage-fixtures';
import { DB, withDb } from './db';
import type { Open, WritePath } from './sweep';

// --- dataset import (parse worker) ---

function csv(rows: number, seed: number): string {
  const header = 'species,mass,code,island,flipper,when';
  const lines = Array.from({ length: rows }, (_, i) => {
    const j = i + seed;
    return `${['a', 'b', 'c'][j % 3]},${(j * 1.25).toFixed(2)},${String(j % 12).padStart(3, '0')},${['Biscoe', 'Dream'][j % 2]},${180 + (j % 40)},2024-01-${String(1 + (j % 28)).padStart(2, '0')}`;
  });
  return [header, ...lines].join('\n');
}

const CHOICES: DatasetChoices = {
  name: 'penguins',
  task: 'classification',
  target: 'species',
  types: { code: 'category' },
  roles: {},
  split: { method: 'stratified', seed: 3, fractions: [0.6, 0.2, 0.2] },
};

async function importCsv(open: Open, text: string, createdAt: number): Promise<string> {
  const parser = createParser(open);
  const file = await parsed(parser.parseFile(new Blob([text]), 'p.csv', () => {}));
  const request: StoreRequest = { databaseName: DB, projectId: 'p1', name: 'penguins', source: { kind: 'file', fileName: 'p.csv', byteLength: text.length }, createdAt };
  const outcome = await parser.buildAndStore(file.handle, CHOICES, request);
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join('\n'));
  if (outcome.stored !== 'created') throw new Error(`the import was ${outcome.stored}, not created`);
  return outcome.version.id;
}

export const importPath: WritePath = {
  name: 'import',
  databaseName: DB,
  killable: true,
  seed: async (open) => void (await importCsv(open, csv(150, 7), 1)),
  write: (open) => importCsv(open, csv(300, 0), 2),
};

// --- delete a version (the page's datasets repository): a version leaves whole, with its chunks ---

let doomed: string | null = null;

export const deleteVersionPath: WritePath = {
  name: 'delete version',
  databaseName: DB,
  killable: false,
  async seed(open) {
    await importCsv(open, csv(150, 7), 1);
    doomed = await importCsv(open, csv(300, 0), 2);
  },
  write: (open) =>
    withDb(open, async (db) => {
      if (!doomed) throw new Error('delete version: the version was not seeded');
      const outcome = await new DatasetsRepo(db).delete(doomed);
      if (!outcome.ok) throw new Error(outcome.message);
    }),
};

// --- recipe apply (analysis worker) ---

const RECIPE: Recipe = {
  version: 1,
  steps: [
    { kind: 'impute', column: 'Sex', strategy: 'most_frequent' },
    { kind: 'onehot', column: 'Island' },
    { kind: 'filter', condition: { kind: 'compare', column: 'Body Mass (g)', op: 'gt', value: 3000 } },
  ],
};

let parent: DatasetRef | null = null;

export const recipePath: WritePath = {
  name: 'recipe apply',
  databaseName: DB,
  killable: true,
  async seed(open) {
    const { version } = await new DatasetService(open).store(DB, await penguins(), {
      projectId: 'p1',
      name: 'penguins',
      createdAt: 1,
      source: { kind: 'file', fileName: 'penguins.json', byteLength: 1 },
      split: CHOICES.split,
    });
    parent = { databaseName: DB, versionId: version.id };
  },
  async write(open) {
    if (!parent) throw new Error('recipe apply: the parent version was not seeded');
    const outcome = await createAnalysis(new DatasetService(open)).applyRecipe(parent, RECIPE, { databaseName: DB, projectId: 'p1', name: 'derived', createdAt: 2 });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    if (outcome.stored !== 'created') throw new Error(`the derived version was ${outcome.stored}, not created`);
  },
};

// --- workspace restore (parse worker), both modes ---

let backupBytes: Promise<Uint8Array> | null = null;

/** A backup of another workspace: an imported version and a record in every other store (tag b), made once. */
function backupOfOther(): Promise<Uint8Array> {
  backupBytes ??= (async () => {
    const deps = freshDeps();
    const open: Open = (name) => openDatabase({ name, deps });
    await importCsv(open, csv(120, 3), 5);
    await withDb(open, (db) => seedWorkspace(db, 'b'));
    const pieces: Uint8Array[] = [];
    const outcome = await createParser(open).backup({ databaseName: DB, includeCheckpoints: true, createdAt: Date.UTC(2026, 11, 2) }, (p) => void pieces.push(p), () => {});
    if (!outcome.ok) throw new Error(outcome.message);
    const bytes = new Uint8Array(pieces.reduce((n, p) => n + p.byteLength, 0));
    let at = 0;
    for (const p of pieces) {
      bytes.set(p, at);
      at += p.byteLength;
    }
    return bytes;
  })();
  return backupBytes;
}

function restorePath(mode: RestoreMode): WritePath {
  return {
    name: `restore (${mode})`,
    databaseName: DB,
    killable: true,
    // This workspace's own version and records (tag a), and the backup's version too: merge must keep it as it is.
    async seed(open) {
      await importCsv(open, csv(150, 7), 1);
      await importCsv(open, csv(120, 3), 5);
      await withDb(open, (db) => seedWorkspace(db, 'a'));
    },
    async write(open) {
      const bytes = await backupOfOther();
      const file = new Blob([bytes as Uint8Array<ArrayBuffer>]);
      const outcome = await createParser(open).restore({ databaseName: DB, file, fileName: 'backup.zip', mode }, () => {});
      if (!outcome.ok) throw new Error(outcome.message);
    },
  };
}

export const restoreReplacePath = restorePath('replace');
export const restoreMergePath = restorePath('merge');
