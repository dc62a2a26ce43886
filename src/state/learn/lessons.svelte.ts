import { LESSONS, progressOf, type LessonProgress, type LessonStage, type LoopFacts } from '../../core/learn';
import { aliasTarget } from '../../core/deliver/registry';
import type { ModelVersion } from '../../core/shared/types';
import { CHAMPION } from '../deliver/registry.svelte';
import type { Workbench } from '../workbench.svelte';

/**
 * The Lessons panel: how far the open project has come in each lesson, read from the state the stage screens keep
 * (so a step ticks itself the moment its evidence is stored and the stage state shows it). Build it only once
 * `workbench.loadStages()` has resolved.
 */
export class LessonsState {
  chosenId = $state(LESSONS[0].id);

  readonly facts: LoopFacts | null = $derived.by(() => this.#facts());
  readonly all: LessonProgress[] = $derived.by(() => {
    const facts = this.facts;
    return facts ? LESSONS.map((lesson) => progressOf(lesson, facts)) : [];
  });
  readonly chosen: LessonProgress | null = $derived(this.all.find((p) => p.lesson.id === this.chosenId) ?? null);

  constructor(private readonly wb: Workbench) {}

  choose(id: string): void {
    if (LESSONS.some((l) => l.id === id)) this.chosenId = id;
  }

  open(stage: LessonStage): void {
    this.wb.stage = stage;
  }

  #facts(): LoopFacts | null {
    const { wb } = this;
    const project = wb.project;
    if (!project) return null;
    return {
      project,
      versions: wb.catalogue.versions,
      savedExpectations: wb.analysis.savedCount,
      runs: wb.runs.list,
      modelVersions: wb.registry.versions,
      champion: this.#champion(),
      pipelines: wb.pipelines.pipelines,
      pipelineRuns: wb.pipelines.runs,
      logged: wb.monitor.total,
      alertEvents: wb.alerts.feed,
    };
  }

  /** The version the champion alias points at, in the first registered model that has one. */
  #champion(): ModelVersion | null {
    const { registry } = this.wb;
    for (const model of registry.models) {
      const version = aliasTarget(model, CHAMPION);
      if (version === null) continue;
      const found = registry.versions.find((v) => v.name === model.name && v.version === version);
      if (found) return found;
    }
    return null;
  }
}
