import { describe, expect, it } from 'vitest';
import { buildLineage, lineageOutline, lineageSummary, NODE_HEIGHT, NODE_WIDTH, runKey, versionKey } from '../../src/core/data/lineage';
import type { LineageRun, LineageVersion } from '../../src/core/data/lineage';
import { checkTags, checkVersionName, deletionBlocker } from '../../src/core/data/version-meta';

function v(id: string, parents: string[] = [], createdAt = 1): LineageVersion {
  return { id, name: `v-${id}`, parents, createdAt, rowCount: 10 };
}

function r(id: string, datasetId: string, startedAt = 1): LineageRun {
  return { id, name: `run ${id}`, datasetId, startedAt, status: 'finished' };
}

describe('buildLineage', () => {
  it('links parent to child version and version to run', () => {
    const g = buildLineage([v('raw'), v('clean', ['raw'])], [r('r1', 'clean'), r('r0', 'raw')]);
    expect(g.edges).toEqual(
      expect.arrayContaining([
        { from: versionKey('raw'), to: versionKey('clean'), kind: 'derived' },
        { from: versionKey('clean'), to: runKey('r1'), kind: 'trained' },
        { from: versionKey('raw'), to: runKey('r0'), kind: 'trained' },
      ]),
    );
    expect(g.edges).toHaveLength(3);
    expect(g.versionCount).toBe(2);
    expect(g.runCount).toBe(1 + 1);
  });

  it('puts each node one layer right of the deepest thing it came from', () => {
    // raw -> clean -> scaled; a second import joins in `merged` with scaled.
    const g = buildLineage(
      [v('raw', [], 1), v('clean', ['raw'], 2), v('scaled', ['clean'], 3), v('other', [], 4), v('merged', ['scaled', 'other'], 5)],
      [r('a', 'merged'), r('b', 'raw')],
    );
    const layer = Object.fromEntries(g.nodes.map((n) => [n.key, n.layer]));
    expect(layer[versionKey('raw')]).toBe(0);
    expect(layer[versionKey('other')]).toBe(0);
    expect(layer[versionKey('clean')]).toBe(1);
    expect(layer[versionKey('scaled')]).toBe(2);
    expect(layer[versionKey('merged')]).toBe(3);
    expect(layer[runKey('a')]).toBe(4);
    expect(layer[runKey('b')]).toBe(1);
    // Every edge points to a later layer, so the picture reads left to right.
    const byKey = new Map(g.nodes.map((n) => [n.key, n]));
    for (const e of g.edges) expect(byKey.get(e.to)!.layer).toBeGreaterThan(byKey.get(e.from)!.layer);
  });

  it('lays nodes out without overlap and sizes the canvas to fit them', () => {
    const g = buildLineage([v('a', [], 1), v('b', [], 2), v('c', ['a'], 3)], [r('x', 'a'), r('y', 'b'), r('z', 'c')]);
    const boxes = g.nodes.map((n) => ({ ...n, right: n.x + NODE_WIDTH, bottom: n.y + NODE_HEIGHT }));
    for (const p of boxes) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.right).toBeLessThanOrEqual(g.width);
      expect(p.bottom).toBeLessThanOrEqual(g.height);
      for (const q of boxes) {
        if (p === q) continue;
        const overlap = p.x < q.right && q.x < p.right && p.y < q.bottom && q.y < p.bottom;
        expect(overlap, `${p.key} overlaps ${q.key}`).toBe(false);
      }
    }
  });

  it('orders a layer by where its nodes came from, then by time', () => {
    // Layer 0: a (older) above b. Layer 1: b's run is older than a's child, but sits lower, by b.
    const g = buildLineage([v('a', [], 1), v('b', [], 2), v('a2', ['a'], 9)], [r('rb', 'b', 3)]);
    const order = (key: string) => g.nodes.find((n) => n.key === key)!.order;
    expect(order(versionKey('a'))).toBe(0);
    expect(order(versionKey('b'))).toBe(1);
    expect(order(versionKey('a2'))).toBe(0);
    expect(order(runKey('rb'))).toBe(1);
  });

  it('is the same whatever order the lists come in', () => {
    const versions = [v('raw', [], 1), v('clean', ['raw'], 2), v('x', [], 3)];
    const runs = [r('r1', 'clean', 4), r('r2', 'clean', 5), r('r3', 'x', 6)];
    const a = buildLineage(versions, runs);
    const b = buildLineage([...versions].reverse(), [...runs].reverse());
    const place = (g: typeof a) => Object.fromEntries(g.nodes.map((n) => [n.key, [n.x, n.y]]));
    expect(place(b)).toEqual(place(a));
  });

  it('skips parents and datasets it does not know, and survives a cycle in stored data', () => {
    const g = buildLineage([v('a', ['gone']), v('b', ['c']), v('c', ['b'])], [r('r', 'deleted')]);
    expect(g.edges.some((e) => e.from === versionKey('gone'))).toBe(false);
    expect(g.nodes).toHaveLength(4);
    expect(g.nodes.find((n) => n.key === runKey('r'))!.layer).toBe(0);
  });

  it('is empty for a project without data', () => {
    const g = buildLineage([], []);
    expect(g).toMatchObject({ nodes: [], edges: [], width: 0, height: 0 });
    expect(lineageSummary(g)).toBe('Lineage: 0 dataset versions (0 imported, 0 derived) and 0 runs trained on them.');
  });
});

describe('lineage in words', () => {
  it('summarises the picture and describes each node', () => {
    const g = buildLineage([v('raw'), v('clean', ['raw'])], [r('r1', 'clean')]);
    expect(lineageSummary(g)).toBe('Lineage: 2 dataset versions (1 imported, 1 derived) and 1 run trained on them.');
    expect(lineageOutline(g).map((l) => l.text)).toEqual([
      'Version "v-raw" (raw): imported; parent of "v-clean"; used by no run.',
      'Version "v-clean" (clean): derived from "v-raw"; used by "run r1".',
      'Run "run r1": trained on "v-clean".',
    ]);
  });
});

describe('deletionBlocker', () => {
  const raw = { id: 'raw', name: 'raw import', parents: [] };
  const clean = { id: 'clean', name: 'cleaned', parents: ['raw'] };

  it('refuses a version runs use, naming the runs', () => {
    const runs = [
      { id: 'r1', name: 'run 1', datasetId: 'raw' },
      { id: 'r2', name: 'run 2', datasetId: 'raw' },
      { id: 'r3', name: 'run 3', datasetId: 'other' },
    ];
    expect(deletionBlocker(raw, [raw], runs)).toBe(
      'Version "raw import" is used by 2 runs: "run 1", "run 2"; delete them first or keep the version.',
    );
  });

  it('refuses a version another version was derived from', () => {
    expect(deletionBlocker(raw, [raw, clean], [])).toBe(
      'Version "raw import" is the parent of 1 version: "cleaned"; deleting it would cut their lineage, so delete them first or keep the version.',
    );
    expect(deletionBlocker(raw, [raw, clean], [{ id: 'r', name: 'run', datasetId: 'raw' }])).toMatch(/used by 1 run: "run".* It is the parent of 1 version/);
  });

  it('allows a version nothing depends on', () => {
    expect(deletionBlocker(clean, [raw, clean], [{ id: 'r', name: 'run', datasetId: 'raw' }])).toBeNull();
  });
});

describe('version names and tags', () => {
  it('trims names and refuses empty or overlong ones', () => {
    expect(checkVersionName('  baseline  ')).toEqual({ ok: true, value: 'baseline' });
    expect(checkVersionName('   ').ok).toBe(false);
    expect(checkVersionName('x'.repeat(121)).ok).toBe(false);
  });

  it('trims tags, drops duplicates and refuses empty or overlong ones', () => {
    expect(checkTags([' a ', 'b', 'a'])).toEqual({ ok: true, value: ['a', 'b'] });
    expect(checkTags(['a', ' '])).toEqual({ ok: false, message: 'A tag cannot be empty.' });
    expect(checkTags(['y'.repeat(41)]).ok).toBe(false);
    expect(checkTags(Array.from({ length: 21 }, (_, i) => `t${i}`)).ok).toBe(false);
  });
});
