// The recipe chain of a model imported from a bundle whose training data is not stored here. The bundle brought the
// recipes from the raw import to the model's version and the preprocessor, but no dataset version: so no local version
// descends from any link of the chain, and a version is evaluated by replaying every recipe on its rows (as for a
// separate import). Without recipes the model reads its features and target straight from the version.

import type { FittedRecipe } from '../recipe/types';
import type { ColumnSchema, Preprocessor } from '../shared/types';
import type { ModelChain } from './plan';

/** The columns a preprocessor reads: its features (or image column) and the target. */
export function preprocessorSchema(pre: Preprocessor): ColumnSchema[] {
  const features: ColumnSchema[] = pre.image
    ? [{ name: pre.image.column, type: 'image', role: 'feature' }]
    : pre.features.map((f) => ({ name: f.name, type: f.kind, role: 'feature' }));
  // A classification target may have been a number or a category column; planEvaluation is told to accept either.
  return [...features, { name: pre.target, type: pre.task === 'regression' ? 'number' : 'category', role: 'target' }];
}

export function bundledChain(pre: Preprocessor, recipes: readonly FittedRecipe[], datasetId: string): ModelChain {
  // Links that stand for versions stored only where the model trained: no local version has these ids.
  const links = recipes.map((_, i) => `${datasetId}:bundled-link-${i}`);
  return {
    versionIds: [...links, datasetId],
    recipes,
    schema: preprocessorSchema(pre),
    looseClassTarget: pre.task === 'classification' && recipes.length === 0,
  };
}
