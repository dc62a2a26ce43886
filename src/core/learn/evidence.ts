// Short, exact descriptions of stored things, for a step's evidence: names, figures and ids as the screens show them.

import { higherIsBetter } from '../evaluate/run-report';
import type { DatasetVersion, Goal, ModelVersion, Run } from '../shared/types';
import type { LoopFacts, StepCheck } from './types';

export function figure(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return String(n);
  return String(Number(n.toPrecision(4)));
}

export function done(evidence: string): StepCheck {
  return { done: true, evidence };
}

export function notYet(sofar: string | null = null): StepCheck {
  return { done: false, sofar };
}

/** The item with the latest `at`, or undefined when there is none. */
export function newest<T>(items: readonly T[], at: (item: T) => number): T | undefined {
  let best: T | undefined;
  for (const item of items) if (best === undefined || at(item) > at(best)) best = item;
  return best;
}

export function versionText(v: DatasetVersion): string {
  const { train, validation, test } = v.split.counts;
  return `"${v.name}": ${v.rowCount} rows (train ${train}, validation ${validation}, test ${test}), id ${v.id.slice(0, 12)}…`;
}

export function goalText(goal: Goal): string {
  return `${goal.metric} ${higherIsBetter(goal.metric) ? '≥' : '≤'} ${figure(goal.bar)}`;
}

export function finishedRuns(runs: readonly Run[]): Run[] {
  return runs.filter((r) => r.status === 'finished' && r.model !== null);
}

export function runText(run: Run, goal: Goal): string {
  return `run "${run.name}": test ${goal.metric} ${figure(run.metrics[goal.metric])}`;
}

export function modelText(v: ModelVersion): string {
  return `${v.name} v${v.version}`;
}

export function pipelineName(facts: LoopFacts, id: string): string {
  return facts.pipelines.find((p) => p.id === id)?.name ?? 'a deleted pipeline';
}
