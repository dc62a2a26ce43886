import { describe, expect, it } from 'vitest';
import { canonicalRecipeJson } from '../../src/core/recipe/canonical';
import { fitRecipe } from '../../src/core/recipe/fit';
import type { RecipeStep } from '../../src/core/recipe/types';
import { describeProblem, validateRecipe } from '../../src/core/recipe/check-recipe';
import type { ColumnSchema } from '../../src/core/shared/types';
import { SPLIT_TRAIN, SPLIT_VALIDATION } from '../../src/core/shared/types';
import { build } from '../fixtures/recipe-tables';

const schema: ColumnSchema[] = [
  { name: 'n', type: 'number', role: 'feature' },
  { name: 'c', type: 'category', role: 'feature' },
  { name: 'd', type: 'category', role: 'feature' },
  { name: 'y', type: 'category', role: 'target' },
];

function problems(steps: unknown[], s = schema) {
  const check = validateRecipe({ version: 1, steps }, s);
  return check.ok ? [] : check.problems.map((p) => `${p.step}|${p.field}|${p.column}|${p.message}`);
}

describe('validateRecipe', () => {
  it('accepts a good recipe', () => {
    const steps: RecipeStep[] = [
      { kind: 'cast', column: 'n', to: 'category' },
      { kind: 'onehot', column: 'n' },
      { kind: 'dateparts', column: 'd', parts: ['year', 'month'] },
      { kind: 'scale', column: 'd.year', method: 'minmax' },
      { kind: 'filter', condition: { kind: 'all', conditions: [{ kind: 'in', column: 'c', values: ['a'], negate: true }, { kind: 'compare', column: 'd.month', op: 'gt', value: 3 }] } },
    ];
    expect(validateRecipe({ version: 1, steps }, schema)).toEqual({ ok: true, recipe: { version: 1, steps } });
  });

  it('refuses shapes that are not a recipe, saying where', () => {
    expect(problems([])).toEqual([]);
    expect(validateRecipe(null, schema)).toMatchObject({ ok: false, problems: [{ step: -1, field: '' }] });
    expect(validateRecipe({ version: 2, steps: [], extra: 1 }, schema)).toMatchObject({
      ok: false,
      problems: [{ step: -1, field: 'extra' }, { step: -1, field: 'version' }],
    });
    expect(problems([42, { kind: 'explode' }])).toEqual(['0|||a step must be an object', expect.stringMatching(/^1\|kind\|\|unknown step kind/)]);
    expect(problems([{ kind: 'scale', column: 'n', method: 'log', factor: 2 }])).toEqual([
      '0|factor||unknown field "factor"',
      '0|method||"method" must be one of standard, minmax',
    ]);
    expect(problems([{ kind: 'clip', column: 'n', by: 'quantile', lower: 0.5, upper: 1.5 }])).toEqual(['0|upper||quantiles lie between 0 and 1']);
    expect(problems([{ kind: 'clip', column: 'n', by: 'value', lower: 5, upper: 1 }])).toEqual(['0|upper||the upper bound is below the lower bound']);
    expect(problems([{ kind: 'bucketize', column: 'n', boundaries: [1, 1] }])).toEqual(['0|boundaries||boundaries must increase strictly']);
    expect(problems([{ kind: 'bucketize', column: 'n', boundaries: [1, Infinity] }])).toEqual(['0|boundaries||give at least one finite boundary']);
    expect(problems([{ kind: 'impute', column: 'n', strategy: 'mean', constant: 1 }])).toEqual(['0|constant||a constant is only used by the constant strategy']);
    expect(problems([{ kind: 'dateparts', column: 'd', parts: ['year', 'year'] }])).toEqual(['0|parts||a part is named twice']);
    expect(problems([{ kind: 'filter', condition: { kind: 'any', conditions: [{ kind: 'compare', column: 'n', op: '=', value: 1 }] } }])).toEqual([
      '0|condition.conditions[0].op||"op" must be one of eq, ne, lt, le, gt, ge',
    ]);
  });

  it('accepts a cast that names its number format, and refuses a format that is none', () => {
    expect(problems([{ kind: 'cast', column: 'c', to: 'number', format: { decimal: ',', thousands: '.' } }])).toEqual([]);
    expect(problems([{ kind: 'cast', column: 'c', to: 'number', format: { decimal: ',', thousands: ',' } }])).toEqual([
      expect.stringMatching(/^0\|format\|\|a number format is/),
    ]);
    expect(problems([{ kind: 'cast', column: 'c', to: 'number', format: ',' }])).toHaveLength(1);
  });

  it('refuses hostile nesting without overflowing the stack', () => {
    let c: unknown = { kind: 'missing', column: 'n', negate: false };
    for (let i = 0; i < 10_000; i++) c = { kind: 'all', conditions: [c] };
    expect(problems([{ kind: 'filter', condition: c }])[0]).toMatch(/nest deeper/);
  });

  it('checks columns and types against what earlier steps leave', () => {
    expect(problems([{ kind: 'scale', column: 'missing', method: 'standard' }])).toEqual(['0|column|missing|there is no column "missing" at this step']);
    expect(problems([{ kind: 'drop', columns: ['n'] }, { kind: 'scale', column: 'n', method: 'standard' }])).toEqual([
      '1|column|n|there is no column "n" at this step',
    ]);
    expect(problems([{ kind: 'scale', column: 'c', method: 'standard' }])).toEqual(['0|column|c|"c" is a category column; scaling needs numbers']);
    expect(problems([{ kind: 'onehot', column: 'n' }])).toEqual(['0|column|n|"n" is a number column; onehot encodes categories (cast it to category first)']);
    expect(problems([{ kind: 'impute', column: 'c', strategy: 'median' }])).toEqual(['0|column|c|"c" is a category column; median needs a number column']);
    expect(problems([{ kind: 'impute', column: 'n', strategy: 'constant', constant: 'zero' }])).toEqual([
      '0|constant|n|"n" is a number column: the constant must be a number',
    ]);
    expect(problems([{ kind: 'impute', column: 'c', strategy: 'constant', constant: 'NA' }])).toEqual([
      '0|constant|c|the constant must not be a spelling of a missing value or start or end with spaces',
    ]);
    expect(problems([{ kind: 'cast', column: 'n', to: 'number' }])).toEqual(['0|to|n|"n" is already a number column']);
    expect(problems([{ kind: 'filter', condition: { kind: 'compare', column: 'n', op: 'eq', value: '3' } }])).toEqual([
      '0|condition.value|n|"n" is a number column: compare it with a number',
    ]);
    expect(problems([{ kind: 'filter', condition: { kind: 'in', column: 'n', values: ['3'], negate: false } }])).toEqual([
      '0|condition.column|n|"n" is a number column: use comparisons instead of a list of values',
    ]);
  });

  it('refuses renames onto existing names and changes to the target', () => {
    expect(problems([{ kind: 'rename', from: 'n', to: 'c' }])).toEqual(['0|to|c|a column named "c" already exists']);
    expect(problems([{ kind: 'rename', from: 'n', to: 'n' }])).toEqual(['0|to|n|the new name is the same as the old']);
    expect(problems([{ kind: 'drop', columns: ['c', 'y'] }])).toEqual(['0|columns[1]|y|"y" is the target: the model needs it']);
    expect(problems([{ kind: 'onehot', column: 'y' }])).toEqual(['0|column|y|"y" is the target: a onehot step would change what the model predicts']);
    expect(problems([{ kind: 'rename', from: 'y', to: 'label' }, { kind: 'filter', condition: { kind: 'missing', column: 'label', negate: true } }])).toEqual([]);
    expect(problems([{ kind: 'dateparts', column: 'd', parts: ['year'] }, { kind: 'dateparts', column: 'c', parts: ['year'] }, { kind: 'rename', from: 'c.year', to: 'd.year' }])).toEqual([
      '2|to|d.year|a column named "d.year" already exists',
    ]);
    expect(problems([{ kind: 'drop', columns: ['n', 'c', 'd'] }])).toEqual(['-1|||the recipe leaves no feature column for a model to learn from']);
  });

  it('reads as sentences', () => {
    expect(describeProblem({ step: 2, field: 'column', column: 'x', message: 'there is no column "x" at this step' })).toBe(
      'Step 3 (column): there is no column "x" at this step',
    );
    expect(describeProblem({ step: -1, field: '', column: '', message: 'bad' })).toBe('Recipe: bad');
  });
});

describe('fitRecipe problems', () => {
  const d = build([
    { name: 'n', values: [1, 2, null, 4] },
    { name: 'c', values: ['a', 'b', 'a', 'c'] },
    { name: 'e', values: [null, null, null, 9] },
  ]);
  const a = Uint8Array.of(SPLIT_TRAIN, SPLIT_TRAIN, SPLIT_TRAIN, SPLIT_VALIDATION);
  const fitProblems = (steps: RecipeStep[]) => {
    const o = fitRecipe({ version: 1, steps }, d.schema, d.table, a);
    return o.ok ? [] : o.problems.map((p) => `${p.step}|${p.field}|${p.column}|${p.message}`);
  };

  it('checks one-hot columns once they exist', () => {
    expect(fitProblems([{ kind: 'onehot', column: 'c' }, { kind: 'scale', column: 'c=b', method: 'minmax' }])).toEqual([]);
    // 'c=c' passes validation (it might be made), but only a validation row holds 'c'.
    expect(fitProblems([{ kind: 'onehot', column: 'c' }, { kind: 'scale', column: 'c=c', method: 'minmax' }])).toEqual([
      '1|column|c=c|there is no column "c=c" at this step',
    ]);
  });

  it('says when there is nothing to learn from', () => {
    expect(fitProblems([{ kind: 'impute', column: 'e', strategy: 'mean' }])).toEqual(['0|column|e|"e" has no values in the training rows to learn from']);
    expect(fitProblems([{ kind: 'filter', condition: { kind: 'compare', column: 'n', op: 'gt', value: 100 } }, { kind: 'scale', column: 'n', method: 'standard' }])).toEqual([
      '1|column|n|no training rows are left at this step to learn from',
    ]);
  });

  it('refuses one-hot columns that would overwrite a column', () => {
    const clash = build([
      { name: 'c', values: ['a', 'b'] },
      { name: 'c=a', values: [1, 2] },
    ]);
    const o = fitRecipe({ version: 1, steps: [{ kind: 'onehot', column: 'c' }] }, clash.schema, clash.table, Uint8Array.of(SPLIT_TRAIN, SPLIT_TRAIN));
    expect(o).toMatchObject({ ok: false, problems: [{ step: 0, column: 'c=a', message: 'one-hot would make a column "c=a", but one already exists' }] });
  });
});

describe('canonicalRecipeJson', () => {
  it('does not depend on the order fields were written in', () => {
    const a = canonicalRecipeJson({ version: 1, steps: [{ kind: 'clip', column: 'n', by: 'value', lower: 0, upper: 1 }] });
    const b = canonicalRecipeJson({ steps: [{ upper: 1, lower: 0, by: 'value', column: 'n', kind: 'clip' }], version: 1 });
    expect(a).toBe(b);
    expect(a).toBe('{"steps":[{"by":"value","column":"n","kind":"clip","lower":0,"upper":1}],"version":1}');
    const c = canonicalRecipeJson({ version: 1, steps: [{ kind: 'clip', column: 'n', by: 'value', lower: 0, upper: 2 }] });
    expect(c).not.toBe(a);
  });

  it('keeps a column named __proto__ as data', () => {
    const json = canonicalRecipeJson({ version: 1, steps: [{ kind: 'filter', condition: { kind: 'in', column: '__proto__', values: ['x'], negate: false } }] });
    expect(JSON.parse(json).steps[0].condition.column).toBe('__proto__');
  });
});

describe('fitRecipe on a table its schema does not describe', () => {
  it('reports the mismatch instead of throwing', () => {
    const d = build([{ name: 'n', values: [1, 2] }]);
    const wrong: ColumnSchema[] = [{ name: 'n', type: 'category', role: 'feature' }];
    expect(fitRecipe({ version: 1, steps: [] }, wrong, d.table, Uint8Array.of(SPLIT_TRAIN, SPLIT_TRAIN))).toMatchObject({
      ok: false,
      problems: [{ step: -1, message: 'column "n" holds number data but the schema says category' }],
    });
    expect(fitRecipe({ version: 1, steps: [] }, d.schema, d.table, Uint8Array.of(SPLIT_TRAIN))).toMatchObject({ ok: false, problems: [{ step: -1 }] });
  });
});
