import type { Goal, Project, Run } from '../core/types';
import { higherIsBetter, meetsGoal } from '../core/metrics';
import type { Services } from './services';

/** Every run of the open project, newest first, and the one being inspected. */
export class RunsState {
  list = $state.raw<Run[]>([]);
  selectedId = $state<string | null>(null);
  selected = $derived(this.list.find((r) => r.id === this.selectedId) ?? this.list.find((r) => r.status === 'finished') ?? null);

  constructor(private readonly services: Services) {}

  async load(project: Project): Promise<void> {
    this.list = await this.services.runs.list(project.id);
    if (this.selectedId && !this.list.some((r) => r.id === this.selectedId)) this.selectedId = null;
  }

  finished(): Run[] {
    return this.list.filter((r) => r.status === 'finished' && r.model !== null);
  }

  /** The finished run that does best on the project's goal metric. */
  best(goal: Goal): Run | null {
    const sign = higherIsBetter(goal.metric) ? 1 : -1;
    let best: Run | null = null;
    for (const run of this.finished()) {
      const value = run.metrics[goal.metric];
      if (value === undefined) continue;
      if (!best || sign * value > sign * (best.metrics[goal.metric] ?? -Infinity * sign)) best = run;
    }
    return best;
  }

  passes(run: Run, goal: Goal): boolean {
    return meetsGoal(run.metrics, goal);
  }
}
