// Seeded fuzz of the state machine against an oracle that knows nothing of states: a rule fires in exactly the windows
// where its last `for` evaluated values all met the condition, windows without a value being skipped.

import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/core/shared/rng';
import { emptyAlertsState, ruleStatus, stepAlerts, type AlertEvent, type AlertRule, type AlertsState } from '../../../src/core/monitor/alerts';

const RULES = 4;
const WINDOWS = 60;

function makeRule(i: number, forN: number): AlertRule {
  return { id: `r${i}`, name: `r${i}`, signal: 'error_rate', window: { kind: 'count', size: 10 }, comparator: '>', threshold: 0.5, for: forN, severity: 'info' };
}

/** What state the rule should be in after window t, from the raw sequence only. */
function oracle(values: (number | null)[], forN: number, t: number): 'inactive' | 'pending' | 'firing' {
  const seen = values.slice(0, t + 1).filter((v): v is number => v !== null);
  let run = 0;
  for (let i = seen.length - 1; i >= 0 && seen[i] > 0.5; i--) run++;
  if (run >= forN) return 'firing';
  return run > 0 ? 'pending' : 'inactive';
}

describe('alert state machine against the oracle', () => {
  for (let seed = 1; seed <= 40; seed++) {
    it(`seed ${seed}`, () => {
      const rand = mulberry32(seed);
      const rules = Array.from({ length: RULES }, (_, i) => makeRule(i, 1 + Math.floor(rand() * 4)));
      const pTrue = 0.3 + rand() * 0.5;
      const values = rules.map(() => Array.from({ length: WINDOWS }, () => (rand() < 0.15 ? null : rand() < pTrue ? 0.9 : 0.1)));
      let state: AlertsState = emptyAlertsState();
      const events: AlertEvent[] = [];
      for (let t = 0; t < WINDOWS; t++) {
        const step = stepAlerts(state, rules, Object.fromEntries(rules.map((r, i) => [r.id, values[i][t]])), { start: t * 10, end: t * 10 + 9 });
        state = step.state;
        events.push(...step.events);
        rules.forEach((r, i) => expect(ruleStatus(state, r.id), `${r.id} (for ${r.for}) after window ${t}`).toBe(oracle(values[i], r.for, t)));
      }
      // Each alert tells one coherent story: it starts pending (or firing when for is 1), fires at most once, and
      // ends once, by a drop if it never fired or a resolution if it did.
      const byAlert = new Map<string, string[]>();
      for (const e of events) byAlert.set(e.alertId, [...(byAlert.get(e.alertId) ?? []), e.kind]);
      for (const [alertId, kinds] of byAlert) {
        const forN = rules.find((r) => alertId.startsWith(`${r.id}@`))!.for;
        const story = kinds.join(',');
        const allowed = forN === 1 ? /^firing(,resolved)?$/ : /^pending(,dropped|,firing(,resolved)?)?$/;
        expect(story, alertId).toMatch(allowed);
      }
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    });
  }
});
