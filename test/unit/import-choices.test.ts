// The choices a parsed file is saved with, made the same way by the import form and by the samples.
import { describe, expect, it } from 'vitest';
import { guessColumns, type TextTable } from '../../src/core/data/type-guess';
import { dateColumns, datasetChoices, importSplit, initialChoices, resuggestedRoles, withRole } from '../../src/core/data/import-choices';

function guesses(columns: Record<string, string[]>) {
  const header = Object.keys(columns);
  const rowCount = columns[header[0]].length;
  const table: TextTable = { header, columns: header.map((h) => columns[h]), rowCount, lines: Int32Array.from({ length: rowCount }, (_, i) => i + 2) };
  return { header, rowCount, guesses: guessColumns(table) };
}

const N = 60;
const penguins = guesses({
  id: Array.from({ length: N }, (_, i) => String(i + 1)),
  bill: Array.from({ length: N }, (_, i) => String(30 + ((i * 7) % 23))),
  island: Array.from({ length: N }, (_, i) => ['Biscoe', 'Dream', 'Torgersen'][i % 3]),
  species: Array.from({ length: N }, (_, i) => ['Adelie', 'Gentoo'][i % 2]),
});

describe('initialChoices', () => {
  it('preselects the target named like one, suggests the id as ignored and keeps the guessed types', () => {
    const choices = initialChoices(penguins, 'classification', '');
    expect(choices.roles).toEqual(['ignore', 'feature', 'feature', 'target']);
    expect(choices.types).toEqual(['number', 'number', 'category', 'category']);
    expect(choices.targetReason).toMatch(/"species" is named like a target/);
  });

  it("prefers the project's target when it fits the task", () => {
    expect(initialChoices(penguins, 'classification', 'island').roles).toEqual(['ignore', 'feature', 'target', 'feature']);
  });
});

describe('withRole', () => {
  it('keeps exactly one target: a new target turns the old one into a feature', () => {
    expect(withRole(['feature', 'target', 'ignore'], 0, 'target')).toEqual(['target', 'feature', 'ignore']);
    expect(withRole(['feature', 'target', 'ignore'], 2, 'feature')).toEqual(['feature', 'target', 'feature']);
  });
});

describe('resuggestedRoles', () => {
  it('takes the new suggestions except for the columns the user chose and the target', () => {
    const again = penguins.guesses.map((g) => ({ ...g, suggestion: { role: 'ignore' as const, reason: 'test' } }));
    expect(resuggestedRoles(['feature', 'feature', 'feature', 'target'], again, new Set([1]))).toEqual(['ignore', 'feature', 'ignore', 'target']);
  });
});

describe('importSplit', () => {
  it("uses the task's default method unless one is chosen", () => {
    expect(importSplit('classification', null, 42, '', []).method).toBe('stratified');
    expect(importSplit('regression', null, 42, '', []).method).toBe('random');
    expect(importSplit('classification', 'random', 7, '', [])).toEqual({ method: 'random', seed: 7, fractions: [0.7, 0.15, 0.15] });
  });

  it('orders a time split by the chosen date column while it is one, else by the first date column', () => {
    expect(importSplit('regression', 'time', 42, 'when', ['day', 'when']).timeColumn).toBe('when');
    expect(importSplit('regression', 'time', 42, 'gone', ['day', 'when']).timeColumn).toBe('day');
    expect(importSplit('regression', 'time', 42, 'gone', []).timeColumn).toBe('');
  });
});

describe('datasetChoices', () => {
  it('keys the per-column choices by name, even a column called "__proto__", and names the target', () => {
    const header = ['__proto__', 'y'];
    const choices = datasetChoices(header, { types: ['number', 'number'], roles: ['feature', 'target'] }, {
      name: 'v',
      task: 'regression',
      split: importSplit('regression', null, 42, '', []),
    });
    expect(choices.target).toBe('y');
    expect(Object.hasOwn(choices.roles, '__proto__')).toBe(true);
    expect(choices.roles.__proto__).toBe('feature');
    expect(dateColumns(['a', 'b', 'c'], ['date', 'number', 'date'])).toEqual(['a', 'c']);
  });

  it('names no target when no column is one', () => {
    expect(datasetChoices(['a'], { types: ['number'], roles: ['feature'] }, { name: 'v', task: 'regression', split: importSplit('regression', null, 1, '', []) }).target).toBe('');
  });
});
