import { describe, expect, it } from 'vitest';
import { cellColumnOf } from '../../src/core/data/cell-column';
import { rateMixNote } from '../../src/core/data/rate-mix';
import { guessColumns, type TextTable } from '../../src/core/data/type-guess';

const dot = { decimal: '.', thousands: '' } as const;
const line = (r: number) => `line ${r + 2}`;

function note(cells: string[]) {
  return rateMixNote(cellColumnOf(cells, cells.length), cells.length, dot, line);
}

describe('rateMixNote', () => {
  it('names the first rate and the first plain number of a column that mixes them', () => {
    expect(note(['45', '12.5%', '', '30', 'NA', '7%'])).toBe(
      '2 cells are rates with a percent sign (read as fractions: 45% is 0.45; first at line 3) and 2 are plain numbers (45 is 45; first at line 2). If they are all percentages, write them one way in the file.',
    );
    expect(note(['5%', '0.5'])).toMatch(/^1 cell is a rate .* and 1 is a plain number /);
  });

  it('says nothing of a column written one way, or of amounts', () => {
    expect(note(['45%', '12.5%', '', '3 %'])).toBeNull();
    expect(note(['45', '12.5', ''])).toBeNull();
    expect(note(['$45', '12', '(3)'])).toBeNull();
    // A cell that is no number is the column's problem already, not a rate.
    expect(note(['45', 'n/a%', 'x'])).toBeNull();
  });
});

describe('the import notes rates mixed with plain numbers', () => {
  it('on a number column read by guessColumns, with the lines of the file', () => {
    const rows = [['45%', 'a'], ['0.3', 'b'], ['50%', 'c'], ['12%', 'd']];
    const raw: TextTable = {
      header: ['response rate', 'id'],
      columns: [0, 1].map((c) => rows.map((r) => r[c]!)),
      rowCount: rows.length,
      lines: Int32Array.from(rows, (_, i) => i + 2),
    };
    const [rate, id] = guessColumns(raw);
    expect(rate!.type).toBe('number');
    expect(rate!.notes).toContainEqual('3 cells are rates with a percent sign (read as fractions: 45% is 0.45; first at line 2) and 1 is a plain number (45 is 45; first at line 3). If they are all percentages, write them one way in the file.');
    expect(id!.notes ?? []).toEqual([]);
  });
});
