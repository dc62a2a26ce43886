import { describe, expect, it } from 'vitest';
import { CellColumn, EMPTY, SHORTEST, TEXT } from '../../src/core/data/cell-column';
import { mulberry32 } from '../../src/core/shared/rng';

function column(cells: string[]): CellColumn {
  const c = new CellColumn(2);
  // Cells are handed in as ranges of a longer text, as the tokenizer does.
  const text = cells.join('|');
  let at = 0;
  cells.forEach((cell, r) => {
    c.setRange(r, text, at, at + cell.length);
    at += cell.length + 1;
  });
  return c;
}

describe('CellColumn', () => {
  it('stores plain decimals as numbers and gives every cell its text back exactly', () => {
    const cells = ['1.50', '007', '-0', '-0.000', '0', '0.5', '-12.345', '1e5', '.5', '5.', '+3', ' 4', '4 ', '', 'abc',
      '1234567890123456', '123456789012345', '0.000000000000001', '-', '1.2.3', '00', '10', '0.0000001'];
    const c = column(cells);
    expect(cells.map((_, r) => c.textAt(r))).toEqual(cells);
    const numeric = (r: number) => c.formats[r] <= 15;
    expect(cells.filter((_, r) => numeric(r))).toEqual(
      ['1.50', '0', '0.5', '-12.345', '123456789012345', '10', '0.0000001'],
    );
    expect(c.values[cells.indexOf('1.50')]).toBe(1.5);
    expect(c.values[cells.indexOf('-12.345')]).toBe(-12.345);
    expect(c.formats[cells.indexOf('')]).toBe(EMPTY);
    expect(c.formats[cells.indexOf('007')]).toBe(TEXT);
  });

  it('reads random decimals to the same number as Number() and spells them back as written', () => {
    const random = mulberry32(7);
    const cells: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const digits = 1 + Math.floor(random() * 15);
      let s = '';
      for (let d = 0; d < digits; d++) s += String(Math.floor(random() * 10));
      const point = Math.floor(random() * (digits + 1));
      s = point === 0 || point === digits ? s : `${s.slice(0, point)}.${s.slice(point)}`;
      cells.push(random() < 0.5 ? `-${s}` : s);
    }
    const c = column(cells);
    cells.forEach((cell, r) => {
      expect(c.textAt(r)).toBe(cell);
      if (c.formats[r] <= 15) expect(c.values[r]).toBe(Number(cell));
    });
  });

  it('decodes each distinct text once and keeps record numbers in their printed form', () => {
    const c = column(['red', 'blue', 'red', 'red', 'blue']);
    expect(c.texts).toEqual(['red', 'blue']);
    expect(c.length).toBe(5);
    expect(Array.from(c.values.subarray(0, 5))).toEqual([0, 1, 0, 0, 1]);
    // Same length and end characters, different middles: told apart, each kept once.
    const near = column(['s12', 's22', 's12', 's22', 'sx2', 's12']);
    expect(near.texts).toEqual(['s12', 's22', 'sx2']);
    expect(Array.from(near.values.subarray(0, 6))).toEqual([0, 1, 0, 1, 2, 0]);
    const many = column(Array.from({ length: 5000 }, (_, i) => `v${i % 1234}`));
    expect(many.texts).toHaveLength(1234);
    expect(Array.from({ length: 5000 }, (_, i) => many.textAt(i))).toEqual(Array.from({ length: 5000 }, (_, i) => `v${i % 1234}`));
    const r = new CellColumn(1);
    r.setNumber(0, 0.1 + 0.2);
    r.setNumber(1, NaN);
    r.setText(2, 'x');
    r.setText(3, '');
    expect(r.formats[0]).toBe(SHORTEST);
    expect([0, 1, 2, 3].map((i) => r.textAt(i))).toEqual(['0.30000000000000004', 'NaN', 'x', '']);
  });
});
