// The choices that turn a parsed file into a dataset version (types, roles, target, split), made the same way by
// the import form and by the samples, which are imported without it.

import type { ColumnRole, ColumnType, SplitMethod, SplitSpec, Task } from '../shared/types';
import { DEFAULT_SPLIT } from '../shared/defaults';
import type { ColumnGuess, DatasetChoices, ParsedFile } from '../contracts/parse';
import { guessTarget, suggestedRoles } from './roles';

/** Per column of the parsed header, by position (a column may be called "__proto__"). */
export interface ColumnChoices {
  types: ColumnType[];
  roles: ColumnRole[];
  /** Why the target was preselected, or why none was. */
  targetReason: string;
}

/** The guessed types, the suggested roles and a preselected target. */
export function initialChoices(file: Pick<ParsedFile, 'guesses' | 'rowCount'>, task: Task, projectTarget: string): ColumnChoices {
  const roles = suggestedRoles(file.guesses);
  const target = guessTarget(file.guesses, file.rowCount, task, projectTarget);
  if (target.column >= 0) roles[target.column] = 'target';
  return { types: file.guesses.map((g) => g.type), roles, targetReason: target.reason };
}

/** `roles` with column `c` given `role`; there is exactly one target, so a new one turns the old one into a feature. */
export function withRole(roles: readonly ColumnRole[], c: number, role: ColumnRole): ColumnRole[] {
  const next = roles.map((r) => (role === 'target' && r === 'target' ? 'feature' : r));
  next[c] = role;
  return next;
}

/**
 * Roles after the columns were guessed again: a column whose values now read differently gets the new suggestion,
 * unless the user chose its role (`kept`) or it is the target.
 */
export function resuggestedRoles(roles: readonly ColumnRole[], guesses: readonly ColumnGuess[], kept: ReadonlySet<number>): ColumnRole[] {
  return roles.map((r, c) => (kept.has(c) || r === 'target' ? r : (guesses[c]?.suggestion?.role ?? 'feature')));
}

/** Columns typed as dates: the only ones a time split can order rows by. */
export function dateColumns(header: readonly string[], types: readonly ColumnType[]): string[] {
  return header.filter((_, c) => types[c] === 'date');
}

/**
 * The split a version is saved with: `method` null is the task's default (stratified for classification, random
 * for regression); a time split orders by `timeColumn` while it is a date column, else by the first date column.
 */
export function importSplit(task: Task, method: SplitMethod | null, seed: number, timeColumn: string, dates: readonly string[]): SplitSpec {
  const chosen = method ?? (task === 'classification' ? 'stratified' : 'random');
  const spec: SplitSpec = { method: chosen, seed, fractions: [...DEFAULT_SPLIT.fractions] };
  if (chosen === 'time') spec.timeColumn = dates.includes(timeColumn) ? timeColumn : (dates[0] ?? '');
  return spec;
}

/** Per-column choices keyed by name for the worker; fromEntries makes even "__proto__" an own key. */
export function byName<T>(header: readonly string[], values: readonly T[]): Record<string, T> {
  return Object.fromEntries(header.map((name, c) => [name, values[c]]));
}

/** What the parse worker builds a version from. */
export function datasetChoices(
  header: readonly string[],
  choices: Pick<ColumnChoices, 'types' | 'roles'>,
  rest: Omit<DatasetChoices, 'types' | 'roles' | 'target'>,
): DatasetChoices {
  return {
    ...rest,
    target: header[choices.roles.indexOf('target')] ?? '',
    types: byName(header, choices.types),
    roles: byName(header, choices.roles),
  };
}
