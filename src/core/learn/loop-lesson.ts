// Lesson 1: the whole loop once, on any project (the penguins sample is ready on first start).

import { meetsGoal } from '../evaluate/run-report';
import { bestRun } from '../train/sweep';
import { done, finishedRuns, goalText, modelText, newest, notYet, runText, versionText } from './evidence';
import type { Lesson, LessonStep } from './types';

const version: LessonStep = {
  id: 'version',
  title: 'Freeze the data as a version',
  stage: 'data',
  todo: 'In Data, import a CSV (or use the version the sample came with) and choose Save as version.',
  why: 'A version is immutable and named by the SHA-256 of its content and split, so every model can say exactly which rows it learned from and which it was tested on.',
  check: ({ versions }) => {
    const v = newest(versions, (x) => x.createdAt);
    return v ? done(`Version ${versionText(v)}`) : notYet();
  },
};

const train: LessonStep = {
  id: 'train',
  title: 'Train a model',
  stage: 'train',
  todo: 'In Train, pick the version, keep or change the model spec, and choose Train.',
  why: 'Training runs in a worker and records everything needed to repeat it: data version, spec, seed, backend and library versions.',
  check: ({ runs, project }) => {
    const run = newest(finishedRuns(runs), (r) => r.endedAt ?? r.startedAt);
    if (run) return done(`Finished ${runText(run, project.goal)}.`);
    const started = runs.length;
    return notYet(started > 0 ? `${started} run${started === 1 ? '' : 's'} started, none finished yet.` : null);
  },
};

const goal: LessonStep = {
  id: 'goal',
  title: 'Meet the goal on held-out data',
  stage: 'evaluate',
  todo: 'In Evaluate, look at the runs table against the goal set in Define; if no run meets it, change the spec (more epochs, another learning rate) and train again.',
  why: 'The goal is judged on the test split, rows the model never saw while training or tuning: a number on training rows says nothing about new data.',
  check: ({ runs, project }) => {
    // If any run meets the goal, the best one on its metric does.
    const best = bestRun(finishedRuns(runs), project.goal.metric);
    if (!best) return notYet();
    if (meetsGoal(best.metrics, project.goal)) return done(`${runText(best, project.goal)} meets the goal ${goalText(project.goal)}.`);
    return notYet(`Best so far: ${runText(best, project.goal)}; the goal is ${goalText(project.goal)}.`);
  },
};

const register: LessonStep = {
  id: 'register',
  title: 'Register the model',
  stage: 'deliver',
  todo: 'In Deliver, pick the run and choose Register model.',
  why: 'The registry gives a trained run a name and a version number, so a deployment points at "penguin-species v3", not at a file somebody saved.',
  check: ({ modelVersions, runs }) => {
    const v = newest(modelVersions, (x) => x.createdAt);
    if (!v) return notYet();
    const run = runs.find((r) => r.id === v.runId);
    return done(`Registered ${modelText(v)}${run ? ` from run "${run.name}"` : ''}.`);
  },
};

const champion: LessonStep = {
  id: 'champion',
  title: 'Make it the champion',
  stage: 'deliver',
  todo: 'In Deliver, tick Make it the champion when registering, or move the champion alias to a version with Move alias.',
  why: 'Serving follows an alias, not a version: promoting or rolling back is moving the alias, recorded with who, when and why in the audit log.',
  check: ({ champion }) => (champion ? done(`champion → ${modelText(champion)}.`) : notYet()),
};

const serve: LessonStep = {
  id: 'serve',
  title: 'Serve predictions and log them',
  stage: 'monitor',
  todo: 'In Monitor, fill the form and choose Predict, or play traffic with Play traffic.',
  why: 'Every answer the model gives is logged with its inputs, so drift, data quality and (once labels arrive) accuracy can be watched in production.',
  check: ({ logged, champion }) =>
    logged > 0 ? done(`${logged} request${logged === 1 ? '' : 's'} logged${champion ? ` while ${modelText(champion)} was champion` : ''}.`) : notYet(),
};

const close: LessonStep = {
  id: 'close',
  title: 'Close the loop: production traffic becomes data',
  stage: 'monitor',
  todo: 'In Monitor, under Close the loop, choose Make a dataset version from the whole log (labels arrive with played traffic when Labels arrive after is set).',
  why: 'The loop closes when what the model met in production, with the labels that came later, becomes the next version to train and test on.',
  check: ({ versions }) => {
    const v = newest(
      versions.filter((x) => x.source.kind === 'production'),
      (x) => x.createdAt,
    );
    if (!v || v.source.kind !== 'production') return notYet();
    return done(`Version ${versionText(v)} from ${v.source.fileName}: ${v.source.requests} requests, ${v.source.labelled} labelled.`);
  },
};

export const LOOP_LESSON: Lesson = {
  id: 'loop',
  title: 'Walk the loop once',
  summary: 'From a frozen dataset version to a served champion, and back to data: each step of the MLOps loop in the order a team takes it.',
  steps: [version, train, goal, register, champion, serve, close],
};

/** Used by the other lessons' steps that repeat one of these. */
export const LOOP_STEPS = { version, train, goal, register, champion, serve, close };

