// Two tabs over one database, as two connections on one fake-indexeddb factory (and Node's BroadcastChannel, which
// spans the threads of a process as a browser's spans its tabs): a newer schema opened by one closes the other, whose
// every later call fails with the reason; writes are announced and the other tab's state reloads them; a stale goal
// form or pipeline editor cannot save over the newer value.

import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type IndexedDbDeps, type LoopbenchDb } from '../../src/platform/db';
import { openDatabase } from '../../src/platform/open-db';
import { ChangeFeed, type Change } from '../../src/platform/changes';
import { UPGRADED_ELSEWHERE, type UpgradeGuard } from '../../src/platform/upgrade-guard';
import { ProjectsRepo } from '../../src/platform/repositories/projects';
import { PipelinesRepo } from '../../src/platform/repositories/pipelines';
import { RunsRepo } from '../../src/platform/repositories/runs';
import { SettingsRepo } from '../../src/platform/repositories/settings';
import { ChangeSync } from '../../src/state/shared/change-sync';
import { pipeline } from '../unit/deliver/pipeline-fixtures';
import { freshDeps, project, run } from './storage-fixtures';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const close of cleanup.splice(0)) close();
});

let dbCount = 0;

interface Tab {
  db: LoopbenchDb;
  guard: UpgradeGuard;
  changes: ChangeFeed;
}

/** A tab: its own connection and change feed on the shared database `name`. */
async function openTab(deps: IndexedDbDeps, name: string): Promise<Tab> {
  const changes = new ChangeFeed(name);
  const opened = await openDatabase({ name, deps, changes });
  if (!opened.ok) throw new Error(opened.message);
  cleanup.push(() => {
    opened.db.close();
    changes.close();
  });
  return { db: opened.db, guard: opened.guard, changes };
}

async function twoTabs(): Promise<[Tab, Tab]> {
  const deps = freshDeps();
  // A database name of its own: BroadcastChannel is shared by every test in this process.
  const name = `two-tabs-${process.pid}-${++dbCount}-${Math.random().toString(36).slice(2)}`;
  return [await openTab(deps, name), await openTab(deps, name)];
}

/** Every batch `tab` hears from the others, and a wait for the next one. */
function listen(tab: Tab): { heard: Change[][]; next: () => Promise<Change[]> } {
  const heard: Change[][] = [];
  let waiting: ((c: Change[]) => void) | null = null;
  tab.changes.subscribe((changes) => {
    heard.push(changes);
    waiting?.(changes);
    waiting = null;
  });
  return { heard, next: () => new Promise((resolve) => (waiting = resolve)) };
}

const quiet = (ms = 150) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens the database at a newer native version, as a newer Loopbench in another tab would. */
function openNewer(deps: IndexedDbDeps, name: string, version: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = deps.indexedDB.open(name, version);
    request.onsuccess = () => {
      request.result.close();
      resolve();
    };
    request.onerror = () => reject(request.error);
    // Blocked would mean a connection that did not step aside: the upgrade would hang.
    request.onblocked = () => reject(new Error('the upgrade was blocked by a connection that stayed open'));
  });
}

describe('a schema upgrade in another tab', () => {
  it('closes this connection, tells the page, and fails every later call with the reason', async () => {
    const deps = freshDeps();
    const name = `two-tabs-upgrade-${Math.random().toString(36).slice(2)}`;
    const tab = await openTab(deps, name);
    const projects = new ProjectsRepo(tab.db);
    await projects.put(project('p1'));
    const told: string[] = [];
    tab.guard.onClosed((message) => told.push(message));

    await openNewer(deps, name, SCHEMA_VERSION * 10 + 10);

    expect(told).toEqual([UPGRADED_ELSEWHERE]);
    expect(tab.guard.closedBecause).toBe(UPGRADED_ELSEWHERE);
    expect(UPGRADED_ELSEWHERE).toMatch(/^Loopbench was updated in another tab; reload to continue/);
    // Writes, explicit transactions and reads all refuse with the reason, not Dexie's "Database has been closed".
    await expect(projects.put(project('p2'))).rejects.toThrow(UPGRADED_ELSEWHERE);
    await expect(projects.update('p1', { name: 'renamed' })).rejects.toThrow(UPGRADED_ELSEWHERE);
    await expect(new SettingsRepo(tab.db).set('x', 1)).rejects.toThrow(UPGRADED_ELSEWHERE);
    await expect(new RunsRepo(tab.db).create(run('r1'))).rejects.toThrow(UPGRADED_ELSEWHERE);
    await expect(projects.list()).rejects.toThrow(UPGRADED_ELSEWHERE);

    // Nothing was written after the upgrade: the other tab finds the database as this one left it.
    const raw = await new Promise<unknown[]>((resolve, reject) => {
      const request = deps.indexedDB.open(name);
      request.onsuccess = () => {
        const get = request.result.transaction('projects').objectStore('projects').getAll();
        get.onsuccess = () => {
          request.result.close();
          resolve(get.result);
        };
        get.onerror = () => reject(get.error);
      };
      request.onerror = () => reject(request.error);
    });
    expect(raw).toEqual([{ ...project('p1'), revision: 1 }]);
  });

  it('is not triggered by another tab of the same version', async () => {
    const [a, b] = await twoTabs();
    await new ProjectsRepo(b.db).put(project('p1'));
    expect(a.guard.closedBecause).toBeNull();
    expect(await new ProjectsRepo(a.db).get('p1')).toMatchObject({ id: 'p1' });
  });
});

describe('changes made in one tab', () => {
  it('are announced once committed, with their kind and project, to the other tab only', async () => {
    const [a, b] = await twoTabs();
    const toA = listen(a);
    const toB = listen(b);

    let heard = toB.next();
    await new ProjectsRepo(a.db).put(project('p1'));
    expect(await heard).toEqual([{ kind: 'projects', projectId: 'p1' }]);

    heard = toB.next();
    await new RunsRepo(a.db).create(run('r1'));
    expect(await heard).toEqual([{ kind: 'runs', projectId: 'p1' }]);

    heard = toB.next();
    await new PipelinesRepo(a.db).save(pipeline({ id: 'pl', projectId: 'p1' }));
    expect(await heard).toEqual([{ kind: 'pipelines', projectId: 'p1' }]);

    heard = toB.next();
    await new SettingsRepo(a.db).set('monitor:alerts:p1', { rules: [] });
    expect(await heard).toEqual([{ kind: 'alerts', projectId: 'p1' }]);

    // One transaction of many writes is one announcement.
    heard = toB.next();
    await new ProjectsRepo(a.db).put(project('p2'));
    await a.db.transaction('rw', a.db.projects, async () => {
      await a.db.projects.put({ ...project('p1'), name: 'one' });
      await a.db.projects.put({ ...project('p2'), name: 'two' });
    });
    await heard;
    await quiet();
    expect(toB.heard.at(-1)).toEqual([
      { kind: 'projects', projectId: 'p1' },
      { kind: 'projects', projectId: 'p2' },
    ]);

    // The writing tab does not hear itself.
    expect(toA.heard).toEqual([]);
  });

  it('announces nothing for a write that is rolled back, a settings write or an empty bulk write', async () => {
    const [a, b] = await twoTabs();
    const toB = listen(b);
    await expect(
      a.db.transaction('rw', a.db.projects, async () => {
        await a.db.projects.put(project('p1'));
        throw new Error('fails after the write');
      }),
    ).rejects.toThrow('fails after the write');
    await new SettingsRepo(a.db).set('ui.currentProject', 'p1');
    await new PipelinesRepo(a.db).recoverInterrupted('p1', () => false);
    await quiet();
    expect(toB.heard).toEqual([]);
    expect(await b.db.projects.count()).toBe(0);
  });

  it('ignore the announcements of another database', async () => {
    const [, b] = await twoTabs();
    const [c] = await twoTabs();
    const toB = listen(b);
    await new ProjectsRepo(c.db).put(project('p1'));
    await quiet();
    expect(toB.heard).toEqual([]);
  });

  it("reload the other tab's state for the open project only, once per burst", async () => {
    const [a, b] = await twoTabs();
    const reloads: string[] = [];
    const shown = new Map<string, string>();
    const sync = new ChangeSync(
      b.changes,
      {
        currentProjectId: () => 'p1',
        reload: async (kind) => {
          reloads.push(kind);
          if (kind === 'projects') for (const p of await new ProjectsRepo(b.db).list()) shown.set(p.id, `${p.goal.metric} ${p.goal.bar}`);
        },
      },
      300,
    );
    sync.start();
    cleanup.push(() => sync.stop());

    const projectsA = new ProjectsRepo(a.db);
    await projectsA.put(project('p1'));
    const runs = new RunsRepo(a.db);
    for (const id of ['r1', 'r2', 'r3']) await runs.create(run(id));
    await runs.create(run('other', { projectId: 'p9' }));
    await quiet(400);
    await sync.settled();
    expect(shown.get('p1')).toBe('accuracy 0.9');
    expect(reloads.filter((k) => k === 'runs')).toHaveLength(1);
    expect(reloads.filter((k) => k === 'projects')).toHaveLength(1);

    await projectsA.update('p1', { goal: { metric: 'accuracy', bar: 0.95 } });
    await quiet(400);
    await sync.settled();
    expect(shown.get('p1')).toBe('accuracy 0.95');
  });
});

describe('a stale form', () => {
  it('cannot save the goal over a newer goal saved in another tab', async () => {
    const [a, b] = await twoTabs();
    const inA = new ProjectsRepo(a.db);
    const inB = new ProjectsRepo(b.db);
    await inA.put(project('p1'));
    const loadedInA = (await inA.get('p1'))!.goal;

    const savedInB = await inB.update('p1', { goal: { metric: 'accuracy', bar: 0.95 } }, { goal: (await inB.get('p1'))!.goal });
    expect(savedInB.ok).toBe(true);

    // Tab A's form still holds the goal it loaded: its save is refused with the newer goal, and nothing is written.
    const staleSave = await inA.update('p1', { goal: { metric: 'f1', bar: 0.8 } }, { goal: loadedInA });
    expect(staleSave).toMatchObject({ ok: false, changed: ['goal'], stored: { goal: { metric: 'accuracy', bar: 0.95 } } });
    expect((await inB.get('p1'))!.goal).toEqual({ metric: 'accuracy', bar: 0.95 });

    // Loaded again, the form saves on top of the newer goal.
    const fresh = await inA.update('p1', { goal: { metric: 'f1', bar: 0.8 } }, { goal: { bar: 0.95, metric: 'accuracy' } });
    expect(fresh).toMatchObject({ ok: true, project: { goal: { metric: 'f1', bar: 0.8 }, revision: 3 } });
  });

  it('saving another field keeps the goal another tab saved', async () => {
    const [a, b] = await twoTabs();
    await new ProjectsRepo(a.db).put(project('p1'));
    await new ProjectsRepo(b.db).update('p1', { goal: { metric: 'accuracy', bar: 0.97 } });
    // Tab A sets the target from its stale copy: only the target is written.
    const outcome = await new ProjectsRepo(a.db).update('p1', { target: 'island' });
    expect(outcome).toMatchObject({ ok: true, project: { target: 'island', goal: { bar: 0.97 } } });
  });

  it('cannot save a pipeline definition over one saved (or deleted) in another tab since the editor opened', async () => {
    const [a, b] = await twoTabs();
    const inA = new PipelinesRepo(a.db);
    const inB = new PipelinesRepo(b.db);
    const opened = await inA.save(pipeline({ id: 'pl', name: 'retrain' }));

    await inB.save({ ...opened, triggers: { newVersion: 'paused', alert: 'off' } }, opened);
    await expect(inA.save({ ...opened, name: 'renamed in A' }, opened)).rejects.toThrow(
      /Pipeline "retrain" was changed \(in another tab\) since this editor opened it: not saved/,
    );
    expect(await inB.get('pl')).toMatchObject({ name: 'retrain', triggers: { newVersion: 'paused' } });

    // The definition as stored now saves (key order of the copy does not matter).
    const stored = (await inA.get('pl'))!;
    const reordered = Object.fromEntries(Object.entries(stored).reverse()) as typeof stored;
    await expect(inA.save({ ...stored, name: 'renamed in A' }, reordered)).resolves.toMatchObject({ name: 'renamed in A' });

    // Deleted in B: A's stale editor does not bring it back.
    await inB.remove('pl');
    await expect(inA.save({ ...stored, name: 'again' }, { ...stored, name: 'renamed in A' })).rejects.toThrow(/was deleted \(in another tab\)/);
    expect(await b.db.pipelines.count()).toBe(0);
  });
});
