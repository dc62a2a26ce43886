import { describe, expect, it } from 'vitest';
import {
  alertOfRule,
  emptyAlertsState,
  ruleStatus,
  stepAlerts,
  type AlertEvent,
  type AlertRule,
  type AlertsState,
} from '../../../src/core/monitor/alerts';

const rule = (over: Partial<AlertRule> = {}): AlertRule => ({
  id: 'err',
  name: 'Errors climb',
  signal: 'error_rate',
  window: { kind: 'count', size: 100 },
  comparator: '>',
  threshold: 0.1,
  for: 3,
  severity: 'warning',
  ...over,
});

/** Window i spans [1000 i, 1000 i + 999]. */
const win = (i: number) => ({ start: i * 1000, end: i * 1000 + 999 });

/** Runs `values` (one per window, for rule `r`) from an empty state; returns every step's state and events. */
function run(r: AlertRule, values: (number | null)[]) {
  let state: AlertsState = emptyAlertsState();
  const steps: { state: AlertsState; events: AlertEvent[] }[] = [];
  values.forEach((v, i) => {
    const step = stepAlerts(state, [r], { [r.id]: v }, win(i));
    state = step.state;
    steps.push(step);
  });
  return steps;
}

const kinds = (steps: { events: AlertEvent[] }[]) => steps.map((s) => s.events.map((e) => e.kind).join(',') || '-');
const statuses = (r: AlertRule, steps: { state: AlertsState }[]) => steps.map((s) => ruleStatus(s.state, r.id));

describe('stepAlerts', () => {
  it('for=3: pending on the first two windows, firing on the third, resolved when it stops', () => {
    const r = rule();
    const steps = run(r, [0.2, 0.3, 0.4, 0.5, 0.05, 0.01]);
    expect(kinds(steps)).toEqual(['pending', '-', 'firing', '-', 'resolved', '-']);
    expect(statuses(r, steps)).toEqual(['pending', 'pending', 'firing', 'firing', 'inactive', 'inactive']);
    const firing = steps[3].state.alerts[0];
    expect(firing).toMatchObject({ id: 'err@0', state: 'firing', since: 0, firedAt: 2999, resolvedAt: null, consecutive: 4, value: 0.5, threshold: 0.1 });
    const resolved = alertOfRule(steps[5].state, 'err');
    expect(resolved).toMatchObject({ state: 'resolved', since: 0, firedAt: 2999, resolvedAt: 4999 });
    expect(resolved?.transitions).toEqual([
      { state: 'pending', window: win(0), value: 0.2, threshold: 0.1 },
      { state: 'firing', window: win(2), value: 0.4, threshold: 0.1 },
      { state: 'resolved', window: win(4), value: 0.05, threshold: 0.1 },
    ]);
  });

  it('events carry the value, the threshold, the window and the rule as it was', () => {
    const steps = run(rule(), [0.2, 0.3, 0.4, 0.05]);
    expect(steps[2].events).toEqual([
      {
        id: 'err@0:firing',
        kind: 'firing',
        alertId: 'err@0',
        ruleId: 'err',
        rule: { name: 'Errors climb', signal: 'error_rate', comparator: '>', severity: 'warning' },
        value: 0.4,
        threshold: 0.1,
        window: win(2),
        at: 2999,
        since: 0,
        firedAt: 2999,
        cause: 'condition',
      },
    ]);
    expect(steps[3].events[0]).toMatchObject({ kind: 'resolved', value: 0.05, window: win(3), at: 3999, firedAt: 2999 });
  });

  it('for=1 fires on the first window that meets the condition, with no pending step', () => {
    const r = rule({ for: 1 });
    const steps = run(r, [0.05, 0.2, 0.3, 0.0]);
    expect(kinds(steps)).toEqual(['-', 'firing', '-', 'resolved']);
    expect(steps[1].state.alerts[0]).toMatchObject({ since: 1000, firedAt: 1999, consecutive: 1 });
    expect(steps[1].state.alerts[0].transitions.map((t) => t.state)).toEqual(['firing']);
  });

  it('a for below 1 (refused by checkRule) behaves as 1', () => {
    expect(kinds(run(rule({ for: 0 }), [0.2]))).toEqual(['firing']);
  });

  it('a gap in the condition drops a pending alert and restarts the count', () => {
    const r = rule();
    const steps = run(r, [0.2, 0.3, 0.05, 0.2, 0.2, 0.2]);
    expect(kinds(steps)).toEqual(['pending', '-', 'dropped', 'pending', '-', 'firing']);
    expect(steps[2].events[0]).toMatchObject({ alertId: 'err@0', value: 0.05, firedAt: null });
    expect(alertOfRule(steps[2].state, 'err')).toBeNull();
    expect(steps[5].state.alerts[0]).toMatchObject({ id: 'err@3000', since: 3000, firedAt: 5999 });
  });

  it('a window without a value neither advances nor resets', () => {
    const r = rule();
    const steps = run(r, [0.2, null, 0.3, null, 0.4, null, Number.NaN, 0.01]);
    expect(kinds(steps)).toEqual(['pending', '-', '-', '-', 'firing', '-', '-', 'resolved']);
    expect(steps[1].state.alerts[0]).toEqual(steps[0].state.alerts[0]);
    expect(steps[3].state.alerts[0].consecutive).toBe(2);
    expect(steps[5].state.alerts[0]).toMatchObject({ state: 'firing', value: 0.4 });
    // A rule left out of the values is not evaluated either.
    const skipped = stepAlerts(steps[4].state, [r], {}, win(9));
    expect(skipped).toEqual({ state: steps[4].state, events: [] });
  });

  it('resolves and then fires again as a new, unacknowledged alert', () => {
    const r = rule({ for: 2 });
    const steps = run(r, [0.2, 0.2, 0.0, 0.0, 0.3, 0.3]);
    expect(kinds(steps)).toEqual(['pending', 'firing', 'resolved', '-', 'pending', 'firing']);
    // The resolved alert is kept while the rule is inactive, then replaced by the next one.
    expect(steps[3].state.alerts[0]).toMatchObject({ id: 'err@0', state: 'resolved' });
    expect(steps[5].state.alerts[0]).toMatchObject({ id: 'err@4000', state: 'firing', since: 4000, resolvedAt: null, acknowledged: null });
  });

  it('honours each comparator, equality included', () => {
    const at = (comparator: AlertRule['comparator'], v: number) =>
      stepAlerts(emptyAlertsState(), [rule({ for: 1, comparator })], { err: v }, win(0)).events.length;
    expect([at('>', 0.1), at('>', 0.11)]).toEqual([0, 1]);
    expect([at('>=', 0.09), at('>=', 0.1)]).toEqual([0, 1]);
    expect([at('<', 0.1), at('<', 0.09)]).toEqual([0, 1]);
    expect([at('<=', 0.11), at('<=', 0.1)]).toEqual([0, 1]);
  });

  it('steps several rules independently, events in rule order', () => {
    const a = rule({ id: 'a', for: 1 });
    const b = rule({ id: 'b', for: 2, signal: 'accuracy_realized', comparator: '<', threshold: 0.8 });
    let s = stepAlerts(emptyAlertsState(), [a, b], { a: 0.5, b: 0.5 }, win(0));
    expect(s.events.map((e) => `${e.ruleId}:${e.kind}`)).toEqual(['a:firing', 'b:pending']);
    s = stepAlerts(s.state, [a, b], { a: 0.0, b: null }, win(1));
    expect(s.events.map((e) => `${e.ruleId}:${e.kind}`)).toEqual(['a:resolved']);
    expect(ruleStatus(s.state, 'b')).toBe('pending');
    s = stepAlerts(s.state, [a, b], { a: 0.0, b: 0.7 }, win(2));
    expect(s.events.map((e) => `${e.ruleId}:${e.kind}`)).toEqual(['b:firing']);
  });

  it('uses the rule as it is now: an edited threshold applies to the next window', () => {
    const steps = run(rule({ for: 2 }), [0.2]);
    const s = stepAlerts(steps[0].state, [rule({ for: 2, threshold: 0.5 })], { err: 0.2 }, win(1));
    expect(s.events.map((e) => e.kind)).toEqual(['dropped']);
    expect(s.events[0].threshold).toBe(0.5);
  });

  it('a removed rule drops its pending alert and resolves its firing one', () => {
    const p = rule({ id: 'p', for: 5 });
    const f = rule({ id: 'f', for: 1, severity: 'critical' });
    const s0 = stepAlerts(emptyAlertsState(), [p, f], { p: 0.5, f: 0.5 }, win(0));
    const s1 = stepAlerts(s0.state, [], {}, win(1));
    expect(s1.state.alerts).toEqual([]);
    expect(s1.events.map((e) => [e.ruleId, e.kind, e.cause, e.at])).toEqual([
      ['p', 'dropped', 'rule-removed', 1999],
      ['f', 'resolved', 'rule-removed', 1999],
    ]);
    expect(s1.events[1].rule.severity).toBe('critical');
  });

  it('is pure: the input state is not changed and the same input gives the same output', () => {
    const r = rule({ for: 2 });
    const s0 = stepAlerts(emptyAlertsState(), [r], { err: 0.5 }, win(0)).state;
    const frozen = JSON.stringify(s0);
    const a = stepAlerts(s0, [r], { err: 0.5 }, win(1));
    const b = stepAlerts(s0, [r], { err: 0.5 }, win(1));
    expect(a).toEqual(b);
    expect(JSON.stringify(s0)).toBe(frozen);
  });

  it('refuses a window that ends before it starts, and rules sharing an id', () => {
    expect(() => stepAlerts(emptyAlertsState(), [rule()], {}, { start: 5, end: 4 })).toThrow(/start <= end/);
    expect(() => stepAlerts(emptyAlertsState(), [rule(), rule()], {}, win(0))).toThrow(/share the id "err"/);
  });
});
