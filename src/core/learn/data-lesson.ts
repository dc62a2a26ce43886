// Lesson: data a model can be trusted with: expectations written down, transforms that travel to serving, and a
// pipeline that checks data before it trains.

import { done, finishedRuns, newest, notYet, pipelineName } from './evidence';
import type { Lesson, LessonStep } from './types';
import { plural } from '../shared/plural';

const suite: LessonStep = {
  id: 'suite',
  title: 'Write down what the data must look like',
  stage: 'data',
  todo: 'In Data, open a version, choose Suggest expectations from this version, adjust what it suggests, and choose Save suite.',
  why: 'Expectations turn "the data looks fine" into checks every new version is held to (ranges, allowed values, missing shares), as Great Expectations does: a broken export is caught by a rule, not by a person noticing.',
  check: ({ savedExpectations }) =>
    savedExpectations === null ? notYet() : done(`A suite of ${plural(savedExpectations, 'expectation')} is saved for this project.`),
};

const recipe: LessonStep = {
  id: 'recipe',
  title: 'Transform with a recipe into a new version',
  stage: 'data',
  todo: 'In Data, build a recipe on a version (impute, encode, scale, derive a column…) and apply it: the result is a new version whose lineage names its parent.',
  why: 'A recipe is fitted on the training split only and stored with the version it made, so the same transform replays on raw rows when the model serves: no skew between training and serving, no test rows leaking into the fit.',
  check: ({ versions }) => {
    const made = newest(
      versions.filter((v) => v.recipe && v.parents.length > 0),
      (v) => v.createdAt,
    );
    if (!made?.recipe) return notYet();
    const parent = versions.find((v) => v.id === made.parents[0]);
    const from = parent ? `"${parent.name}"` : `version ${made.parents[0].slice(0, 12)}…`;
    return done(`"${made.name}" was made from ${from} by a recipe of ${plural(made.recipe.steps.length, 'step')}.`);
  },
};

const through: LessonStep = {
  id: 'through',
  title: 'Train on the transformed version',
  stage: 'train',
  todo: 'In Train, pick the version the recipe made and choose Train.',
  why: 'The run keeps the recipes from the raw import to its version: the registered model, the live form and the exported bundle all read raw rows and replay them, so nobody re-implements the transform by hand.',
  check: ({ runs, versions }) => {
    const run = newest(
      finishedRuns(runs).filter((r) => (r.recipes?.length ?? 0) > 0),
      (r) => r.endedAt ?? r.startedAt,
    );
    if (!run) return notYet();
    const version = versions.find((v) => v.id === run.datasetId);
    const on = version ? ` on "${version.name}"` : '';
    return done(`Run "${run.name}" trained${on}; serving replays its ${plural(run.recipes?.length ?? 0, 'recipe')} on raw rows.`);
  },
};

const dataTest: LessonStep = {
  id: 'data-test',
  title: 'See a data test stop a pipeline',
  stage: 'deliver',
  todo: 'In Deliver, edit a pipeline, tick Class balance test and set Smallest class share above the smallest class\'s share (0.3 on penguins), save, and run it: it stops at the data stage, before any training.',
  why: 'Checking data before training is the cheapest gate there is: bad data is refused in seconds, with the rows that broke the rule, instead of becoming a model that then has to be caught.',
  check: (facts) => {
    const run = newest(
      facts.pipelineRuns.filter((r) => r.failure?.stage === 'data'),
      (r) => r.endedAt ?? r.createdAt,
    );
    if (!run?.failure) return notYet();
    return done(`A run of "${pipelineName(facts, run.pipelineId)}" stopped at data: ${run.failure.reason}`);
  },
};

export const DATA_LESSON: Lesson = {
  id: 'data',
  title: 'Data you can trust',
  summary: 'Data is checked and transformed as code: expectations every version is held to, recipes that travel with the model, and a pipeline that refuses bad data before it trains.',
  steps: [suite, recipe, through, dataTest],
};
