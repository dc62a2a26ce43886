// Lesson 2: delivery as CI/CD: a pipeline tests a candidate and its gates decide whether the champion alias moves.

import { done, newest, notYet, pipelineName } from './evidence';
import { LOOP_STEPS } from './loop-lesson';
import type { Lesson, LessonStep } from './types';

const pipeline: LessonStep = {
  id: 'pipeline',
  title: 'Define a pipeline',
  stage: 'deliver',
  todo: 'In Deliver, under Pipelines, choose New pipeline, keep its source, training and performance thresholds, and choose Save pipeline.',
  why: 'A pipeline is the CI build of a model: the same stages in the same order every time (data tests, training, evaluation, behaviour tests, serving parity, gates), so nothing reaches users on somebody\'s say-so.',
  check: (facts) => {
    const p = facts.pipelines[0];
    if (!p) return notYet();
    const others = facts.pipelines.length - 1;
    return done(`Pipeline "${p.name}" with ${p.tests.length} test${p.tests.length === 1 ? '' : 's'}${others > 0 ? ` (and ${others} more)` : ''}.`);
  },
};

const refused: LessonStep = {
  id: 'refused',
  title: 'See a gate refuse a candidate',
  stage: 'deliver',
  todo: 'Edit the pipeline, raise a performance threshold above what the model reaches (accuracy at least 0.999, say), save, and run it (Run followed by its name): the candidate is trained, scored and refused.',
  why: 'A gate is a threshold on evidence, like TensorFlow Model Analysis\' value and change thresholds: a candidate that fails one never moves the alias, and the run keeps the figures that failed it.',
  check: (facts) => {
    const run = newest(
      facts.pipelineRuns.filter((r) => r.status === 'failed' && r.failure !== null && r.failure.stage !== 'train' && r.failure.stage !== 'promote'),
      (r) => r.endedAt ?? r.createdAt,
    );
    if (!run || !run.failure) return notYet();
    return done(`A run of "${pipelineName(facts, run.pipelineId)}" stopped at ${run.failure.stage}: ${run.failure.reason}`);
  },
};

const promoted: LessonStep = {
  id: 'promoted',
  title: 'Let a pipeline promote',
  stage: 'deliver',
  todo: 'Set the thresholds back to what a good model reaches and run the pipeline again: every gate passes and the promote stage moves the alias.',
  why: 'Promotion by a passing pipeline is reproducible and audited: the audit log says which pipeline run moved the alias, and the run holds the evidence behind it.',
  check: (facts) => {
    const run = newest(
      facts.pipelineRuns.filter((r) => r.outputs.promoted !== undefined),
      (r) => r.endedAt ?? r.createdAt,
    );
    const moved = run?.outputs.promoted;
    if (!run || !moved) return notYet();
    const from = moved.from === null ? 'nowhere' : `v${moved.from}`;
    return done(`A run of "${pipelineName(facts, run.pipelineId)}" moved ${moved.alias} of ${moved.model} from ${from} to v${moved.to}.`);
  },
};

export const GATES_LESSON: Lesson = {
  id: 'gates',
  title: 'Gates keep bad models out',
  summary: 'Delivery as CI/CD: a pipeline trains and tests a candidate, and its gates decide, with evidence, whether it replaces the champion.',
  steps: [LOOP_STEPS.champion, pipeline, refused, promoted],
};
