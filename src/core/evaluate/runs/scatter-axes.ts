// The axes the compare view's scatter offers and the pair it starts with, so the first picture already says
// something: the parameter the runs differ in, against the project's goal metric.

import type { Run } from '../../shared/types';
import { cellValue, type RunColumn } from './columns';
import type { HistoryPick } from './history';

export interface ScatterAxes {
  /** What may go across: parameters, metrics, history figures and the run's duration. */
  xChoices: RunColumn[];
  /** What may go up: metrics and history figures. */
  yChoices: RunColumn[];
  x: RunColumn | undefined;
  y: RunColumn | undefined;
}

/**
 * The chosen columns while they are offered; otherwise x is the first parameter whose value differs between `runs`
 * (else the first choice) and y the goal metric `goalId` (else the first choice).
 */
export function scatterAxes(
  columns: readonly RunColumn[],
  runs: readonly Run[],
  pick: HistoryPick,
  goalId: string,
  chosen: { x: string; y: string },
): ScatterAxes {
  const xChoices = columns.filter((c) => c.kind === 'param' || c.kind === 'metric' || c.kind === 'history' || c.id === 'info:duration');
  const yChoices = columns.filter((c) => c.kind === 'metric' || c.kind === 'history');
  const varies = (c: RunColumn) => new Set(runs.map((r) => String(cellValue(r, c, pick)))).size > 1;
  const x = xChoices.find((c) => c.id === chosen.x) ?? xChoices.find((c) => c.kind === 'param' && varies(c)) ?? xChoices[0];
  const y = yChoices.find((c) => c.id === chosen.y) ?? yChoices.find((c) => c.id === goalId) ?? yChoices[0];
  return { xChoices, yChoices, x, y };
}
