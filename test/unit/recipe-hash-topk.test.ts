// The two recipe answers to a category with too many values: hash it into a fixed number of buckets, or keep its top
// k training values and call the rest "other". Both must transform a table and a served row the same way.
import { describe, expect, it } from 'vitest';
import { applyRecipeToTable } from '../../src/core/recipe/apply-table';
import { fitRecipe } from '../../src/core/recipe/fit';
import { tableRow } from '../../src/core/recipe/rows';
import type { FittedRecipe, RecipeStep } from '../../src/core/recipe/types';
import { validateRecipe } from '../../src/core/recipe/check-recipe';
import { mulberry32 } from '../../src/core/shared/rng';
import { applyRecipeToRow, fnv1a, hashBucket } from '../../src/core/serving/recipe.js';
import { SPLIT_NONE, SPLIT_TEST, SPLIT_TRAIN, SPLIT_VALIDATION } from '../../src/core/shared/types';
import { newStep } from '../../src/state/data/recipe-edit';
import { build, valuesOf } from '../fixtures/recipe-tables';

const T = SPLIT_TRAIN;
const V = SPLIT_VALIDATION;
const X = SPLIT_TEST;

/** The reference: FNV-1a over the bytes TextEncoder writes. */
function referenceFnv(text: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(text)) h = Math.imul(h ^ b, 0x01000193);
  return h >>> 0;
}

function fit(steps: RecipeStep[], data: ReturnType<typeof build>, assignment: Uint8Array) {
  const outcome = fitRecipe({ version: 1, steps }, data.schema, data.table, assignment);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return outcome;
}

/** Every row the table path made equals what serving makes of the same raw row, also when shipped as JSON. */
function expectRowParity(outcome: ReturnType<typeof fit>, data: ReturnType<typeof build>) {
  const shipped = JSON.parse(JSON.stringify(outcome.fitted)) as FittedRecipe;
  expect(applyRecipeToTable(shipped, data.schema, data.table, Uint8Array.from({ length: data.table.rowCount })).table).toEqual(outcome.result.table);
  for (let r = 0; r < outcome.result.table.rowCount; r++) {
    expect(applyRecipeToRow(shipped, tableRow(data.table, r))).toEqual(tableRow(outcome.result.table, r));
  }
}

describe('fnv1a', () => {
  it('gives the published FNV-1a 32-bit values', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes, lone surrogates as U+FFFD, like TextEncoder', () => {
    const rand = mulberry32(99);
    const alphabet = ['a', 'Z', '0', ' ', 'é', 'ß', 'Ω', '中', '😀', '\u{10ffff}', '\ud800', '\udc00', '\u0000', '\u07ff', '\u0800', '\uffff'];
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: Math.floor(rand() * 12) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
      expect(fnv1a(text), JSON.stringify(text)).toBe(referenceFnv(text));
    }
  });
});

describe('hash step', () => {
  const data = build([
    { name: 'city', values: ['Zürich', 'Genève', null, 'Köln', 'Zürich', 'Tromsø', 'Málaga'] },
    { name: 'y', role: 'target', values: ['a', 'b', 'a', 'b', 'a', 'b', 'a'] },
  ]);
  const assignment = Uint8Array.of(T, T, T, T, V, X, SPLIT_NONE);

  it('puts every value in "bucket i" by FNV-1a mod buckets; missing stays missing; learns nothing', () => {
    const outcome = fit([{ kind: 'hash', column: 'city', buckets: 4 }], data, assignment);
    expect(outcome.fitted.steps[0]).toEqual({ kind: 'hash', column: 'city', buckets: 4 });
    expect(outcome.result.schema.find((c) => c.name === 'city')?.type).toBe('category');
    const expected = ['Zürich', 'Genève', null, 'Köln', 'Zürich', 'Tromsø', 'Málaga'].map((v) => (v === null ? null : `bucket ${referenceFnv(v) % 4}`));
    expect(valuesOf(outcome.result.table, 'city')).toEqual(expected);
    expectRowParity(outcome, data);
  });

  it('gives an unseen value at serving its bucket too', () => {
    const outcome = fit([{ kind: 'hash', column: 'city', buckets: 16 }], data, assignment);
    const row = applyRecipeToRow(outcome.fitted, { city: ' Lyon ', y: 'a' });
    expect(row.city).toBe(`bucket ${hashBucket('Lyon', 16)}`);
    expect(applyRecipeToRow(outcome.fitted, { city: 'NA' }).city).toBeNull();
  });
});

describe('topk step', () => {
  // Training rows: a x3, b x2, c x2, d x1 (b and c tie). Test rows hold many "z": never learned from.
  const values = ['a', 'b', 'c', 'a', 'd', 'c', 'b', 'a', null, 'z', 'z', 'z', 'z', 'z'];
  const assignment = Uint8Array.of(T, T, T, T, T, T, T, T, T, X, X, X, V, V);
  const data = build([
    { name: 'shop', values },
    { name: 'y', role: 'target', values: values.map((_, i) => (i % 2 ? 'p' : 'q')) },
  ]);

  it('keeps the k most frequent training values, ties by value, and the rest become "other"', () => {
    const outcome = fit([{ kind: 'topk', column: 'shop', k: 2 }], data, assignment);
    expect(outcome.fitted.steps[0]).toEqual({ kind: 'topk', column: 'shop', k: 2, categories: ['a', 'b'] });
    expect(valuesOf(outcome.result.table, 'shop')).toEqual(['a', 'b', 'other', 'a', 'other', 'other', 'b', 'a', null, 'other', 'other', 'other', 'other', 'other']);
    expectRowParity(outcome, data);
  });

  it('fits on the training rows only', () => {
    const outcome = fit([{ kind: 'topk', column: 'shop', k: 1 }], data, assignment);
    // "z" is the most frequent value of the whole column but appears in no training row.
    expect(outcome.fitted.steps[0]).toMatchObject({ categories: ['a'] });
  });

  it('turns values unseen in training into "other" at serving, and keeps missing missing', () => {
    const outcome = fit([{ kind: 'topk', column: 'shop', k: 3 }], data, assignment);
    expect(outcome.fitted.steps[0]).toMatchObject({ categories: ['a', 'b', 'c'] });
    expect(applyRecipeToRow(outcome.fitted, { shop: 'never seen' }).shop).toBe('other');
    expect(applyRecipeToRow(outcome.fitted, { shop: ' c ' }).shop).toBe('c');
    expect(applyRecipeToRow(outcome.fitted, { shop: '' }).shop).toBeNull();
    expect(applyRecipeToRow(outcome.fitted, {}).shop).toBeNull();
  });

  it('keeps every value when k is at least their number, and feeds one-hot a short list', () => {
    const outcome = fit([{ kind: 'topk', column: 'shop', k: 10 }, { kind: 'onehot', column: 'shop' }], data, assignment);
    expect(outcome.fitted.steps[0]).toMatchObject({ categories: ['a', 'b', 'c', 'd'] });
    // Only training values reach one-hot: "other" is not among them when k covers everything.
    expect(outcome.fitted.steps[1]).toMatchObject({ categories: ['a', 'b', 'c', 'd'] });
    expectRowParity(outcome, data);
  });
});

describe('validation of hash and topk', () => {
  const schema = build([
    { name: 'n', values: [1, 2] },
    { name: 'c', values: ['a', 'b'] },
    { name: 'y', role: 'target', values: ['p', 'q'] },
  ]).schema;
  const problems = (steps: unknown[]) => {
    const check = validateRecipe({ version: 1, steps }, schema);
    return check.ok ? [] : check.problems.map((p) => `${p.field}|${p.message}`);
  };

  it('accepts whole numbers in range on a category column', () => {
    expect(problems([{ kind: 'hash', column: 'c', buckets: 2 }, { kind: 'topk', column: 'c', k: 1 }])).toEqual([]);
  });

  it('refuses bad counts, number columns, the target and unknown fields, saying which field', () => {
    expect(problems([{ kind: 'hash', column: 'c', buckets: 1 }])).toEqual(['buckets|the number of buckets must be a whole number from 2 to 1000']);
    expect(problems([{ kind: 'hash', column: 'c', buckets: 2.5 }])).toHaveLength(1);
    expect(problems([{ kind: 'hash', column: 'c', buckets: 1001 }])).toHaveLength(1);
    expect(problems([{ kind: 'topk', column: 'c', k: 0 }])).toEqual(['k|k (the values kept) must be a whole number from 1 to 1000']);
    expect(problems([{ kind: 'topk', column: 'c', k: null }])).toHaveLength(1);
    expect(problems([{ kind: 'hash', column: 'n', buckets: 8 }])).toEqual(['column|"n" is a number column; hashing groups categories (cast it to category first)']);
    expect(problems([{ kind: 'topk', column: 'y', k: 3 }])).toEqual(['column|"y" is the target: a topk step would change what the model predicts']);
    expect(problems([{ kind: 'topk', column: 'c', k: 3, other: 'x' }])).toEqual(['other|unknown field "other"']);
  });

  it('the recipe editor makes valid new steps of both kinds', () => {
    for (const kind of ['hash', 'topk'] as const) {
      const step = newStep(kind, schema);
      expect(step).toMatchObject({ kind, column: 'c' });
      expect(problems([step])).toEqual([]);
    }
  });
});
