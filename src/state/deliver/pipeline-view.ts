// What the Pipelines list and editor need to know about a definition's tests and training without importing the
// core's rules into components: which stage a test belongs to, counts by stage, replacing one stage's tests in place,
// and how many runs a sweep trains.

import { STAGE_OF_KIND, type Stage } from '../../core/deliver/gates';
import type { PipelineTest } from '../../core/deliver/pipeline';
import { sweepSize } from '../../core/train/sweep/check-sweep';
import type { SweepSpec } from '../../core/train/sweep/types';

export type TestStage = Stage;

/** In the order a run meets them. */
export const TEST_STAGES: readonly TestStage[] = ['data', 'training', 'behaviour', 'serving', 'performance'];

/** The stage that runs a test of this kind; null for a kind no stage knows (a hand-edited typo). */
export function stageOfTest(test: { kind: unknown }): TestStage | null {
  return typeof test.kind === 'string' && Object.hasOwn(STAGE_OF_KIND, test.kind) ? STAGE_OF_KIND[test.kind] : null;
}

/** How many tests each stage runs, stages without tests left out, in run order. */
export function testCounts(tests: readonly PipelineTest[]): { stage: TestStage; count: number }[] {
  return TEST_STAGES.map((stage) => ({ stage, count: tests.filter((t) => stageOfTest(t) === stage).length })).filter((c) => c.count > 0);
}

/** The tests with `stage`'s replaced by `next`, placed where that stage's first test was (at the end when none was). */
export function withStageTests(tests: readonly PipelineTest[], stage: TestStage, next: readonly PipelineTest[]): PipelineTest[] {
  const first = tests.findIndex((t) => stageOfTest(t) === stage);
  const others = tests.filter((t) => stageOfTest(t) !== stage);
  const at = first < 0 ? others.length : tests.slice(0, first).filter((t) => stageOfTest(t) !== stage).length;
  return [...others.slice(0, at), ...next, ...others.slice(at)];
}

/** The runs a sweep trains: the grid's combinations, or the random samples. */
export function sweepRuns(sweep: SweepSpec): number {
  return sweepSize(sweep);
}
