// Lesson 3: watching a served model: traffic in windows, an alert that fires, and retraining it starts.

import { done, figure, newest, notYet, pipelineName } from './evidence';
import { LOOP_STEPS } from './loop-lesson';
import type { Lesson, LessonStep } from './types';

/** The dashboard's default window: signals need a window's worth of requests. */
const WINDOW = 100;

const traffic: LessonStep = {
  id: 'traffic',
  title: 'Play a drifting stream of traffic',
  stage: 'monitor',
  todo: 'In Monitor, choose the scenario "Covariate shift: penguins get heavier" (any scenario of your project will do) and choose Play traffic.',
  why: `Signals are computed per window of requests (${WINDOW} by default), each window compared with the training data: one request says nothing about a distribution.`,
  check: ({ logged }) =>
    logged >= WINDOW
      ? done(`${logged} requests logged: ${Math.floor(logged / WINDOW)} window${logged >= 2 * WINDOW ? 's' : ''} of ${WINDOW}.`)
      : notYet(logged > 0 ? `${logged} requests logged; a window needs ${WINDOW}.` : null),
};

const fired: LessonStep = {
  id: 'fired',
  title: 'Watch an alert fire',
  stage: 'monitor',
  todo: "In Monitor, with the drifting scenario chosen, choose Add this scenario's alert rules, then play its traffic and look at Alerts: a rule whose condition holds for its windows goes pending, then firing.",
  why: 'Alerts work as Prometheus\' do: a rule must hold for a number of windows before it fires (one odd window is noise), it resolves when the condition ends, and a silence mutes it without hiding it.',
  check: ({ alertEvents }) => {
    const event = newest(
      alertEvents.filter((e) => e.kind === 'firing'),
      (e) => e.at,
    );
    if (!event) {
      const pending = alertEvents.some((e) => e.kind === 'pending');
      return notYet(pending ? 'An alert is pending: its condition has to hold for more windows.' : null);
    }
    return done(`"${event.rule.name}" fired: ${figure(event.value)} against the threshold ${figure(event.threshold)}.`);
  },
};

const retrained: LessonStep = {
  id: 'retrained',
  title: 'Let an alert start retraining',
  stage: 'deliver',
  todo: 'In Deliver, edit a pipeline and set its Alert trigger to on; the next alert that fires starts it (play drifting traffic again).',
  why: 'Continuous training: a firing alert (or new data) starts the same pipeline a person would, so the retrained model faces the same tests and gates.',
  check: (facts) => {
    const run = newest(
      facts.pipelineRuns.filter((r) => r.trigger.kind === 'alert'),
      (r) => r.createdAt,
    );
    if (!run) return notYet();
    return done(`An alert started a run of "${pipelineName(facts, run.pipelineId)}"; it is ${run.status}.`);
  },
};

export const MONITOR_LESSON: Lesson = {
  id: 'monitor',
  title: 'Watch it in production',
  summary: 'A served model meets data that changes: windows of traffic, drift signals, an alert that fires, and the retraining it starts, closing the loop.',
  steps: [LOOP_STEPS.champion, traffic, fired, retrained, LOOP_STEPS.close],
};
