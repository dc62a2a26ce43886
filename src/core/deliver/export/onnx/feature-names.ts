// The names of the model's input columns in input order, as the preprocessor encodes a row
// (src/core/train/preprocess.ts encodeRows / serving/transform.js encodeRow): a number or date is one column, a
// category is one 0/1 column per training category, in the recipe's category order, named as the one-hot recipe
// names its columns (`Island=Dream`).

import type { Preprocessor } from '../../../shared/types';
import { onehotName } from '../../../serving/recipe.js';

export function featureNames(pre: Preprocessor): string[] {
  const names = pre.features.flatMap((f) => (f.kind === 'category' ? f.categories.map((c) => onehotName(f.name, c)) : [f.name]));
  if (names.length !== pre.inputSize) throw new Error(`the preprocessing recipe encodes ${names.length} columns but says its input size is ${pre.inputSize}`);
  return names;
}
