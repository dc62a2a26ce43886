// Checks alert rules read as JSON (a form, an import or a hand edit) and reports every problem located by path, in the
// style of the pipeline checker: unknown fields are refused (most often a typo of a real one), and a threshold that
// the signal can never cross, or always crosses, is refused too, since such a rule would never or always fire.

import { SIGNALS, isAlertSignal, type AlertSignal } from './signals';
import { COMPARATORS, SEVERITIES, type AlertRule, type Comparator, type RuleProblem } from './types';

export const RULE_ID_MAX = 100;
export const RULE_NAME_MAX = 100;
export const RULE_DESCRIPTION_MAX = 1000;
export const RULE_FOR_MAX = 1000;
export const RULES_MAX = 200;
export const COUNT_WINDOW_MAX = 1_000_000;
/** A year and a day: long enough for the seasonal scenarios on a virtual clock. */
export const TIME_WINDOW_MAX_MS = 366 * 24 * 3600 * 1000;

const RULE_FIELDS = ['id', 'name', 'signal', 'window', 'comparator', 'threshold', 'for', 'severity', 'column', 'description'];
const COLUMNS_SHOWN = 10;

/** What checking a rule may know about the model it watches; anything left out is not checked. */
export interface RuleContext {
  /** The model's input columns. */
  columns?: readonly string[];
  task?: 'classification' | 'regression';
}

type Fields = Record<string, unknown>;

function isRecord(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const join = (at: string, field: string) => (at === '' ? field : `${at}.${field}`);

function extraFields(v: Fields, allowed: readonly string[], at: string, out: RuleProblem[]): void {
  for (const key of Object.keys(v)) if (!allowed.includes(key)) out.push({ path: join(at, key), message: `unknown field "${key}"` });
}

function checkText(v: Fields, key: string, max: number, out: RuleProblem[], optional = false): void {
  if (optional && v[key] === undefined) return;
  const text = v[key];
  if (typeof text !== 'string' || text.trim() === '' || text.length > max) {
    out.push({ path: key, message: `"${key}" must be text of 1 to ${max} characters, not only spaces` });
  }
}

function checkWindow(v: unknown, out: RuleProblem[]): void {
  if (!isRecord(v)) {
    out.push({ path: 'window', message: '"window" must be {"kind": "count", "size"} (so many requests) or {"kind": "time", "ms"} (so long)' });
    return;
  }
  const whole = (x: unknown, min: number, max: number) => typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max;
  if (v.kind === 'count') {
    extraFields(v, ['kind', 'size'], 'window', out);
    if (!whole(v.size, 1, COUNT_WINDOW_MAX)) out.push({ path: 'window.size', message: `"size" must be a whole number of requests from 1 to ${COUNT_WINDOW_MAX}` });
  } else if (v.kind === 'time') {
    extraFields(v, ['kind', 'ms'], 'window', out);
    if (!whole(v.ms, 1, TIME_WINDOW_MAX_MS)) out.push({ path: 'window.ms', message: `"ms" must be a whole number of milliseconds from 1 to ${TIME_WINDOW_MAX_MS} (366 days)` });
  } else {
    out.push({ path: 'window.kind', message: '"kind" must be "count" (windows of so many requests) or "time" (windows of so many milliseconds)' });
  }
}

const shown = (x: number) => (x === Number.POSITIVE_INFINITY ? 'no upper limit' : String(x));

/** Whether `value <comparator> threshold` can hold for some value of the signal, and whether it holds for all. */
function reach(c: Comparator, t: number, min: number, max: number): { ever: boolean; always: boolean } {
  switch (c) {
    case '>':
      return { ever: t < max, always: t < min };
    case '>=':
      return { ever: t <= max, always: t <= min };
    case '<':
      return { ever: t > min, always: t > max };
    case '<=':
      return { ever: t >= min, always: t >= max };
  }
}

function checkThreshold(def: Fields, signal: AlertSignal | null, comparator: Comparator | null, out: RuleProblem[]): void {
  const t = def.threshold;
  if (typeof t !== 'number' || !Number.isFinite(t)) {
    out.push({ path: 'threshold', message: '"threshold" must be a finite number' });
    return;
  }
  if (signal === null || comparator === null) return;
  const { min, max, unit } = SIGNALS[signal];
  const { ever, always } = reach(comparator, t, min, max);
  const range = `${signal} (${unit}) runs from ${min} to ${shown(max)}`;
  if (!ever) out.push({ path: 'threshold', message: `"${signal} ${comparator} ${t}" can never hold: ${range}` });
  else if (always) out.push({ path: 'threshold', message: `"${signal} ${comparator} ${t}" always holds, so the rule would always fire: ${range}` });
}

function checkColumn(def: Fields, signal: AlertSignal, known: RuleContext, out: RuleProblem[]): void {
  const need = SIGNALS[signal].column;
  if (def.column === undefined) {
    if (need === 'required') out.push({ path: 'column', message: `${signal} watches one input column: "column" must name it` });
    return;
  }
  if (need === 'none') {
    out.push({ path: 'column', message: `${signal} is not measured per column: remove "column"` });
    return;
  }
  if (typeof def.column !== 'string' || def.column === '') {
    out.push({ path: 'column', message: '"column" must be the name of an input column' });
    return;
  }
  if (known.columns && !known.columns.includes(def.column)) {
    const list = known.columns.slice(0, COLUMNS_SHOWN).join(', ') + (known.columns.length > COLUMNS_SHOWN ? ', …' : '');
    out.push({ path: 'column', message: `unknown column "${def.column}"; the model's input columns are ${list || '(none)'}` });
  }
}

export type RuleCheck = { ok: true; rule: AlertRule } | { ok: false; problems: RuleProblem[] };

/** Every problem of one rule, located; the typed rule when there are none. */
export function checkRule(def: unknown, known: RuleContext = {}): RuleCheck {
  if (!isRecord(def)) return { ok: false, problems: [{ path: '', message: 'an alert rule must be an object' }] };
  const out: RuleProblem[] = [];
  extraFields(def, RULE_FIELDS, '', out);
  checkText(def, 'id', RULE_ID_MAX, out);
  checkText(def, 'name', RULE_NAME_MAX, out);
  checkText(def, 'description', RULE_DESCRIPTION_MAX, out, true);

  let signal: AlertSignal | null = null;
  if (!isAlertSignal(def.signal)) {
    out.push({ path: 'signal', message: `"signal" must be one of ${Object.keys(SIGNALS).join(', ')}` });
  } else {
    signal = def.signal;
    const task = SIGNALS[signal].task;
    if (known.task && task !== 'any' && task !== known.task) {
      out.push({ path: 'signal', message: `${signal} exists for ${task} models only; this model does ${known.task}` });
    }
    checkColumn(def, signal, known, out);
  }

  checkWindow(def.window, out);
  let comparator: Comparator | null = null;
  if ((COMPARATORS as readonly unknown[]).includes(def.comparator)) comparator = def.comparator as Comparator;
  else out.push({ path: 'comparator', message: `"comparator" must be one of ${COMPARATORS.join(' ')}` });
  checkThreshold(def, signal, comparator, out);

  const f = def.for;
  if (typeof f !== 'number' || !Number.isInteger(f) || f < 1 || f > RULE_FOR_MAX) {
    out.push({
      path: 'for',
      message: `"for" must be a whole number of windows from 1 to ${RULE_FOR_MAX}: 1 fires on the first window that meets the condition, 3 on the third in a row`,
    });
  }
  if (!(SEVERITIES as readonly unknown[]).includes(def.severity)) {
    out.push({ path: 'severity', message: `"severity" must be one of ${SEVERITIES.join(', ')}` });
  }
  return out.length === 0 ? { ok: true, rule: def as unknown as AlertRule } : { ok: false, problems: out };
}

export type RulesCheck = { ok: true; rules: AlertRule[] } | { ok: false; problems: RuleProblem[] };

/** Every problem of a list of rules, located as `[i].path`; two rules may not share an id. */
export function checkRules(list: unknown, known: RuleContext = {}): RulesCheck {
  if (!Array.isArray(list)) return { ok: false, problems: [{ path: '', message: 'alert rules must be a list of rule objects' }] };
  const out: RuleProblem[] = [];
  if (list.length > RULES_MAX) out.push({ path: '', message: `at most ${RULES_MAX} alert rules, not ${list.length}` });
  const firstWithId = new Map<string, number>();
  list.forEach((def, i) => {
    const r = checkRule(def, known);
    if (!r.ok) for (const p of r.problems) out.push({ path: p.path === '' ? `[${i}]` : `[${i}].${p.path}`, message: p.message });
    if (!isRecord(def) || typeof def.id !== 'string') return;
    const first = firstWithId.get(def.id);
    if (first === undefined) firstWithId.set(def.id, i);
    else out.push({ path: `[${i}].id`, message: `id "${def.id}" is already used by rule [${first}]` });
  });
  return out.length === 0 ? { ok: true, rules: list as AlertRule[] } : { ok: false, problems: out };
}

const UNITS: readonly [number, string][] = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1000, 'second'],
];

/** In the largest unit that divides it exactly: 7200000 reads "2 hours", 1500 reads "1500 ms". */
function duration(ms: number): string {
  for (const [size, unit] of UNITS) {
    if (ms % size === 0) return `${ms / size} ${unit}${ms === size ? '' : 's'}`;
  }
  return `${ms} ms`;
}

/** A sentence for the rule, e.g. `error_rate > 0.05 for 3 windows of 500 requests`. */
export function describeRule(rule: Pick<AlertRule, 'signal' | 'column' | 'comparator' | 'threshold' | 'for' | 'window'>): string {
  const signal = rule.column === undefined ? rule.signal : `${rule.signal}(${rule.column})`;
  const size = rule.window.kind === 'count' ? `${rule.window.size} requests` : duration(rule.window.ms);
  const span = rule.for === 1 ? `in a window of ${size}` : `for ${rule.for} windows of ${size} in a row`;
  return `${signal} ${rule.comparator} ${rule.threshold} ${span}`;
}

/** Rules with equal keys close their windows together, so the page evaluates them in one step. */
export function windowKey(window: AlertRule['window']): string {
  return window.kind === 'count' ? `count:${window.size}` : `time:${window.ms}`;
}
