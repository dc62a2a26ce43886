// A cast from category to number or date reads text, so it must read it as the import read its file: "54,3" is 54.3
// in a version imported with decimal ',', and "03/04/2021" is 3 April in one imported day first. The format is
// written into the step when a recipe is fitted on a version, so the fitted recipe carries it to serving
// (serving/recipe.js) and the bundle.

import type { ReadFormat } from '../shared/types';
import type { RecipeStep } from './types';

/**
 * `steps` with the version's reading rules on every cast that reads text and names none: the number format on casts to
 * number, the day order on casts to date. What the defaults already say ('.' decimals without a thousands separator,
 * month first) is not written, so such recipes keep their JSON and ids; a version stored before formats were
 * recorded leaves the steps as they are.
 */
export function withCastFormat(steps: RecipeStep[], format: ReadFormat | undefined): RecipeStep[] {
  if (format === undefined) return steps;
  const { number, dayFirst } = format;
  const plainNumbers = number.decimal === '.' && number.thousands === '';
  return steps.map((step) => {
    if (step.kind !== 'cast') return step;
    if (step.to === 'number' && !plainNumbers && step.format === undefined) {
      return { ...step, format: { decimal: number.decimal, thousands: number.thousands } };
    }
    if (step.to === 'date' && dayFirst && step.dayFirst === undefined) return { ...step, dayFirst: true };
    return step;
  });
}
