// Honest default roles: identifiers and constants are suggested as ignored with a reason, many-valued categories get
// a note with the user's choices, and the target preselected is one that suits the task, over generated columns.
import { describe, expect, it } from 'vitest';
import { guessColumns } from '../../src/core/data/type-guess';
import type { TextTable } from '../../src/core/data/type-guess';
import { adviseColumns, guessTarget, idLikeName, suggestedRoles, targetLikeName } from '../../src/core/data/roles';
import { mulberry32 } from '../../src/core/shared/rng';
import type { ColumnGuess } from '../../src/core/contracts/parse';

type Rand = () => number;

function table(columns: Record<string, string[]>): TextTable {
  const header = Object.keys(columns);
  const rowCount = columns[header[0]].length;
  return { header, columns: header.map((h) => columns[h]), rowCount, lines: Int32Array.from({ length: rowCount }, (_, i) => i + 2) };
}

function shuffled<T>(items: T[], rand: Rand): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function guessOf(columns: Record<string, string[]>, name: string): ColumnGuess {
  const guess = guessColumns(table(columns)).find((g) => g.name === name);
  if (!guess) throw new Error(`no column ${name}`);
  return guess;
}

const N = 400;
const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

function uuid(rand: Rand): string {
  const hex = (k: number) => range(k, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

describe('identifier-like columns', () => {
  it('suggests ignoring unique whole numbers that count along, in any order, with the reason', () => {
    const rand = mulberry32(1);
    const ids = shuffled(range(N, (i) => String(1000 + i)), rand);
    const guess = guessOf({ n: ids, other: range(N, (i) => String(i % 7)) }, 'n');
    expect(guess.type).toBe('number');
    expect(guess.suggestion?.role).toBe('ignore');
    expect(guess.suggestion?.reason).toMatch(/like an identifier: a model would memorise it/);
  });

  it('suggests ignoring rising whole numbers even when they skip', () => {
    const rand = mulberry32(2);
    let v = 5000;
    const ids = range(N, () => String((v += 1 + Math.floor(rand() * 40))));
    expect(guessOf({ ticket: ids }, 'ticket').suggestion?.role).toBe('ignore');
  });

  it('does not take a unique continuous measurement for an identifier', () => {
    const rand = mulberry32(3);
    const mass = range(N, () => (40 + rand() * 80).toFixed(3));
    const guess = guessOf({ mass }, 'mass');
    expect(guess.type).toBe('number');
    expect(guess.unique).toBeGreaterThanOrEqual(0.95 * N);
    expect(guess.suggestion).toBeUndefined();
    expect(guess.notes).toBeUndefined();
  });

  it('keeps scattered unique whole numbers (a population, say) but says they could be an identifier', () => {
    const rand = mulberry32(4);
    const population = [...new Set(range(N * 2, () => String(10_000 + Math.floor(rand() * 50_000_000))))].slice(0, N);
    const guess = guessOf({ population: shuffled(population, rand) }, 'population');
    expect(guess.suggestion).toBeUndefined();
    expect(guess.notes?.join(' ')).toMatch(/different whole number .*if it is an identifier, ignore it/);
  });

  it('suggests ignoring near-unique text and UUIDs', () => {
    const rand = mulberry32(5);
    const names = range(N, (i) => `Passenger ${i < 390 ? i : i - 390}`); // 390 distinct in 400: 97.5%
    const name = guessOf({ name: shuffled(names, rand) }, 'name');
    expect(name.suggestion?.role).toBe('ignore');
    expect(name.suggestion?.reason).toMatch(/390 distinct values in 400 rows \(98%\), like an identifier/);
    const ref = guessOf({ ref: range(N, () => uuid(rand)) }, 'ref');
    expect(ref.type).toBe('category');
    expect(ref.suggestion?.reason).toMatch(/^Text unique per row, like an identifier/);
  });

  it('suggests ignoring a unique column named like a key, even a small one', () => {
    const guess = guessOf({ customer_id: ['c7', 'c2', 'c9', 'c4', 'c1'], y: ['a', 'b', 'a', 'b', 'a'] }, 'customer_id');
    expect(guess.suggestion?.role).toBe('ignore');
    expect(guess.suggestion?.reason).toMatch(/^Named like an identifier and unique per row/);
  });

  it('keeps a column named id that holds few values, with a note', () => {
    const rand = mulberry32(6);
    const guess = guessOf({ id: range(N, () => String(1 + Math.floor(rand() * 4))) }, 'id');
    expect(guess.type).toBe('number');
    expect(guess.suggestion).toBeUndefined();
    expect(guess.notes?.join(' ')).toMatch(/Named like an identifier: if its numbers are codes rather than quantities/);
  });

  it('needs enough rows before uniqueness alone says identifier', () => {
    expect(guessOf({ n: ['3', '1', '2', '5', '4'] }, 'n').suggestion).toBeUndefined();
  });

  it('does not take unique dates for identifiers', () => {
    const dates: ColumnGuess = { name: 'day', type: 'date', missing: 0, unique: N, problems: [] };
    expect(adviseColumns([dates], N, () => null)[0].suggestion).toBeUndefined();
  });

  it('recognises identifier names, and not names that merely contain the letters', () => {
    for (const name of ['id', 'ID', 'Id', 'uuid', 'GUID', 'customer_id', 'PassengerId', 'order-id', 'row', 'index', 'Unnamed: 0', 'record key', 'rowId']) {
      expect(idLikeName(name), name).toBe(true);
    }
    for (const name of ['valid', 'paid', 'width', 'identity', 'Idea', 'kidney', 'id card', 'mass', 'hidden']) {
      expect(idLikeName(name), name).toBe(false);
    }
  });
});

describe('constant columns', () => {
  it('suggests ignoring a column with one value, or none', () => {
    const cols = { same: range(50, (i) => (i % 5 === 0 ? '' : 'x')), empty: range(50, () => 'NA'), seven: range(50, () => '7') };
    const guesses = guessColumns(table(cols));
    for (const g of guesses) expect(g.suggestion?.role, g.name).toBe('ignore');
    expect(guesses[0].suggestion?.reason).toBe('Constant: every present value is the same, so it cannot tell rows apart.');
    expect(guesses[1].suggestion?.reason).toMatch(/Every value is missing/);
    expect(guesses[2].suggestion?.reason).toBe('Constant: every value is the same, so it cannot tell rows apart.');
    expect(suggestedRoles(guesses)).toEqual(['ignore', 'ignore', 'ignore']);
  });
});

describe('high-cardinality categories', () => {
  const many = (values: number, rows: number, seed: number) => {
    const rand = mulberry32(seed);
    // Every value at least twice, so the column is far from unique.
    return shuffled(range(rows, (i) => `v${i % values}`), rand);
  };

  it('notes more than 50 values, with the choices the recipe offers', () => {
    const guess = guessOf({ city: many(80, N, 7) }, 'city');
    expect(guess.suggestion).toBeUndefined();
    const note = guess.notes?.join(' ') ?? '';
    expect(note).toMatch(/80 distinct values in 400 rows/);
    expect(note).toMatch(/ignore the column/);
    expect(note).toMatch(/"Hash into buckets"/);
    expect(note).toMatch(/"Keep the top k values" \(the rest become "other"\)/);
  });

  it('notes more than 20% distinct values, but not a few values in a small file', () => {
    expect(guessOf({ shop: many(30, 100, 8) }, 'shop').notes?.join(' ')).toMatch(/30 distinct values in 100 rows/);
    expect(guessOf({ shop: many(8, 20, 9) }, 'shop').notes).toBeUndefined();
    expect(guessOf({ shop: many(40, 400, 10) }, 'shop').notes).toBeUndefined();
  });
});

describe('the target guess', () => {
  const guess = (name: string, type: ColumnGuess['type'], unique: number, suggestion?: ColumnGuess['suggestion']): ColumnGuess => ({
    name,
    type,
    missing: 0,
    unique,
    problems: [],
    ...(suggestion ? { suggestion } : {}),
  });
  const ignored = { role: 'ignore' as const, reason: 'an identifier' };

  it("prefers the project's target when it fits the task", () => {
    const gs = [guess('Species', 'category', 3), guess('label', 'category', 2), guess('Sex', 'category', 2)];
    expect(guessTarget(gs, 1000, 'classification', 'Species')).toEqual({ column: 0, reason: `"Species" is the project's target.` });
  });

  it("passes over a project's target that does not fit, and says why", () => {
    const gs = [guess('Species', 'category', 1), guess('x', 'number', 300), guess('label', 'category', 4)];
    const t = guessTarget(gs, 1000, 'classification', 'Species');
    expect(t.column).toBe(2);
    expect(t.reason).toBe(`The project's target "Species" has only 1 value, so it does not fit a classification target (2 to 50 classes); "label" is named like a target.`);
  });

  it('takes a column named like a target, then the last category with 2 to 50 classes', () => {
    expect(guessTarget([guess('y', 'number', 2), guess('colour', 'category', 5)], 1000, 'classification', '').column).toBe(0);
    const gs = [guess('id', 'number', 500, ignored), guess('grade', 'category', 3), guess('mass', 'number', 480), guess('site', 'category', 70)];
    const t = guessTarget(gs, 1000, 'classification', '');
    expect(t.column).toBe(1);
    expect(t.reason).toMatch(/^"grade" is the last column that fits a classification target \(2 to 50 classes\)/);
  });

  it('wants at least two rows per class on average', () => {
    const t = guessTarget([guess('code', 'category', 3), guess('x', 'number', 2)], 4, 'classification', '');
    expect(t.column).toBe(1);
    const two = guessTarget([guess('a', 'number', 2), guess('b', 'category', 2)], 2, 'classification', '');
    expect(two.column).toBe(-1);
    expect(two.reason).toMatch(/"a" has 2 values in 2 rows, too few rows per class; "b" has 2 values in 2 rows/);
  });

  it('preselects nothing when no column fits, and says why column by column', () => {
    const gs = [guess('id', 'number', 500, ignored), guess('mass', 'number', 480), guess('note', 'category', 1)];
    const t = guessTarget(gs, 1000, 'classification', '');
    expect(t.column).toBe(-1);
    expect(t.reason).toBe(
      'No column fits a classification target (2 to 50 classes): "id" has 500 values; "mass" has 480 values; "note" has only 1 value. ' +
        "Choose the target yourself, or check the file and the project's task.",
    );
  });

  it('for regression takes a number column that is not an identifier', () => {
    const gs = [guess('mass', 'number', 480), guess('id', 'number', 500, ignored), guess('site', 'category', 4)];
    expect(guessTarget(gs, 1000, 'regression', '').column).toBe(0);
    const none = guessTarget([guess('id', 'number', 500, ignored), guess('site', 'category', 4), guess('flag', 'number', 2)], 1000, 'regression', '');
    expect(none.column).toBe(-1);
    expect(none.reason).toMatch(/^No column fits a regression target .*"site" is not a number column; "flag" has only 2 values/);
  });

  it('knows target names', () => {
    for (const n of ['target', 'Label', 'class', 'species', 'y', 'Outcome', 'class_label']) expect(targetLikeName(n), n).toBe(true);
    for (const n of ['yield', 'classroom', 'mass', 'x']) expect(targetLikeName(n), n).toBe(false);
  });

  it('works on the guesses of a real-looking file: the id is ignored and the grade is the target', () => {
    const rand = mulberry32(11);
    const cols = {
      id: range(N, (i) => String(100_000 + i)),
      mass_kg: range(N, () => (40 + rand() * 80).toFixed(2)),
      site: range(N, () => ['Zürich', 'Genève', 'Köln'][Math.floor(rand() * 3)]),
      grade: range(N, () => ['A', 'B', 'C'][Math.floor(rand() * 3)]),
    };
    const guesses = guessColumns(table(cols));
    expect(suggestedRoles(guesses)).toEqual(['ignore', 'feature', 'feature', 'feature']);
    expect(guessTarget(guesses, N, 'classification', '').column).toBe(3);
    expect(guessTarget(guesses, N, 'regression', '').column).toBe(1);
  });
});
