// From a parsed text table and the user's choices to a typed, split, hashed dataset, or to a list of
// problems the user can act on. Nothing is half-built: any problem means no dataset.

import { guessType, notANumberProblem, scannedNumbers } from './infer';
import type { RawTable } from './infer';
import { hashDataset } from './hash';
import { isMissing, parseNumber } from './missing';
import { checkSplitSpec, countSplit, splitRows, timesForSplit } from './split';
import { summarizeColumn } from './summary';
import type { ColumnData, ColumnRole, ColumnSchema, ColumnType, Table } from './types';
import type { BuildOutcome, CellProblem, DatasetChoices } from './worker-api';

const MAX_CELL_PROBLEMS = 5;

function problem(message: string, column = ''): CellProblem {
  return { column, line: 0, value: '', message };
}

export async function buildDataset(raw: RawTable, choices: DatasetChoices): Promise<BuildOutcome> {
  const planned = plan(raw, choices);
  if (!planned.ok) return { ok: false, problems: planned.problems };
  const { roles, types, targetIndex } = planned;

  const converted = convertColumns(raw, types);
  if (!converted.ok) return { ok: false, problems: converted.problems };
  const columns = converted.columns;

  const target = columns[targetIndex];
  const targetProblem = checkTarget(choices.target, target);
  if (targetProblem) return { ok: false, problems: [problem(targetProblem, choices.target)] };

  const hasTarget =
    target.kind === 'category' ? (r: number) => target.codes[r] >= 0 : (r: number) => !Number.isNaN(target.values[r]);
  const strata = target.kind === 'category' ? target.codes : null;
  const timed = timesForSplit(choices.split, raw.header, columns);
  if (!timed.ok) return { ok: false, problems: [problem(timed.message, choices.split.timeColumn)] };
  const assignment = splitRows(choices.split, raw.rowCount, hasTarget, strata, timed.times);

  const schema: ColumnSchema[] = raw.header.map((name, c) => ({ name, type: columns[c].kind, role: roles[c] }));
  const table: Table = { names: [...raw.header], columns, rowCount: raw.rowCount };
  const { method, seed, fractions, timeColumn } = choices.split;
  const split = { method, seed, fractions, ...(method === 'time' ? { timeColumn } : {}) };
  return {
    ok: true,
    dataset: {
      id: await hashDataset(schema, split, table),
      schema,
      summaries: columns.map(summarizeColumn),
      table,
      assignment,
      counts: countSplit(assignment),
    },
  };
}

/** A choice keyed by column name; own keys only, so a column named "constructor" reads no prototype. */
function own<T>(record: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

type Plan =
  | { ok: true; roles: ColumnRole[]; types: ColumnType[]; targetIndex: number }
  | { ok: false; problems: CellProblem[] };

/** Roles and types per column, checked before any cell is converted. */
function plan(raw: RawTable, choices: DatasetChoices): Plan {
  const problems: CellProblem[] = [];
  const splitProblem = checkSplitSpec(choices.split);
  if (splitProblem) problems.push(problem(splitProblem));

  const target = choices.target;
  const targetIndex = raw.header.indexOf(target);
  if (target === '') problems.push(problem('Choose the target column: the one the model should predict.'));
  else if (targetIndex < 0) problems.push(problem(`The target column "${target}" is not in the data.`, target));

  const roles = raw.header.map((name): ColumnRole => own(choices.roles, name) ?? (name === target ? 'target' : 'feature'));
  if (targetIndex >= 0 && roles[targetIndex] !== 'target') {
    problems.push(problem(`"${target}" is the target, so its role must be "target", not "${roles[targetIndex]}".`, target));
  }
  const others = raw.header.filter((name, c) => roles[c] === 'target' && name !== target);
  if (others.length > 0) {
    const list = others.map((n) => `"${n}"`).join(', ');
    problems.push(problem(`Only one column can be the target, and it is "${target}"; ${list} also has the target role.`));
  }
  if (!roles.includes('feature')) problems.push(problem('Choose at least one feature column for the model to learn from.'));

  const types = raw.header.map((name, c): ColumnType => {
    // A classification target is a set of labels even when they are spelled as numbers (0/1).
    if (c === targetIndex && choices.task === 'classification') return 'category';
    return own(choices.types, name) ?? guessType(raw, c);
  });
  if (targetIndex >= 0 && choices.task === 'regression' && types[targetIndex] !== 'number') {
    problems.push(
      problem(`Target "${target}" must be a number column for regression; it is set to category.`, target),
    );
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, roles, types, targetIndex };
}

type Converted = { ok: true; columns: ColumnData[] } | { ok: false; problems: CellProblem[] };

function convertColumns(raw: RawTable, types: ColumnType[]): Converted {
  const cellProblems: CellProblem[] = [];
  const summaries: CellProblem[] = [];
  const columns = types.map((type, c): ColumnData => {
    if (type === 'category') return toCategory(raw.columns[c], raw.rowCount);
    // The type guess has usually parsed the column already; reading it again is the slow part.
    const { values, bad, badCount } = scannedNumbers(raw, c) ?? toNumbers(raw.columns[c], raw.rowCount);
    for (const r of bad) {
      if (cellProblems.length < MAX_CELL_PROBLEMS) cellProblems.push(notANumberProblem(raw, c, r));
    }
    if (badCount > 0) {
      const name = raw.header[c];
      summaries.push(
        problem(
          `Column "${name}" is set to number but ${badCount} of its values ${badCount === 1 ? 'is not a number' : 'are not numbers'}. ` +
            'Fix those cells or set the column to category.',
          name,
        ),
      );
    }
    return { kind: 'number', values };
  });
  if (summaries.length > 0) return { ok: false, problems: [...cellProblems, ...summaries] };
  return { ok: true, columns };
}

function toNumbers(cells: string[], rowCount: number): { values: Float64Array; bad: number[]; badCount: number } {
  const values = new Float64Array(rowCount);
  const bad: number[] = [];
  let badCount = 0;
  for (let r = 0; r < rowCount; r++) {
    const cell = cells[r];
    if (isMissing(cell)) {
      values[r] = NaN;
      continue;
    }
    const n = parseNumber(cell);
    if (n === null) {
      values[r] = NaN;
      if (bad.length < MAX_CELL_PROBLEMS) bad.push(r);
      badCount++;
    } else values[r] = n;
  }
  return { values, bad, badCount };
}

/** Dictionary-encodes trimmed cell text; the dictionary is sorted so the encoding does not depend on row order. */
function toCategory(cells: string[], rowCount: number): ColumnData {
  const seen = new Map<string, number>();
  const firstCodes = new Int32Array(rowCount);
  for (let r = 0; r < rowCount; r++) {
    const cell = cells[r];
    if (isMissing(cell)) {
      firstCodes[r] = -1;
      continue;
    }
    const text = cell.trim();
    let code = seen.get(text);
    if (code === undefined) {
      code = seen.size;
      seen.set(text, code);
    }
    firstCodes[r] = code;
  }
  const dictionary = [...seen.keys()].sort();
  const remap = new Int32Array(dictionary.length);
  dictionary.forEach((value, sorted) => {
    remap[seen.get(value) as number] = sorted;
  });
  const codes = firstCodes.map((code) => (code < 0 ? -1 : remap[code]));
  return { kind: 'category', codes, dictionary };
}

function checkTarget(name: string, target: ColumnData): string | null {
  if (target.kind === 'number') {
    return target.values.some((v) => !Number.isNaN(v)) ? null : noValues(name);
  }
  const present = new Set<number>();
  for (const code of target.codes) if (code >= 0) present.add(code);
  if (present.size === 0) return noValues(name);
  if (present.size === 1) {
    const only = target.dictionary[[...present][0]];
    return `Target "${name}" has only one class ("${only}"); classification needs at least two.`;
  }
  return null;
}

function noValues(name: string): string {
  return `Target "${name}" has no values: every row is missing it, so there is nothing to learn from.`;
}
