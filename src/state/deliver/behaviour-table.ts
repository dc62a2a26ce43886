// The pipeline editor's behaviour tests as a table a learner fills in, and back: one row per test, its values as
// typed (so a half-typed number is reported where it is, not lost), converted to the tests' JSON
// (../../core/deliver/gates/behaviour-types.ts) with every problem located by row, field and, for cases, line.
//
// Value syntax, shared by "Replacement values" and the cases' cells: a plain number becomes a number, `null` becomes
// null, a JSON string in double quotes stays text exactly (`"02134"`, `"a, b"`), anything else is text, trimmed.

import type { BehaviourTest, MinimumCase } from '../../core/deliver/gates';
import type { RawRow, RawValue } from '../../core/shared/types';

export type BehaviourKind = BehaviourTest['kind'];

export const BEHAVIOUR_KINDS: readonly { kind: BehaviourKind; name: string }[] = [
  { kind: 'invariance', name: 'invariance' },
  { kind: 'directional', name: 'directional' },
  { kind: 'minimum', name: 'minimum functionality' },
];

/** One test as the table holds it. Every kind's fields are kept, so switching a row's kind loses nothing. */
export interface BehaviourRow {
  kind: BehaviourKind;
  name: string;
  /** Invariance and directional. */
  column: string;
  /** Invariance: comma separated values. */
  replacements: string;
  /** Required for invariance; optional for directional (a forgiven wrong-way move) and minimum (regression). */
  tolerance: string;
  /** Directional: added to the column's number. */
  delta: string;
  expect: 'up' | 'down';
  /** Directional on a classifier: the class whose probability is the score; '' for none. */
  className: string;
  /** Minimum functionality: one case a line, `col=value; col=value => label`. */
  cases: string;
  /** Kept from the JSON: the table has no field for it. */
  maxRows?: number;
}

export type BehaviourField = Exclude<keyof BehaviourRow, 'maxRows'>;

/** A problem of one row's field (0-based row); `line` is the 1-based line of a case. */
export interface RowProblem {
  row: number;
  field: BehaviourField;
  line?: number;
  message: string;
}

/**
 * What the labels are: the classes of a classifier (a case's label stays text), null for a regression (it must be a
 * number), undefined when not known yet (numbers become numbers, as everywhere else).
 */
export type KnownLabels = readonly string[] | null | undefined;

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export function newBehaviourRow(kind: BehaviourKind, column: string, name: string): BehaviourRow {
  return { kind, name, column, replacements: '', tolerance: kind === 'invariance' ? '0.05' : '', delta: '1', expect: 'up', className: '', cases: '' };
}

/**
 * The row as another kind. Every field is kept but the tolerance, which means something else for each kind (a
 * probability move, a forgiven wrong-way move, a regression's error), so it starts again from the kind's default.
 */
export function withKind(row: BehaviourRow, kind: BehaviourKind): BehaviourRow {
  return kind === row.kind ? row : { ...row, kind, tolerance: newBehaviourRow(kind, '', '').tolerance };
}

type Split = { ok: true; parts: string[] } | { ok: false; message: string };

/** Splits at `sep` outside double-quoted JSON strings (a backslash escapes inside them). */
function splitOutside(text: string, sep: string): Split {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') {
      quoted = true;
    } else if (text.startsWith(sep, i)) {
      parts.push(text.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  if (quoted) return { ok: false, message: 'a quoted text is not closed with "' };
  parts.push(text.slice(start));
  return { ok: true, parts };
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** One value as typed: see the syntax at the top of this file. */
export function parseCell(token: string): Parsed<RawValue> {
  const t = token.trim();
  if (t === '') return { ok: false, message: 'a value is empty (write "" for empty text)' };
  if (t.startsWith('"')) {
    try {
      const v: unknown = JSON.parse(t);
      if (typeof v === 'string') return { ok: true, value: v };
    } catch {
      // Reported below with the token, which says more than JSON.parse's position.
    }
    return { ok: false, message: `${t} is not one quoted text` };
  }
  if (t === 'null') return { ok: true, value: null };
  if (NUMBER.test(t)) return { ok: true, value: Number(t) };
  return { ok: true, value: t };
}

/** A value written so that parseCell reads it back as it is. */
export function formatCell(v: RawValue): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return String(v);
  const plain = v !== '' && v === v.trim() && v !== 'null' && !NUMBER.test(v) && !v.startsWith('"') && !/[,;=\n]/.test(v);
  return plain ? v : JSON.stringify(v);
}

/** "a, 2, null" → ['a', 2, null]; an empty text is an empty list. */
export function parseValues(text: string): Parsed<RawValue[]> {
  if (text.trim() === '') return { ok: true, value: [] };
  const split = splitOutside(text, ',');
  if (!split.ok) return split;
  const values: RawValue[] = [];
  for (const [i, token] of split.parts.entries()) {
    const cell = parseCell(token);
    if (!cell.ok) return { ok: false, message: `value ${i + 1}: ${cell.message}` };
    values.push(cell.value);
  }
  return { ok: true, value: values };
}

export function formatValues(values: readonly RawValue[]): string {
  return values.map(formatCell).join(', ');
}

const CASE_SHAPE = 'expected "column=value; column=value => label"';

function parseLabel(token: string, labels: KnownLabels): Parsed<string | number> {
  const cell = parseCell(token);
  if (!cell.ok) return { ok: false, message: `the label: ${cell.message}` };
  if (cell.value === null) return { ok: false, message: 'the label must be a class or a number, not null' };
  if (labels) return { ok: true, value: String(cell.value) };
  if (labels === null && typeof cell.value !== 'number') return { ok: false, message: `the label ${cell.value} must be a number: the model is a regression` };
  return { ok: true, value: cell.value };
}

/** A column name as typed: plain, or a JSON string for a name with "=", ";" or quotes in it. */
function parseColumn(token: string): string | null {
  const t = token.trim();
  if (t.startsWith('"')) {
    const cell = parseCell(t);
    return cell.ok && typeof cell.value === 'string' && cell.value !== '' ? cell.value : null;
  }
  return t === '' ? null : t;
}

function parseCase(line: string, labels: KnownLabels): Parsed<MinimumCase> {
  const sides = splitOutside(line, '=>');
  if (!sides.ok) return sides;
  if (sides.parts.length !== 2) return { ok: false, message: CASE_SHAPE };
  const pairs = splitOutside(sides.parts[0], ';');
  if (!pairs.ok) return pairs;
  const row: RawRow = {};
  for (const pair of pairs.parts) {
    if (pair.trim() === '') continue;
    const at = splitOutside(pair, '=');
    if (!at.ok) return at;
    if (at.parts.length < 2) return { ok: false, message: `"${pair.trim()}" has no "=": ${CASE_SHAPE}` };
    const column = parseColumn(at.parts[0]);
    if (column === null) return { ok: false, message: `"${pair.trim()}" names no column` };
    if (column in row) return { ok: false, message: `column ${column} is given twice` };
    const cell = parseCell(at.parts.slice(1).join('='));
    if (!cell.ok) return { ok: false, message: `column ${column}: ${cell.message}` };
    row[column] = cell.value;
  }
  if (Object.keys(row).length === 0) return { ok: false, message: `no "column=value" before "=>": ${CASE_SHAPE}` };
  const label = parseLabel(sides.parts[1], labels);
  if (!label.ok) return label;
  return { ok: true, value: { row, label: label.value } };
}

/** One case a line; blank lines are skipped, and every malformed line is reported with its 1-based number. */
export function parseCases(text: string, labels: KnownLabels): { cases: MinimumCase[]; problems: { line: number; message: string }[] } {
  const cases: MinimumCase[] = [];
  const problems: { line: number; message: string }[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const parsed = parseCase(line, labels);
    if (parsed.ok) cases.push(parsed.value);
    else problems.push({ line: i + 1, message: parsed.message });
  });
  return { cases, problems };
}

function formatColumn(column: string): string {
  return column === column.trim() && column !== '' && !/[=;"]/.test(column) && !column.includes('=>') ? column : JSON.stringify(column);
}

export function formatCases(cases: readonly MinimumCase[]): string {
  return cases
    .map((c) => `${Object.entries(c.row).map(([k, v]) => `${formatColumn(k)}=${formatCell(v)}`).join('; ')} => ${formatCell(c.label)}`)
    .join('\n');
}

function parseNumber(text: string): number | null {
  const t = text.trim();
  return NUMBER.test(t) ? Number(t) : null;
}

const FIELD_NAMES: Record<BehaviourField, string> = {
  kind: 'Kind',
  name: 'Test name',
  column: 'Column',
  replacements: 'Replacement values',
  tolerance: 'Tolerance',
  delta: 'Delta',
  expect: 'Expect',
  className: 'Class',
  cases: 'Cases',
};

/** The table's rows as tests, in order; a row with a problem is left out and its problems say why. */
export function rowsToTests(rows: readonly BehaviourRow[], labels: KnownLabels): { tests: BehaviourTest[]; problems: RowProblem[] } {
  const tests: BehaviourTest[] = [];
  const problems: RowProblem[] = [];
  rows.forEach((r, row) => {
    const before = problems.length;
    const problem = (field: BehaviourField, message: string, line?: number) =>
      problems.push({ row, field, ...(line === undefined ? {} : { line }), message: `Behaviour test ${row + 1}, ${FIELD_NAMES[field]}${line === undefined ? '' : ` line ${line}`}: ${message}` });
    const number = (field: 'tolerance' | 'delta', required: boolean): number | undefined => {
      if (r[field].trim() === '' && !required) return undefined;
      const v = parseNumber(r[field]);
      if (v === null) problem(field, r[field].trim() === '' ? 'a number is needed' : `"${r[field].trim()}" is not a number`);
      return v ?? undefined;
    };
    const maxRows = r.maxRows === undefined ? {} : { maxRows: r.maxRows };
    if (r.kind === 'invariance') {
      const values = parseValues(r.replacements);
      if (!values.ok) problem('replacements', values.message);
      const tolerance = number('tolerance', true);
      if (problems.length === before && values.ok && tolerance !== undefined) {
        tests.push({ kind: 'invariance', name: r.name, column: r.column, replacements: values.value, tolerance, ...maxRows });
      }
    } else if (r.kind === 'directional') {
      const delta = number('delta', true);
      const tolerance = number('tolerance', false);
      if (problems.length === before && delta !== undefined) {
        tests.push({
          kind: 'directional',
          name: r.name,
          column: r.column,
          delta,
          expect: r.expect,
          ...(r.className === '' ? {} : { class: r.className }),
          ...(tolerance === undefined ? {} : { tolerance }),
          ...maxRows,
        });
      }
    } else {
      const parsed = parseCases(r.cases, labels);
      for (const p of parsed.problems) problem('cases', p.message, p.line);
      const tolerance = number('tolerance', false);
      if (problems.length === before) {
        tests.push({ kind: 'minimum', name: r.name, cases: parsed.cases, ...(tolerance === undefined ? {} : { tolerance }) });
      }
    }
  });
  return { tests, problems };
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const numberText = (v: unknown): string => (typeof v === 'number' ? String(v) : '');

/**
 * The tests as rows. The JSON may have been hand edited and not checked yet, so a missing or mistyped field becomes
 * an empty cell rather than an exception: the row shows what is there, and saving reports the rest.
 */
export function testsToRows(tests: readonly BehaviourTest[]): BehaviourRow[] {
  return tests.map((test): BehaviourRow => {
    const t = test as unknown as Partial<Record<string, unknown>> & { kind: BehaviourKind };
    const row = newBehaviourRow(t.kind, text(t.column), text(t.name));
    row.tolerance = numberText(t.tolerance);
    if (typeof t.maxRows === 'number') row.maxRows = t.maxRows;
    if (t.kind === 'invariance' && Array.isArray(t.replacements)) {
      row.replacements = formatValues(t.replacements.filter((v): v is RawValue => v === null || typeof v === 'string' || typeof v === 'number'));
    } else if (t.kind === 'directional') {
      row.delta = numberText(t.delta);
      row.expect = t.expect === 'down' ? 'down' : 'up';
      row.className = text(t.class);
    } else if (t.kind === 'minimum' && Array.isArray(t.cases)) {
      row.cases = formatCases(t.cases.filter((c): c is MinimumCase => typeof c === 'object' && c !== null && typeof c.row === 'object' && c.row !== null));
    }
    return row;
  });
}

/**
 * The row field a problem of a saved test points at, from the rest of its path after `tests[k].` ('replacements[2]',
 * 'cases[0].label', 'class'); null when no single field is meant.
 */
export function behaviourFieldOf(rest: string): BehaviourField | null {
  const head = rest.split(/[.[]/)[0];
  if (head === 'class') return 'className';
  const fields: readonly string[] = ['kind', 'name', 'column', 'replacements', 'tolerance', 'delta', 'expect', 'cases'];
  return fields.includes(head) ? (head as BehaviourField) : null;
}
