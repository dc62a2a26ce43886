// What the compare view draws for the runs picked: parameter rows, overlaid curves and the two plots are computed
// here from the table's state, so components receive views and call no core function themselves.

import type { RunColumn } from '../../core/evaluate/runs/columns';
import { visibleParamRows, type ParamRow } from '../../core/evaluate/runs/compare';
import { metricDirection } from '../../core/evaluate/runs/direction';
import { alignHistories, historyKeys, type AlignedHistories } from '../../core/evaluate/runs/history';
import { parallelPlot, scatterPlot, type ParallelPlot, type ScatterPlot } from '../../core/evaluate/runs/plot';
import { scatterAxes, type ScatterAxes } from '../../core/evaluate/runs/scatter-axes';
import type { RunTableState } from './run-table.svelte';

export type { AlignedHistories, ParamRow, ParallelPlot, ScatterPlot };
export type { Axis } from '../../core/evaluate/runs/plot';

/** One run's line in the curve summary; `last` and `best` are null when it logged no finite value. */
export interface CurveSummary {
  points: number;
  last: number | null;
  best: number | null;
}

export class RunComparison {
  readonly #table: RunTableState;

  /** Metrics any compared run logged per epoch, in first-logged order. */
  curveKeys = $derived.by(() => [...new Set(this.#table.compared.flatMap((r) => historyKeys(r.history)))]);
  /** The validation loss when the runs have one: it is the curve that shows overfitting. */
  defaultCurveKey = $derived(this.curveKeys.find((k) => k === 'val_loss') ?? this.curveKeys[0] ?? '');

  constructor(table: RunTableState) {
    this.#table = table;
  }

  paramRows(onlyDifferences: boolean): ParamRow[] {
    return visibleParamRows(this.#table.compared, onlyDifferences);
  }

  /** The compared runs' `key` on one step axis, in the order the runs were picked. */
  curves(key: string): AlignedHistories {
    return alignHistories(
      this.#table.compared.map((r) => r.history),
      key,
    );
  }

  curveSummary(key: string): CurveSummary[] {
    const lower = !this.higherIsBetter(key);
    return this.curves(key).values.map((ys) => {
      const finite = ys.filter((v): v is number => v !== null);
      if (finite.length === 0) return { points: 0, last: null, best: null };
      return { points: finite.length, last: finite[finite.length - 1], best: lower ? Math.min(...finite) : Math.max(...finite) };
    });
  }

  higherIsBetter(metricKey: string): boolean {
    return metricDirection(metricKey) === 'max';
  }

  /** One axis per parameter column, then the goal. */
  parallel(goal: RunColumn | null): ParallelPlot {
    const params = this.#table.columns.filter((c) => c.kind === 'param');
    return parallelPlot(this.#table.compared, params, goal, this.#table.pick);
  }

  /** The scatter's axis choices and the pair shown: the user's, else the parameter the runs differ in against the goal. */
  scatterAxes(goalId: string, chosen: { x: string; y: string }): ScatterAxes {
    return scatterAxes(this.#table.columns, this.#table.compared, this.#table.pick, goalId, chosen);
  }

  scatter(x: RunColumn, y: RunColumn): ScatterPlot {
    return scatterPlot(this.#table.compared, x, y, this.#table.pick);
  }
}
