// The lessons, and how far the open project has come in one: judged from what is stored, never ticked by hand.

import { DATA_LESSON } from './data-lesson';
import { EXPERIMENTS_LESSON } from './experiments-lesson';
import { GATES_LESSON } from './gates-lesson';
import { LOOP_LESSON } from './loop-lesson';
import { MONITOR_LESSON } from './monitor-lesson';
import type { Lesson, LessonProgress, LoopFacts } from './types';

export type { Lesson, LessonProgress, LessonStage, LessonStep, LoopFacts, StepCheck, StepProgress } from './types';

export const LESSONS: readonly Lesson[] = [LOOP_LESSON, DATA_LESSON, EXPERIMENTS_LESSON, GATES_LESSON, MONITOR_LESSON];

export function progressOf(lesson: Lesson, facts: LoopFacts): LessonProgress {
  const steps = lesson.steps.map((step) => ({ step, check: step.check(facts) }));
  return {
    lesson,
    steps,
    done: steps.filter((s) => s.check.done).length,
    next: steps.find((s) => !s.check.done)?.step ?? null,
  };
}
