import { describe, expect, it } from 'vitest';
import { lineageOf, planEvaluation, type ModelChain } from '../../src/core/evaluate/plan';
import type { FittedRecipe } from '../../src/core/recipe/types';
import type { ColumnSchema } from '../../src/core/shared/types';

const raw: ColumnSchema[] = [
  { name: 'island', type: 'category', role: 'feature' },
  { name: 'mass', type: 'number', role: 'feature' },
  { name: 'note', type: 'category', role: 'ignore' },
  { name: 'species', type: 'category', role: 'target' },
];
const scaled: ColumnSchema[] = [
  { name: 'island', type: 'category', role: 'feature' },
  { name: 'mass', type: 'number', role: 'feature' },
  { name: 'species', type: 'category', role: 'target' },
];
const encoded: ColumnSchema[] = [
  { name: 'island=A', type: 'number', role: 'feature' },
  { name: 'mass', type: 'number', role: 'feature' },
  { name: 'species', type: 'category', role: 'target' },
];
const r1: FittedRecipe = { version: 1, input: raw, output: scaled, steps: [{ kind: 'drop', columns: ['note'] }] };
const r2: FittedRecipe = { version: 1, input: scaled, output: encoded, steps: [{ kind: 'onehot', column: 'island', categories: ['A'] }] };
// root -> mid (r1) -> model (r2)
const chain: ModelChain = { versionIds: ['root', 'mid', 'model'], recipes: [r1, r2], schema: encoded };

describe('planEvaluation', () => {
  it('applies nothing on the model version itself', () => {
    expect(planEvaluation(chain, { id: 'model', schema: encoded, lineage: ['root', 'mid', 'model'] })).toEqual({ ok: true, mode: 'own', recipes: [] });
  });

  it('replays the later recipes on an ancestor or on a version derived from one', () => {
    expect(planEvaluation(chain, { id: 'root', schema: raw, lineage: ['root'] })).toEqual({ ok: true, mode: 'chain', recipes: [r1, r2] });
    expect(planEvaluation(chain, { id: 'mid', schema: scaled, lineage: ['root', 'mid'] })).toEqual({ ok: true, mode: 'chain', recipes: [r2] });
    // Another recipe applied to mid (a filter, say): its rows are in mid's shape.
    expect(planEvaluation(chain, { id: 'other', schema: scaled, lineage: ['root', 'mid', 'other'] })).toEqual({ ok: true, mode: 'chain', recipes: [r2] });
  });

  it('uses a version derived from the model version as it is', () => {
    expect(planEvaluation(chain, { id: 'later', schema: encoded, lineage: ['root', 'mid', 'model', 'later'] })).toEqual({ ok: true, mode: 'direct', recipes: [] });
  });

  it('replays the whole chain on a separate import with the raw columns (ignored ones not required)', () => {
    const newImport = raw.filter((c) => c.name !== 'note');
    expect(planEvaluation(chain, { id: 'new', schema: newImport, lineage: ['new'] })).toEqual({ ok: true, mode: 'chain', recipes: [r1, r2] });
  });

  it('explains which columns are missing or of another type', () => {
    const wrong: ColumnSchema[] = [
      { name: 'island', type: 'number', role: 'feature' },
      { name: 'species', type: 'category', role: 'target' },
    ];
    const plan = planEvaluation(chain, { id: 'new', schema: wrong, lineage: ['new'] });
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.missing).toEqual(['mass']);
    expect(plan.wrongType).toEqual([{ name: 'island', expected: 'category', actual: 'number' }]);
    expect(plan.message).toBe(
      'This version does not have the columns the model\'s first recipe reads: missing "mass"; "island" is number, the model reads category.',
    );
  });

  it('without recipes needs the model version columns and the target', () => {
    const flat: ModelChain = { versionIds: ['v1'], recipes: [], schema: scaled };
    expect(planEvaluation(flat, { id: 'v2', schema: scaled, lineage: ['v2'] })).toEqual({ ok: true, mode: 'direct', recipes: [] });
    const plan = planEvaluation(flat, { id: 'v3', schema: scaled.slice(0, 2), lineage: ['v3'] });
    expect(plan.ok === false && plan.missing).toEqual(['species']);
  });
});

describe('lineageOf', () => {
  it('walks parents[0] to the import, oldest first, and stops at an unknown parent or a cycle', () => {
    const versions = [
      { id: 'root', parents: [] },
      { id: 'mid', parents: ['root'] },
      { id: 'leaf', parents: ['mid', 'other'] },
      { id: 'orphan', parents: ['gone'] },
      { id: 'a', parents: ['b'] },
      { id: 'b', parents: ['a'] },
    ];
    expect(lineageOf(versions, 'leaf')).toEqual(['root', 'mid', 'leaf']);
    expect(lineageOf(versions, 'orphan')).toEqual(['orphan']);
    expect(lineageOf(versions, 'a')).toEqual(['b', 'a']);
    expect(lineageOf(versions, 'missing')).toEqual([]);
  });
});
