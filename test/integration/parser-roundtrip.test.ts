// Seeded round trip against a simple oracle: random tables are written as CSV the way spreadsheets write
// them (quotes only where needed, doubled quotes, line breaks inside fields, either line ending, comma or
// tab), imported through the real parser and dataset builder, and every cell must come back unchanged.

import { describe, expect, it } from 'vitest';
import { createTestParser } from '../../workers/parse/parser';
import { mulberry32 } from '../../src/core/shared/rng';
import type { ColumnRole, ColumnType, Table } from '../../src/core/shared/types';
import type { DatasetChoices } from '../../src/core/contracts/parse';

type Cell = string | number | null;
interface Generated {
  header: string[];
  types: ColumnType[];
  rows: Cell[][];
}

const PIECES = ['a', 'Zeta', 'é', '漢字', '🐧', ',', '"', ';', '\t', '\n', '\r\n', ' ', '=', '#', "'", 'x y'];
const NAMES = ['id', 'name', 'note', '__proto__', 'constructor', 'Beak Length (mm)', 'v', 'w', 'toString'];

function generate(seed: number): Generated {
  const rand = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const columns = 2 + Math.floor(rand() * 6);
  const header = NAMES.slice().sort(() => rand() - 0.5).slice(0, columns - 1).concat('target');
  const types: ColumnType[] = header.map((_, c) => (c === columns - 1 || rand() < 0.5 ? 'number' : 'category'));
  // At least 65 rows: a 70/15/15 split then has 10 validation and 10 test rows, as a version needs.
  const rowCount = 65 + Math.floor(rand() * 120);
  const text = (): string => {
    // Letters first and last: the importer trims cells and reads a bare number as a number.
    let s = pick(['k', 'Q', 'ü']);
    const n = Math.floor(rand() * 5);
    for (let i = 0; i < n; i++) s += pick(PIECES);
    return s + pick(['s', 'Ω', 'z']);
  };
  const number = (): number => (rand() < 0.5 ? Math.round((rand() - 0.5) * 1e6) : (rand() - 0.5) * 10 ** Math.floor(rand() * 12 - 6));
  const rows = Array.from({ length: rowCount }, () =>
    types.map((type, c) => {
      if (c < columns - 1 && rand() < 0.1) return null;
      return type === 'number' ? number() : text();
    }),
  );
  return { header, types, rows };
}

function toCsv(data: Generated, delimiter: string, eol: string): string {
  const field = (cell: Cell): string => {
    if (cell === null) return '';
    const s = String(cell);
    return /[",\t;\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [data.header, ...data.rows].map((row) => row.map(field).join(delimiter)).join(eol) + eol;
}

function cellOf(table: Table, column: number, row: number): Cell {
  const data = table.columns[column]!;
  if (data.kind === 'number') {
    const v = data.values[row]!;
    return Number.isNaN(v) ? null : v;
  }
  if (data.kind === 'image') throw new Error('the parser never makes image columns');
  if (data.kind === 'date') throw new Error('these files hold no dates');
  const code = data.codes[row]!;
  return code < 0 ? null : data.dictionary[code]!;
}

describe('CSV round trip (seeded)', () => {
  it('brings back every cell of 60 random tables', async () => {
    const parser = createTestParser();
    for (let seed = 1; seed <= 60; seed++) {
      const data = generate(seed);
      const delimiter = seed % 3 === 0 ? '\t' : ',';
      const eol = seed % 2 === 0 ? '\r\n' : '\n';
      const name = delimiter === '\t' ? `t${seed}.tsv` : `t${seed}.csv`;
      const parsed = await parser.parseFile(new Blob([toCsv(data, delimiter, eol)]), name, () => {});
      if (!parsed.ok) throw new Error(`seed ${seed}: ${parsed.message}`);
      expect(parsed.file.header, `seed ${seed}`).toEqual(data.header);
      expect(parsed.file.rowCount, `seed ${seed}`).toBe(data.rows.length);

      const types: Record<string, ColumnType> = Object.create(null);
      const roles: Record<string, ColumnRole> = Object.create(null);
      data.header.forEach((h, c) => {
        types[h] = data.types[c]!;
        roles[h] = h === 'target' ? 'target' : 'feature';
      });
      const choices: DatasetChoices = {
        name: `seed ${seed}`,
        task: 'regression',
        target: 'target',
        types,
        roles,
        split: { method: 'random', seed, fractions: [0.7, 0.15, 0.15] },
      };
      const built = await parser.build(parsed.file.handle, choices);
      if (!built.ok) throw new Error(`seed ${seed}: ${built.problems.map((p) => p.message).join('; ')}`);
      const { table } = built.dataset;
      expect(table.rowCount).toBe(data.rows.length);
      data.rows.forEach((row, r) =>
        row.forEach((cell, c) => expect(cellOf(table, c, r), `seed ${seed} row ${r} column ${data.header[c]}`).toBe(cell)),
      );
      parser.release(parsed.file.handle);
    }
  });
});
