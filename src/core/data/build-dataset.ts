// From a parsed text table and the user's choices to a typed, split, hashed dataset, or to a list of
// problems the user can act on. Nothing is half-built: any problem means no dataset.

import { cellsOf, guessType, notANumberProblem, numbersOf } from './type-guess';
import type { RawTable } from './type-guess';
import { EMPTY, SHORTEST, TEXT } from './cell-column';
import type { CellColumn } from './cell-column';
import { hashDataset } from './hash';
import { isMissing } from './missing';
import { checkSplitSpec, countSplit, splitRows, timesForSplit } from './split';
import { checkSplitSizes } from './split-sanity';
import { datesOf, notADateProblem } from './date-column';
import { summarizeColumn } from './summary';
import type { ColumnData, ColumnRole, ColumnSchema, ColumnType, NumberSummary, ReadFormat, Table } from '../shared/types';
import { DEFAULT_READ_FORMAT } from '../shared/types';
import type { BuildOutcome, CellProblem, DatasetChoices } from '../contracts/parse';

const MAX_CELL_PROBLEMS = 5;

function problem(message: string, column = ''): CellProblem {
  return { column, line: 0, value: '', message };
}

export async function buildDataset(raw: RawTable, choices: DatasetChoices): Promise<BuildOutcome> {
  const planned = plan(raw, choices);
  if (!planned.ok) return { ok: false, problems: planned.problems };
  const { roles, types, targetIndex } = planned;

  const converted = convertColumns(raw, types, choices.format ?? DEFAULT_READ_FORMAT);
  if (!converted.ok) return { ok: false, problems: converted.problems };
  const { columns, numberSummaries } = converted;

  const target = columns[targetIndex];
  const targetProblem = checkTarget(choices.target, target);
  if (targetProblem) return { ok: false, problems: [problem(targetProblem, choices.target)] };

  if (target.kind === 'image') return { ok: false, problems: [problem('An image column cannot be the target.', choices.target)] };
  const hasTarget =
    target.kind === 'category' ? (r: number) => target.codes[r] >= 0 : (r: number) => !Number.isNaN(target.values[r]);
  const strata = target.kind === 'category' ? target.codes : null;
  const timed = timesForSplit(choices.split, raw.header, columns);
  if (!timed.ok) return { ok: false, problems: [problem(timed.message, choices.split.timeColumn)] };
  const assignment = splitRows(choices.split, raw.rowCount, hasTarget, strata, timed.times);
  const tooSmall = checkSplitSizes(choices.split, assignment, strata, target.kind === 'category' ? target.dictionary : []);
  if (tooSmall) return { ok: false, problems: [problem(tooSmall)] };

  const schema: ColumnSchema[] = raw.header.map((name, c) => ({ name, type: columns[c].kind, role: roles[c] }));
  const table: Table = { names: [...raw.header], columns, rowCount: raw.rowCount };
  const { method, seed, fractions, timeColumn } = choices.split;
  const split = { method, seed, fractions, ...(method === 'time' ? { timeColumn } : {}) };
  return {
    ok: true,
    dataset: {
      id: await hashDataset(schema, split, table),
      schema,
      // Number columns were profiled when their type was guessed; only the rest are profiled now.
      summaries: columns.map((column, c) => numberSummaries[c] ?? summarizeColumn(column)),
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
    return own(choices.types, name) ?? guessType(raw, c, choices.format);
  });
  // Image columns come only from an image import (src/core/data/images); text cells cannot become pixels.
  for (const [c, type] of types.entries()) {
    if (type === 'image') problems.push(problem(`Column "${raw.header[c]}" holds text and cannot be set to image.`, raw.header[c]));
  }
  if (targetIndex >= 0 && choices.task === 'regression' && types[targetIndex] !== 'number') {
    problems.push(
      problem(`Target "${target}" must be a number column for regression; it is set to ${types[targetIndex]}.`, target),
    );
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, roles, types, targetIndex };
}

type Converted =
  | { ok: true; columns: ColumnData[]; numberSummaries: (NumberSummary | null)[] }
  | { ok: false; problems: CellProblem[] };

function convertColumns(raw: RawTable, types: ColumnType[], format: ReadFormat): Converted {
  const cellProblems: CellProblem[] = [];
  const summaries: CellProblem[] = [];
  const numberSummaries: (NumberSummary | null)[] = types.map(() => null);
  /** The first few cells that do not read as `kind`, and one line per column saying how many there are. */
  const report = (
    c: number,
    kind: 'number' | 'date',
    bad: number[],
    badCount: number,
    cellProblem: (raw: RawTable, column: number, row: number) => CellProblem,
  ): void => {
    for (const r of bad) {
      if (cellProblems.length < MAX_CELL_PROBLEMS) cellProblems.push(cellProblem(raw, c, r));
    }
    if (badCount === 0) return;
    const name = raw.header[c];
    const article = kind === 'number' ? 'a number' : 'a date';
    summaries.push(
      problem(
        `Column "${name}" is set to ${kind} but ${badCount} of its values ${badCount === 1 ? `is not ${article}` : `are not ${kind}s`}. ` +
          'Fix those cells or set the column to category.',
        name,
      ),
    );
  };
  const columns = types.map((type, c): ColumnData => {
    if (type === 'category') return toCategory(cellsOf(raw, c), raw.rowCount);
    if (type === 'date') {
      const { values, bad, badCount } = datesOf(raw, c, format);
      report(c, 'date', bad, badCount, notADateProblem);
      return { kind: 'date', values };
    }
    // The type guess has usually read the column already; reading it again is the slow part.
    const { values, bad, badCount, summary } = numbersOf(raw, c, format);
    numberSummaries[c] = summary;
    report(c, 'number', bad, badCount, notANumberProblem);
    return { kind: 'number', values };
  });
  if (summaries.length > 0) return { ok: false, problems: [...cellProblems, ...summaries] };
  return { ok: true, columns, numberSummaries };
}

/**
 * Dictionary-encodes trimmed cell text; the dictionary is sorted so the encoding does not depend on
 * row order. Each distinct text is trimmed and looked up once; a cell kept as a number is spelled
 * again exactly as written (value.toFixed(digits)), once per distinct value.
 */
function toCategory(column: CellColumn, rowCount: number): ColumnData {
  const seen = new Map<string, number>();
  const codeOf = (text: string): number => {
    let code = seen.get(text);
    if (code === undefined) {
      code = seen.size;
      seen.set(text, code);
    }
    return code;
  };
  const { formats, values, texts } = column;
  /** Per distinct text: its code, -1 when it spells a missing value, -2 until first met. */
  const textCodes = new Int32Array(texts.length).fill(-2);
  /** Per number format: value -> code. */
  const numberCodes: Map<number, number>[] = [];
  const firstCodes = new Int32Array(rowCount);
  for (let r = 0; r < rowCount; r++) {
    const f = formats[r];
    if (f === EMPTY) firstCodes[r] = -1;
    else if (f === TEXT) {
      const t = values[r];
      let code = textCodes[t];
      if (code === -2) {
        code = isMissing(texts[t]) ? -1 : codeOf(texts[t].trim());
        textCodes[t] = code;
      }
      firstCodes[r] = code;
    } else {
      const byValue = (numberCodes[f] ??= new Map());
      const v = values[r];
      let code = byValue.get(v);
      if (code === undefined) {
        code = codeOf(f === SHORTEST ? String(v) : v.toFixed(f));
        byValue.set(v, code);
      }
      firstCodes[r] = code;
    }
  }
  const dictionary = [...seen.keys()].sort();
  const remap = new Int32Array(dictionary.length);
  dictionary.forEach((value, sorted) => {
    remap[seen.get(value) as number] = sorted;
  });
  for (let r = 0; r < rowCount; r++) if (firstCodes[r] >= 0) firstCodes[r] = remap[firstCodes[r]];
  return { kind: 'category', codes: firstCodes, dictionary };
}

function checkTarget(name: string, target: ColumnData): string | null {
  if (target.kind === 'number') {
    return target.values.some((v) => !Number.isNaN(v)) ? null : noValues(name);
  }
  if (target.kind === 'image') return `Target "${name}" is an image column; the target must be a label or a number.`;
  if (target.kind === 'date') return `Target "${name}" is a date column; the target must be a label or a number.`;
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
