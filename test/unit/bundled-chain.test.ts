import { describe, expect, it } from 'vitest';
import { bundledChain, preprocessorSchema } from '../../src/core/evaluate/bundled-chain';
import { planEvaluation } from '../../src/core/evaluate/plan';
import type { FittedRecipe } from '../../src/core/recipe/types';
import type { ColumnSchema, Preprocessor } from '../../src/core/shared/types';

const classifier: Preprocessor = {
  version: 1,
  task: 'classification',
  target: 'species',
  features: [
    { kind: 'category', name: 'island', categories: ['Biscoe', 'Dream'] },
    { kind: 'number', name: 'mass', mean: 4200, std: 800 },
    { kind: 'date', name: 'seen', mean: 14000, std: 300 },
  ],
  labels: ['Adelie', 'Gentoo'],
  targetMean: 0,
  targetStd: 1,
  inputSize: 4,
};
const local: ColumnSchema[] = [
  { name: 'island', type: 'category', role: 'feature' },
  { name: 'mass', type: 'number', role: 'feature' },
  { name: 'seen', type: 'date', role: 'feature' },
  { name: 'comment', type: 'category', role: 'ignore' },
  { name: 'species', type: 'category', role: 'target' },
];
const withTarget = (type: ColumnSchema['type']): ColumnSchema[] => local.map((c) => (c.role === 'target' ? { ...c, type } : c));

describe('bundledChain: a model imported without its data', () => {
  it('reads its features with their kinds and the target', () => {
    expect(preprocessorSchema(classifier)).toEqual([
      { name: 'island', type: 'category', role: 'feature' },
      { name: 'mass', type: 'number', role: 'feature' },
      { name: 'seen', type: 'date', role: 'feature' },
      { name: 'species', type: 'category', role: 'target' },
    ]);
    const image: Preprocessor = { ...classifier, features: [], image: { column: 'picture', width: 8, height: 8, channels: 1 } };
    expect(preprocessorSchema(image)[0]).toEqual({ name: 'picture', type: 'image', role: 'feature' });
    expect(preprocessorSchema({ ...classifier, task: 'regression', target: 'mass', labels: [] }).at(-1)).toEqual({ name: 'mass', type: 'number', role: 'target' });
  });

  it('without recipes evaluates any version with its columns directly, even one that descends from nothing it knows', () => {
    const chain = bundledChain(classifier, [], 'elsewhere');
    expect(planEvaluation(chain, { id: 'mine', schema: local, lineage: ['mine'] })).toEqual({ ok: true, mode: 'direct', recipes: [] });
  });

  it('takes a number or a category target for a classifier (labels are read as text), but not a date', () => {
    const chain = bundledChain(classifier, [], 'elsewhere');
    expect(planEvaluation(chain, { id: 'mine', schema: withTarget('number'), lineage: ['mine'] }).ok).toBe(true);
    const dated = planEvaluation(chain, { id: 'mine', schema: withTarget('date'), lineage: ['mine'] });
    expect(dated.ok === false && dated.message).toBe('This version does not have the columns the model reads: "species" is date, the model reads category.');
    // A chain of this browser's own keeps its exact types.
    const strict = { ...chain, looseClassTarget: false };
    expect(planEvaluation(strict, { id: 'mine', schema: withTarget('number'), lineage: ['mine'] }).ok).toBe(false);
  });

  it('names the columns a version lacks', () => {
    const plan = planEvaluation(bundledChain(classifier, [], 'elsewhere'), { id: 'mine', schema: local.filter((c) => c.name !== 'mass'), lineage: ['mine'] });
    expect(plan.ok === false && plan.missing).toEqual(['mass']);
  });

  it('with recipes replays all of them on any local version, which needs what the first recipe reads', () => {
    const raw: ColumnSchema[] = [...local.filter((c) => c.name !== 'seen'), { name: 'weight_lb', type: 'number', role: 'feature' }];
    const recipe: FittedRecipe = { version: 1, input: raw, output: local, steps: [{ kind: 'drop', columns: ['weight_lb'] }] };
    const chain = bundledChain(classifier, [recipe], 'elsewhere');
    expect(chain.versionIds).toHaveLength(2);
    expect(chain.versionIds.at(-1)).toBe('elsewhere');
    expect(planEvaluation(chain, { id: 'mine', schema: raw, lineage: ['mine'] })).toEqual({ ok: true, mode: 'chain', recipes: [recipe] });
    // The recipe knows the target's real type: that one is held to it.
    const numeric = raw.map((c) => (c.role === 'target' ? { ...c, type: 'number' as const } : c));
    expect(planEvaluation(chain, { id: 'mine', schema: numeric, lineage: ['mine'] }).ok).toBe(false);
  });
});
