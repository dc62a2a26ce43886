// The parse worker's guesses carry the suggested roles, the first time and every time the columns are guessed again
// in another number format; a decimal-comma measurement is never taken for an identifier, whichever format reads it.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/shared/rng';
import type { ReadFormat } from '../../src/core/shared/types';
import { createParser } from '../../workers/parse/parser';
import { parsed } from '../fixtures/support';

const DOT: ReadFormat = { number: { decimal: '.', thousands: '' }, dayFirst: false };
const COMMA: ReadFormat = { number: { decimal: ',', thousands: '.' }, dayFirst: true };

function europeanCsv(rows: number): string {
  const rand = mulberry32(3);
  const lines = ['id;mass_kg;site;grade'];
  for (let i = 0; i < rows; i++) {
    const mass = (40 + rand() * 80).toFixed(2).replace('.', ',');
    lines.push(`${100_000 + i};${mass};${['Köln', 'Genève', 'Zürich'][i % 3]};${'ABC'[Math.floor(rand() * 3)]}`);
  }
  return lines.join('\r\n');
}

describe('suggested roles from the parse worker', () => {
  it('come with the first guesses and follow a change of number format', async () => {
    const parser = createParser();
    const file = await parsed(parser.parseFile(new Blob([europeanCsv(300)]), 'werte.csv', () => {}));
    const id = file.guesses.find((g) => g.name === 'id');
    expect(id?.suggestion).toEqual({
      role: 'ignore',
      reason: 'Named like an identifier and unique per row: a model would memorise it rather than learn from it, so it is ignored.',
    });
    expect(file.guesses.find((g) => g.name === 'grade')?.suggestion).toBeUndefined();

    expect(file.guesses.find((g) => g.name === 'mass_kg')).toMatchObject({ type: 'number' });
    expect(file.guesses.find((g) => g.name === 'mass_kg')?.suggestion).toBeUndefined();

    // Read with '.' decimals the masses do not parse, but nothing about them is taken for an identifier.
    const dot = await parser.guess(file.handle, DOT);
    expect(dot.find((g) => g.name === 'id')?.suggestion?.role).toBe('ignore');
    expect(dot.find((g) => g.name === 'mass_kg')?.suggestion).toBeUndefined();

    const comma = await parser.guess(file.handle, COMMA);
    const mass = comma.find((g) => g.name === 'mass_kg');
    expect(mass?.type).toBe('number');
    expect(mass?.suggestion).toBeUndefined();
    expect(comma.find((g) => g.name === 'id')?.suggestion?.role).toBe('ignore');
  });
});
