// A cast from category to number reads text, so it must read it as the import read its file: "54,3" is 54.3 in a
// version imported with decimal ','. The format is written into the step when a recipe is fitted on a version, so
// the fitted recipe carries it to serving (serving/recipe.js) and the bundle.

import type { ReadFormat } from '../types';
import type { RecipeStep } from './types';

/**
 * `steps` with the version's number format on every cast to number that names none. A version stored before formats
 * were recorded, or read with '.' decimals and no thousands separator, leaves the steps as they are (and their JSON
 * and ids unchanged).
 */
export function withCastFormat(steps: RecipeStep[], format: ReadFormat | undefined): RecipeStep[] {
  const number = format?.number;
  if (number === undefined || (number.decimal === '.' && number.thousands === '')) return steps;
  return steps.map((step) =>
    step.kind === 'cast' && step.to === 'number' && step.format === undefined
      ? { ...step, format: { decimal: number.decimal, thousands: number.thousands } }
      : step,
  );
}
