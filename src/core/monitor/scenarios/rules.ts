// The alert rules a scenario's expectation stands for, ready to install, so "the expected alert fires within the
// stated windows" is checked with exactly the rule the scenario states.

import { SIGNALS } from '../alerts/signals';
import type { AlertRule } from '../alerts/types';
import type { AlertSignal } from '../alerts/signals';
import { SCENARIOS } from './scenarios';
import type { Scenario, SuggestedRule } from './types';

function ruleOf(scenario: Scenario, signal: AlertSignal, column: string | undefined, suggested: SuggestedRule): AlertRule {
  // A signal measured over all columns (unseen categories, for instance) takes no column even when the change is in one.
  const perColumn = column !== undefined && SIGNALS[signal].column !== 'none';
  return {
    id: `${scenario.id}.${signal}${perColumn ? `.${column}` : ''}`,
    name: `${scenario.title}: ${signal.replaceAll('_', ' ')}${perColumn ? ` of "${column}"` : ''}`,
    signal,
    window: { kind: 'count', size: scenario.windowSize },
    comparator: suggested.comparator,
    threshold: suggested.threshold,
    for: suggested.for,
    severity: 'warning',
    ...(perColumn ? { column } : {}),
  };
}

/** The rules of the scenario's own expectation (its signal, then the others it moves). */
function ownRules(scenario: Scenario): AlertRule[] {
  const { expect } = scenario;
  const out: AlertRule[] = [];
  if (expect.signal !== 'none' && expect.rule) out.push(ruleOf(scenario, expect.signal, expect.column, expect.rule));
  for (const also of expect.also) out.push(ruleOf(scenario, also.signal, also.column, also.rule));
  return out;
}

/**
 * The rules to install for a scenario. A control has none of its own, so it gets every rule of the other scenarios on
 * its sample: "nothing fires" then means none of the alerts the shifted replays raise is raised by unchanged traffic.
 */
export function scenarioRules(scenario: Scenario, all: readonly Scenario[] = SCENARIOS): AlertRule[] {
  if (scenario.expect.signal !== 'none') return ownRules(scenario);
  return all.filter((s) => s.sample === scenario.sample && s.id !== scenario.id && s.windowSize === scenario.windowSize).flatMap(ownRules);
}
