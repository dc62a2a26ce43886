import { describe, expect, it } from 'vitest';
import { validateRecipe, type DropStep, type FittedRecipe, type RecipeStep, type RenameStep } from '../../src/core/recipe';
import type { ColumnSchema } from '../../src/core/shared/types';
import { columnsAtSteps, moveItem, newStep, parseNumberList, problemsByStep, STEP_KINDS } from '../../src/state/data/recipe-edit';

const schema: ColumnSchema[] = [
  { name: 'mass', type: 'number', role: 'feature' },
  { name: 'island', type: 'category', role: 'feature' },
  { name: 'when', type: 'category', role: 'feature' },
  { name: 'species', type: 'category', role: 'target' },
];

describe('newStep', () => {
  it('makes a valid step of every kind on the columns it receives', () => {
    for (const { kind } of STEP_KINDS) {
      const step = newStep(kind, schema);
      expect(step.kind).toBe(kind);
      expect(validateRecipe({ version: 1, steps: [step] }, schema)).toMatchObject({ ok: true });
    }
  });

  it('picks a column of the type the step needs, never the target', () => {
    expect(newStep('scale', schema)).toMatchObject({ column: 'mass' });
    expect(newStep('onehot', schema)).toMatchObject({ column: 'island' });
    expect(newStep('impute', schema)).toMatchObject({ column: 'mass', strategy: 'median' });
    expect(newStep('drop', schema)).toEqual({ kind: 'drop', columns: ['mass'] });
  });
});

describe('columnsAtSteps', () => {
  const rename: RenameStep = { kind: 'rename', from: 'mass', to: 'grams' };
  const drop: DropStep = { kind: 'drop', columns: ['when'] };
  const steps: RecipeStep[] = [rename, { kind: 'onehot', column: 'island' }, drop];

  it('lists the columns each step receives, then the output', () => {
    const at = columnsAtSteps(steps, schema, null);
    expect(at).toHaveLength(4);
    expect(at[0].map((c) => c.name)).toEqual(['mass', 'island', 'when', 'species']);
    expect(at[1].map((c) => c.name)).toEqual(['grams', 'island', 'when', 'species']);
    // Before fitting, the one-hot columns are unknown: the source just goes.
    expect(at[2].map((c) => c.name)).toEqual(['grams', 'when', 'species']);
    expect(at[3].map((c) => c.name)).toEqual(['grams', 'species']);
  });

  it('shows the one-hot columns in place once the recipe is fitted', () => {
    const fitted: FittedRecipe = {
      version: 1,
      input: schema,
      output: [],
      steps: [rename, { kind: 'onehot', column: 'island', categories: ['Biscoe', 'Dream'] }, drop],
    };
    const at = columnsAtSteps(steps, schema, fitted);
    expect(at[2].map((c) => c.name)).toEqual(['grams', 'island=Biscoe', 'island=Dream', 'when', 'species']);
    expect(at[2][1]).toEqual({ name: 'island=Biscoe', type: 'number', role: 'feature' });
  });

  it('ignores a fitted one-hot that belongs to another column (the steps changed since the preview)', () => {
    const fitted: FittedRecipe = { version: 1, input: schema, output: [], steps: [rename, { kind: 'onehot', column: 'when', categories: ['x'] }] };
    expect(columnsAtSteps(steps, schema, fitted)[2].map((c) => c.name)).toEqual(['grams', 'when', 'species']);
  });
});

describe('moveItem, parseNumberList, problemsByStep', () => {
  it('moves within bounds only', () => {
    expect(moveItem(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });

  it('reads a comma separated list of numbers, or refuses it', () => {
    expect(parseNumberList(' 1, 2.5 ,10 ')).toEqual([1, 2.5, 10]);
    expect(parseNumberList('1, x')).toBeNull();
    expect(parseNumberList('1, Infinity')).toBeNull();
  });

  it('groups problems by step', () => {
    const p = (step: number) => ({ step, field: '', column: '', message: `m${step}` });
    const grouped = problemsByStep([p(1), p(-1), p(1)]);
    expect(grouped.get(1)).toHaveLength(2);
    expect(grouped.get(-1)).toHaveLength(1);
    expect(grouped.get(0)).toBeUndefined();
  });
});
