// One evaluation step of the alert rules: given each rule's value for the window that just closed, moves each rule's
// alert along inactive -> pending -> firing -> resolved -> inactive and says what changed. Pure and deterministic:
// the time of everything is the window it was computed on, never a clock.

import type { AlertEvent, AlertInstance, AlertRule, AlertsState, Comparator, RuleSnapshot, WindowSpan } from './types';

export function emptyAlertsState(): AlertsState {
  return { alerts: [] };
}

/** Whether `value <comparator> threshold`: the rule's condition. */
export function conditionHolds(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

/**
 * A rule's value for the window, or null when the signal has none there: no labels have arrived yet for a realized
 * figure, no request for a latency, a statistic that came out NaN. A missing entry means the same (the rule's window
 * did not close in this step).
 */
export type WindowValues = Readonly<Record<string, number | null | undefined>>;

export interface AlertStep {
  state: AlertsState;
  /** In the order of the rules, then the alerts of removed rules. */
  events: AlertEvent[];
}

function snapshot(rule: AlertRule): RuleSnapshot {
  const s: RuleSnapshot = { name: rule.name, signal: rule.signal, comparator: rule.comparator, severity: rule.severity };
  if (rule.column !== undefined) s.column = rule.column;
  if (rule.description !== undefined) s.description = rule.description;
  return s;
}

function event(alert: AlertInstance, kind: AlertEvent['kind'], at: WindowSpan, cause: AlertEvent['cause'] = 'condition'): AlertEvent {
  return {
    id: `${alert.id}:${kind}`,
    kind,
    alertId: alert.id,
    ruleId: alert.ruleId,
    rule: alert.rule,
    value: alert.value,
    threshold: alert.threshold,
    window: { ...at },
    at: at.end,
    since: alert.since,
    firedAt: alert.firedAt,
    cause,
  };
}

/** Windows the condition must hold in a row; a `for` below 1 (refused by checkRule) behaves as 1: fire at once. */
const needed = (rule: AlertRule) => Math.max(1, Math.floor(rule.for));

function start(rule: AlertRule, value: number, at: WindowSpan): AlertInstance {
  const fires = needed(rule) === 1;
  const state = fires ? 'firing' : 'pending';
  return {
    id: `${rule.id}@${at.start}`,
    ruleId: rule.id,
    rule: snapshot(rule),
    state,
    since: at.start,
    firedAt: fires ? at.end : null,
    resolvedAt: null,
    consecutive: 1,
    value,
    threshold: rule.threshold,
    transitions: [{ state, window: { ...at }, value, threshold: rule.threshold }],
    acknowledged: null,
  };
}

/** The rule's alert after one window with a value; null when a pending alert is dropped. */
function advance(rule: AlertRule, alert: AlertInstance | undefined, value: number, at: WindowSpan, events: AlertEvent[]): AlertInstance | null {
  const holds = conditionHolds(value, rule.comparator, rule.threshold);
  const active = alert !== undefined && alert.state !== 'resolved';
  if (!active) {
    if (!holds) return alert ?? null;
    const fresh = start(rule, value, at);
    events.push(event(fresh, fresh.state === 'firing' ? 'firing' : 'pending', at));
    return fresh;
  }
  const seen = { ...alert, rule: snapshot(rule), value, threshold: rule.threshold };
  const mark = { window: { ...at }, value, threshold: rule.threshold };
  if (!holds) {
    if (alert.state === 'pending') {
      events.push(event(seen, 'dropped', at));
      return null;
    }
    const resolved: AlertInstance = { ...seen, state: 'resolved', resolvedAt: at.end, transitions: [...alert.transitions, { state: 'resolved', ...mark }] };
    events.push(event(resolved, 'resolved', at));
    return resolved;
  }
  const consecutive = alert.consecutive + 1;
  if (alert.state === 'pending' && consecutive >= needed(rule)) {
    const firing: AlertInstance = { ...seen, consecutive, state: 'firing', firedAt: at.end, transitions: [...alert.transitions, { state: 'firing', ...mark }] };
    events.push(event(firing, 'firing', at));
    return firing;
  }
  return { ...seen, consecutive };
}

/** A removed rule takes its alert with it: a pending one is dropped and a firing one resolved, so receivers hear of it. */
function retire(alert: AlertInstance, at: WindowSpan, events: AlertEvent[]): void {
  if (alert.state === 'pending') events.push(event(alert, 'dropped', at, 'rule-removed'));
  if (alert.state === 'firing') {
    const resolved: AlertInstance = { ...alert, state: 'resolved', resolvedAt: at.end };
    events.push(event(resolved, 'resolved', at, 'rule-removed'));
  }
}

/**
 * Advances every rule by the window `at` that just closed. A rule whose value is null or missing neither advances nor
 * resets: a pending alert stays pending with the same count and a firing one keeps firing, since "no labels yet" is not
 * evidence that the condition stopped. A rule's `for` is counted in evaluated windows, so gaps without a value do not
 * break a run. Rules that share a window length (see windowKey) are stepped together; the others are left out of
 * `values` and stay as they are.
 */
export function stepAlerts(state: AlertsState, rules: readonly AlertRule[], values: WindowValues, at: WindowSpan): AlertStep {
  if (!Number.isFinite(at.start) || !Number.isFinite(at.end) || at.end < at.start) {
    throw new Error(`stepAlerts: the window must have finite times with start <= end, not ${at.start}..${at.end}`);
  }
  const byRule = new Map(state.alerts.map((a) => [a.ruleId, a]));
  const events: AlertEvent[] = [];
  const alerts: AlertInstance[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id)) throw new Error(`stepAlerts: two rules share the id "${rule.id}"; checkRules refuses such a list`);
    seen.add(rule.id);
    const current = byRule.get(rule.id);
    const raw = values[rule.id];
    const next = raw === null || raw === undefined || Number.isNaN(raw) ? (current ?? null) : advance(rule, current, raw, at, events);
    if (next) alerts.push(next);
  }
  for (const alert of state.alerts) if (!seen.has(alert.ruleId)) retire(alert, at, events);
  return { state: { alerts }, events };
}

/** The rule's current alert, pending, firing or its last resolved one; null when it never raised one (or it was dropped). */
export function alertOfRule(state: AlertsState, ruleId: string): AlertInstance | null {
  return state.alerts.find((a) => a.ruleId === ruleId) ?? null;
}

/** The rule's place in the machine: resolved is the inactive rule's memory of its last alert. */
export function ruleStatus(state: AlertsState, ruleId: string): 'inactive' | 'pending' | 'firing' {
  const alert = alertOfRule(state, ruleId);
  return alert === null || alert.state === 'resolved' ? 'inactive' : alert.state;
}
