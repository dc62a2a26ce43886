import { describe, expect, it } from 'vitest';
import { diffSummaries, diffVersions } from '../../src/core/data/diff';
import type { CategorySummary, DatasetVersion, NumberSummary } from '../../src/core/shared/types';

function num(over: Partial<NumberSummary> = {}): NumberSummary {
  return { kind: 'number', missing: 0, unique: 50, min: 1, max: 9, mean: 5, std: 2, ...over };
}

function cat(top: [string, number][], over: Partial<CategorySummary> = {}): CategorySummary {
  return { kind: 'category', missing: 0, unique: top.length, top: top.map(([value, count]) => ({ value, count })), ...over };
}

/** A hand-built version of the penguins shape: mass (number), island (category), species (target). */
function version(over: Partial<DatasetVersion> = {}): DatasetVersion {
  return {
    id: 'a'.repeat(64),
    projectId: 'p1',
    name: 'penguins',
    createdAt: 1,
    rowCount: 100,
    schema: [
      { name: 'mass', type: 'number', role: 'feature' },
      { name: 'island', type: 'category', role: 'feature' },
      { name: 'species', type: 'category', role: 'target' },
    ],
    summaries: [num(), cat([['Biscoe', 50], ['Dream', 30], ['Torgersen', 20]]), cat([['Adelie', 60], ['Gentoo', 40]])],
    split: { method: 'stratified', seed: 42, fractions: [0.7, 0.15, 0.15], counts: { train: 70, validation: 15, test: 15 } },
    source: { kind: 'file', fileName: 'p.csv', byteLength: 1000 },
    parents: [],
    chunkRows: 65536,
    chunkCount: 1,
    ...over,
  };
}

describe('diffVersions', () => {
  it('finds nothing between a version and a renamed copy of it', () => {
    const d = diffVersions(version(), version({ id: 'b'.repeat(64), name: 'renamed', tags: ['x'] }));
    expect(d.identical).toBe(true);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    expect(d.retyped).toEqual([]);
    expect(d.columns.every((c) => !c.changed)).toBe(true);
    expect(d.from.name).toBe('penguins');
    expect(d.to.name).toBe('renamed');
  });

  it('reports added, removed, retyped and re-roled columns', () => {
    const before = version();
    const after = version({
      schema: [
        { name: 'mass', type: 'category', role: 'feature' },
        { name: 'species', type: 'category', role: 'target' },
        { name: 'sex', type: 'category', role: 'ignore' },
      ],
      summaries: [cat([['heavy', 60], ['light', 40]]), cat([['Adelie', 60], ['Gentoo', 40]]), cat([['F', 50], ['M', 50]])],
    });
    const d = diffVersions(before, after);
    expect(d.identical).toBe(false);
    expect(d.added).toEqual([{ name: 'sex', type: 'category', role: 'ignore' }]);
    expect(d.removed).toEqual([{ name: 'island', type: 'category', role: 'feature' }]);
    expect(d.retyped).toEqual([
      { name: 'mass', type: { from: 'number', to: 'category', changed: true }, role: { from: 'feature', to: 'feature', changed: false } },
    ]);
    // Columns in both, in the newer version's order; across types only missing and unique compare.
    expect(d.columns.map((c) => c.name)).toEqual(['mass', 'species']);
    expect(d.columns[0].stats.map((s) => s.key)).toEqual(['missing', 'unique']);
    expect(d.columns[0].stats[1]).toMatchObject({ from: 50, to: 2, delta: -48, changed: true });
    expect(d.columns[0].shares).toEqual([]);

    const reRoled = diffVersions(before, version({ schema: before.schema.map((c) => (c.name === 'island' ? { ...c, role: 'ignore' } : c)) }));
    expect(reRoled.retyped).toEqual([
      { name: 'island', type: { from: 'category', to: 'category', changed: false }, role: { from: 'feature', to: 'ignore', changed: true } },
    ]);
    expect(reRoled.identical).toBe(false);
  });

  it('gives row and split count deltas and the split method', () => {
    const after = version({
      rowCount: 80,
      split: { method: 'time', seed: 42, fractions: [0.7, 0.15, 0.15], timeColumn: 'date', counts: { train: 56, validation: 12, test: 12 } },
    });
    const d = diffVersions(version(), after);
    expect(d.rows).toEqual({ from: 100, to: 80, delta: -20, changed: true });
    expect(d.split.train).toEqual({ from: 70, to: 56, delta: -14, changed: true });
    expect(d.split.validation.delta).toBe(-3);
    expect(d.split.test.delta).toBe(-3);
    expect(d.split.method).toEqual({ from: 'stratified', to: 'time (date)', changed: true });
  });

  it('gives per-column statistic deltas and ignores float noise', () => {
    const after = version({
      summaries: [num({ mean: 5 + 1e-13, std: 2.5, missing: 3, max: 12 }), ...version().summaries.slice(1)],
    });
    const d = diffVersions(version(), after);
    const mass = d.columns.find((c) => c.name === 'mass');
    const byKey = Object.fromEntries(mass!.stats.map((s) => [s.key, s]));
    expect(byKey.mean.changed).toBe(false);
    expect(byKey.std).toMatchObject({ from: 2, to: 2.5, delta: 0.5, changed: true });
    expect(byKey.missing).toMatchObject({ delta: 3, changed: true });
    expect(byKey.max).toMatchObject({ from: 9, to: 12, changed: true });
    expect(byKey.min.changed).toBe(false);
    expect(mass!.changed).toBe(true);
    expect(d.columns.find((c) => c.name === 'island')!.changed).toBe(false);
  });

  it('treats NaN statistics (a column with no values) as equal to NaN, and changed against a number', () => {
    const empty = num({ missing: 100, unique: 0, min: NaN, max: NaN, mean: NaN, std: NaN });
    expect(diffSummaries('x', empty, 100, empty, 100).changed).toBe(false);
    const filled = diffSummaries('x', empty, 100, num(), 100);
    expect(filled.stats.find((s) => s.key === 'mean')).toMatchObject({ changed: true });
    expect(Number.isNaN(filled.stats.find((s) => s.key === 'mean')!.delta)).toBe(true);
  });
});

describe('category share changes', () => {
  it('compares shares of present values, counting a value absent from a full list as 0', () => {
    const before = cat([['Biscoe', 50], ['Dream', 30], ['Torgersen', 20]]);
    const after = cat([['Biscoe', 30], ['Dream', 30]], { missing: 40 });
    const d = diffSummaries('island', before, 100, after, 100);
    const share = Object.fromEntries(d.shares.map((s) => [s.value, s]));
    expect(share.Biscoe).toMatchObject({ from: 0.5, to: 0.5, changed: false });
    expect(share.Dream.from).toBeCloseTo(0.3);
    expect(share.Dream.to).toBeCloseTo(0.5);
    expect(share.Dream.changed).toBe(true);
    expect(share.Torgersen).toMatchObject({ from: 0.2, to: 0, changed: true });
    expect(share.Torgersen.delta).toBeCloseTo(-0.2);
  });

  it('says a share is unknown when a value is outside a truncated top list', () => {
    const many = (first: string) => cat([[first, 20], ...Array.from({ length: 9 }, (_, i): [string, number] => [`v${i}`, 5])], { unique: 30 });
    const d = diffSummaries('c', many('alpha'), 100, many('beta'), 100);
    const alpha = d.shares.find((s) => s.value === 'alpha')!;
    expect(alpha.from).toBeCloseTo(0.2);
    expect(alpha.to).toBeNull();
    expect(alpha.changed).toBe(true);
    expect(d.shares.find((s) => s.value === 'v0')!.changed).toBe(false);
  });

  it('gives no statistics, rather than false changes, when a version has no summaries', () => {
    const d = diffVersions(version({ summaries: [] }), version());
    expect(d.columns.every((c) => c.stats.length === 0 && !c.changed)).toBe(true);
    expect(d.identical).toBe(true);
  });
});
