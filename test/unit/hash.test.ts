import { describe, expect, it } from 'vitest';
import { hashDataset, sha256Hex } from '../../src/core/data/hash';
import type { ColumnSchema, SplitSpec, Table } from '../../src/core/shared/types';

const SPLIT: SplitSpec = { method: 'stratified', seed: 42, fractions: [0.7, 0.15, 0.15] };
const SCHEMA: ColumnSchema[] = [
  { name: 'mass', type: 'number', role: 'feature' },
  { name: 'species', type: 'category', role: 'target' },
];

function table(values: number[], codes: number[], dictionary: string[]): Table {
  return {
    names: ['mass', 'species'],
    columns: [
      { kind: 'number', values: Float64Array.from(values) },
      { kind: 'category', codes: Int32Array.from(codes), dictionary },
    ],
    rowCount: values.length,
  };
}

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vector for "abc"', async () => {
    const expected = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(await sha256Hex('abc')).toBe(expected);
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe(expected);
    expect(await sha256Hex(new TextEncoder().encode('abc').buffer)).toBe(expected);
    // A view into a larger buffer hashes only its own bytes.
    expect(await sha256Hex(new TextEncoder().encode('xabcx').subarray(1, 4))).toBe(expected);
  });
});

describe('hashDataset', () => {
  const base = table([1.5, NaN, 3], [0, 1, -1], ['Adelie', 'Gentoo']);

  it('ignores the order of the category dictionary', async () => {
    const reordered = table([1.5, NaN, 3], [1, 0, -1], ['Gentoo', 'Adelie']);
    expect(await hashDataset(SCHEMA, SPLIT, reordered)).toBe(await hashDataset(SCHEMA, SPLIT, base));
  });

  it('treats every NaN as the same missing value', async () => {
    const values = Float64Array.of(1.5, 0, 3);
    // A NaN with a payload other than the canonical quiet NaN.
    const bits = new DataView(values.buffer);
    bits.setUint32(8, 0xffffffff, true);
    bits.setUint32(12, 0x7fffffff, true);
    expect(Number.isNaN(values[1])).toBe(true);
    const other: Table = { ...base, columns: [{ kind: 'number', values }, base.columns[1]] };
    expect(await hashDataset(SCHEMA, SPLIT, other)).toBe(await hashDataset(SCHEMA, SPLIT, base));
  });

  it('changes with any cell, the schema or the split', async () => {
    const h = await hashDataset(SCHEMA, SPLIT, base);
    const variants: [ColumnSchema[], SplitSpec, Table][] = [
      [SCHEMA, SPLIT, table([1.5, NaN, 3.0000001], [0, 1, -1], ['Adelie', 'Gentoo'])],
      [SCHEMA, SPLIT, table([1.5, 0, 3], [0, 1, -1], ['Adelie', 'Gentoo'])],
      [SCHEMA, SPLIT, table([1.5, NaN, 3], [0, 0, -1], ['Adelie', 'Gentoo'])],
      [SCHEMA, SPLIT, table([1.5, NaN, 3], [0, 1, 1], ['Adelie', 'Gentoo'])],
      [SCHEMA, SPLIT, table([1.5, NaN, 3], [0, 1, -1], ['Adelie', 'Gentoo '])],
      [[SCHEMA[0], { ...SCHEMA[1], role: 'feature' }], SPLIT, base],
      [SCHEMA, { ...SPLIT, seed: 43 }, base],
      [SCHEMA, { ...SPLIT, fractions: [0.8, 0.1, 0.1] }, base],
    ];
    const hashes = await Promise.all(variants.map(([s, sp, t]) => hashDataset(s, sp, t)));
    for (const other of hashes) expect(other).not.toBe(h);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('does not confuse cell boundaries inside a category column', async () => {
    const schema: ColumnSchema[] = [{ name: 's', type: 'category', role: 'feature' }];
    const one: Table = { names: ['s'], columns: [{ kind: 'category', codes: Int32Array.of(0, 1), dictionary: ['a', 'bc'] }], rowCount: 2 };
    const two: Table = { names: ['s'], columns: [{ kind: 'category', codes: Int32Array.of(0, 1), dictionary: ['ab', 'c'] }], rowCount: 2 };
    expect(await hashDataset(schema, SPLIT, one)).not.toBe(await hashDataset(schema, SPLIT, two));
  });

  it('hashes a million rows by twenty columns', async () => {
    const rowCount = 1_000_000;
    const values = new Float64Array(rowCount).map((_, i) => i * 0.5);
    const codes = new Int32Array(rowCount).map((_, i) => i % 3);
    const columns: Table['columns'] = [];
    const schema: ColumnSchema[] = [];
    for (let c = 0; c < 20; c++) {
      const numeric = c % 2 === 0;
      columns.push(numeric ? { kind: 'number', values } : { kind: 'category', codes, dictionary: ['x', 'y', 'z'] });
      schema.push({ name: `c${c}`, type: numeric ? 'number' : 'category', role: c === 0 ? 'target' : 'feature' });
    }
    const id = await hashDataset(schema, SPLIT, { names: schema.map((s) => s.name), columns, rowCount });
    expect(id).toMatch(/^[0-9a-f]{64}$/);
  }, 30_000);
});
