// Honest default roles: which columns a model should not learn from (identifiers, constants), which need a word
// before they are one-hot encoded (high-cardinality categories), and which column is a plausible target for the
// project's task. Pure: the parse worker runs it on every guess, the page only shows the reasons.

import type { ColumnRole, Task } from '../shared/types';
import type { ColumnGuess } from '../contracts/parse';
import { plural } from '../shared/plural';

/** Share of present values that must be distinct for a column to count as unique per row. */
export const NEAR_UNIQUE = 0.95;
/** A column with no identifier-like name needs this many present values before uniqueness says anything. */
export const MIN_ROWS_FOR_UNIQUE = 20;
/** More distinct values than this make a category high-cardinality... */
export const MANY_CATEGORIES = 50;
/** ...as does this share of present rows being distinct (with more than MIN_SHARE_CATEGORIES values). */
export const MANY_CATEGORIES_SHARE = 0.2;
const MIN_SHARE_CATEGORIES = 10;
/** Classes a classification target may have. */
export const MIN_CLASSES = 2;
export const MAX_CLASSES = 50;

/** Names people give keys: whole names, and the last word of a longer name ("passenger_id", "orderId", "row key"). */
const ID_NAMES = new Set(['id', 'uuid', 'guid', 'key', 'index', 'idx', 'row', 'rowid', 'rownum', 'rownumber', 'pk', 'serial', '#']);
const ID_LAST_WORDS = new Set(['id', 'uuid', 'guid', 'key', 'idx', 'pk']);
/** Names people give the column to predict; "y" only as the whole name. */
const TARGET_WORDS = new Set(['target', 'label', 'class', 'species', 'outcome']);

/**
 * The words of a column name: split at anything not a letter or digit and between a lower-case letter and an
 * upper-case one ("PassengerId" -> passenger, id), lower-cased.
 */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^\p{L}\p{N}#]+/u)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

/** `id`, `ID`, `uuid`, `customer_id`, `orderId`, `row`, `index`, pandas' `Unnamed: 0`... */
export function idLikeName(name: string): boolean {
  const trimmed = name.trim().toLowerCase();
  if (ID_NAMES.has(trimmed) || /^unnamed:?\s*\d+$/.test(trimmed)) return true;
  const words = nameWords(name);
  if (words.length === 0) return false;
  if (ID_NAMES.has(words.join(''))) return true;
  return words.length > 1 && ID_LAST_WORDS.has(words[words.length - 1]);
}

export function targetLikeName(name: string): boolean {
  const words = nameWords(name);
  return (words.length === 1 && words[0] === 'y') || words.some((w) => TARGET_WORDS.has(w));
}

/** What the values of a number column say about it being a key. */
interface NumberShape {
  integral: boolean;
  /** max - min + 1 over the distinct count: 1 for 1..n in any order, large for scattered values. */
  span: number;
  /** Share of consecutive present values that increase, in file order. */
  increasing: number;
}

function numberShape(values: Float64Array, unique: number): NumberShape {
  let integral = true;
  let min = Infinity;
  let max = -Infinity;
  let previous = NaN;
  let steps = 0;
  let up = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) integral = false;
    if (v < min) min = v;
    if (v > max) max = v;
    if (!Number.isNaN(previous)) {
      steps++;
      if (v > previous) up++;
    }
    previous = v;
  }
  return { integral, span: unique > 0 ? (max - min + 1) / unique : Infinity, increasing: steps > 0 ? up / steps : 0 };
}

function percent(part: number, whole: number): string {
  const p = (100 * part) / whole;
  return `${p >= 99.5 && part < whole ? '>99' : Math.round(p)}%`;
}

/** Why a column holding a key would hurt, said once for every identifier reason. */
const MEMORISE = 'a model would memorise it rather than learn from it, so it is ignored';

type Advice = { suggestion?: ColumnGuess['suggestion']; notes: string[] };

function adviseOne(guess: ColumnGuess, rowCount: number, values: Float64Array | null): Advice {
  const notes: string[] = [];
  if (guess.type === 'image') return { notes };
  const present = rowCount - guess.missing;
  if (present <= 0) return { suggestion: { role: 'ignore', reason: 'Every value is missing: there is nothing to learn from.' }, notes };
  if (guess.unique === 1) {
    return {
      suggestion: { role: 'ignore', reason: `Constant: every ${guess.missing > 0 ? 'present ' : ''}value is the same, so it cannot tell rows apart.` },
      notes,
    };
  }
  // Every date differs in a daily file; that makes it a time axis, not a key.
  if (guess.type === 'date') return { notes };
  const named = idLikeName(guess.name);
  const unique = guess.unique >= NEAR_UNIQUE * present && present >= (named ? 2 : MIN_ROWS_FOR_UNIQUE);
  const share = guess.unique === present ? 'unique per row' : `${guess.unique} distinct values in ${present} rows (${percent(guess.unique, present)})`;
  if (guess.type === 'number') {
    const shape = values ? numberShape(values, guess.unique) : null;
    // A measurement (weights, prices) is often all different too: only whole numbers that count along, or a
    // column named like a key, read as identifiers.
    const counting = shape !== null && shape.integral && (shape.span <= 2 || shape.increasing >= NEAR_UNIQUE);
    if (unique && (named || counting)) {
      return { suggestion: { role: 'ignore', reason: `${named ? `Named like an identifier and ${share}` : `Whole numbers ${share}, counting along like an identifier`}: ${MEMORISE}.` }, notes };
    }
    if (unique && shape?.integral) {
      notes.push(`Every value is a different whole number (${share}): if it is an identifier, ignore it, or a model will memorise it.`);
    } else if (named) {
      notes.push('Named like an identifier: if its numbers are codes rather than quantities, ignore it, or set it to category when the codes mean something.');
    }
    return { notes };
  }
  if (unique) {
    return { suggestion: { role: 'ignore', reason: `${named ? `Named like an identifier and ${share}` : `Text ${share}, like an identifier`}: ${MEMORISE}.` }, notes };
  }
  if (guess.unique > MANY_CATEGORIES || (guess.unique > MIN_SHARE_CATEGORIES && guess.unique > MANY_CATEGORIES_SHARE * present)) {
    notes.push(
      `Many categories: ${guess.unique} distinct values in ${present} rows. One-hot encoding gives a model an input per value, ` +
        'most seen only a few times, which it tends to memorise. Choices: ignore the column; or, in a recipe, ' +
        '"Hash into buckets" (a fixed number of groups) or "Keep the top k values" (the rest become "other").',
    );
  } else if (named) {
    notes.push('Named like an identifier: if it is a key rather than a shared code, ignore it.');
  }
  return { notes };
}

/**
 * The guesses with the suggested role (and its reason) and the notes each column deserves. `numbers(c)` gives
 * column c's values when it was read as numbers (NaN for missing), or null.
 */
export function adviseColumns(guesses: ColumnGuess[], rowCount: number, numbers: (c: number) => Float64Array | null): ColumnGuess[] {
  return guesses.map((guess, c) => {
    const { suggestion, notes } = adviseOne(guess, rowCount, guess.type === 'number' ? numbers(c) : null);
    const out: ColumnGuess = { ...guess };
    // Guessing again (another number format) starts from fresh guesses; never carry an old suggestion over.
    delete out.suggestion;
    if (suggestion) out.suggestion = suggestion;
    if (notes.length > 0) out.notes = [...(guess.notes ?? []), ...notes];
    return out;
  });
}

/** The default role of each guessed column: its suggestion, else a feature. The target is chosen separately. */
export function suggestedRoles(guesses: readonly ColumnGuess[]): ColumnRole[] {
  return guesses.map((g) => g.suggestion?.role ?? 'feature');
}

export interface TargetGuess {
  /** Index of the column preselected as the target; -1 when none is plausible. */
  column: number;
  /** Why this column, or why none: shown on the import. */
  reason: string;
}

function quoted(name: string): string {
  return `"${name}"`;
}

/** Why a column cannot be the target of the task, or null when it can. */
function implausible(guess: ColumnGuess, rowCount: number, task: Task): string | null {
  const name = quoted(guess.name);
  if (guess.type === 'image' || guess.type === 'date') return `${name} is a ${guess.type} column`;
  if (task === 'regression') {
    if (guess.type !== 'number') return `${name} is not a number column`;
    if (guess.unique < 3) return `${name} has only ${plural(guess.unique, 'value')}`;
  } else {
    const present = rowCount - guess.missing;
    if (guess.unique < MIN_CLASSES) return `${name} has only ${plural(guess.unique, 'value')}`;
    if (guess.unique > MAX_CLASSES) return `${name} has ${guess.unique} values`;
    // Classes are learned from examples: a value in every other row at most, or it is a key, not a class.
    if (2 * guess.unique > present) return `${name} has ${guess.unique} values in ${present} rows, too few rows per class`;
  }
  if (guess.suggestion?.role === 'ignore') return `${name} is suggested as ignored`;
  return null;
}

/**
 * A target that suits the task: for classification a column with 2 to 50 classes and at least two rows per class on
 * average, for regression a number column
 * that is neither an identifier nor nearly constant. Preferred in order: the project's target, a column named like
 * a target ("label", "class", "species", "y"...), then the last plausible column (classification: the last
 * category, else the last number column with few values). When none fits, none is preselected and `reason` says
 * why, column by column.
 */
export function guessTarget(guesses: readonly ColumnGuess[], rowCount: number, task: Task, projectTarget: string): TargetGuess {
  const kind = task === 'regression' ? 'a regression target (a number column that is not an identifier, with at least 3 values)' : `a classification target (${MIN_CLASSES} to ${MAX_CLASSES} classes)`;
  const fits = guesses.map((g) => implausible(g, rowCount, task) === null);
  const known = guesses.findIndex((g) => g.name === projectTarget);
  if (known >= 0 && fits[known]) return { column: known, reason: `${quoted(projectTarget)} is the project's target.` };
  const named = guesses.findIndex((g, i) => fits[i] && targetLikeName(g.name));
  const lastOf = (type: string) => {
    for (let i = guesses.length - 1; i >= 0; i--) if (fits[i] && guesses[i].type === type) return i;
    return -1;
  };
  const lastCategory = task === 'regression' ? -1 : lastOf('category');
  const last = lastCategory >= 0 ? lastCategory : lastOf('number');
  const why = known >= 0 ? `The project's target ${implausible(guesses[known], rowCount, task)}, so it does not fit ${kind}; ` : '';
  if (named >= 0) return { column: named, reason: `${why}${quoted(guesses[named].name)} is named like a target.` };
  if (last >= 0) return { column: last, reason: `${why}${quoted(guesses[last].name)} is the last column that fits ${kind}: check it is the one to predict.` };
  const reasons = guesses.map((g) => implausible(g, rowCount, task)).filter((r): r is string => r !== null);
  const shown = reasons.slice(0, 4).join('; ') + (reasons.length > 4 ? `; and ${reasons.length - 4} more` : '');
  return { column: -1, reason: `No column fits ${kind}: ${shown}. Choose the target yourself, or check the file and the project's task.` };
}
