// The built-in scenarios: replays of the samples that each show one way a served model fails silently, with what a
// learner should see and when. Each is data plus a pure transform; the orchestrator plays it with `scenarioStream`.
//
// Where the expectations come from: penguin windows are compared with the penguins training split (about 240 rows, so
// DESIGN.md's defaults pick KS for numbers and chi-square for categories, p-values: drift when p ≤ 0.05 / < 0.05);
// Seattle windows with its time split's first 70 % (1,022 days, over 1,000: normalised Wasserstein and Jensen-Shannon
// distances, drift at ≥ 0.1). The windows below were checked on the sample files with SciPy (KS power of each body-mass
// step over 1,000 seeded windows; Jensen-Shannon of a linear model's predicted classes per season), and the feedback
// loop with a stand-in model in test/unit/monitor/scenarios-feedback.test.ts.

import type { RawRow } from '../../shared/types';
import { requestStream } from './stream';
import { blankColumn, changeWindow, injectCategory, shiftNumeric, unchanged } from './transforms';
import type { ReplayRequest, Scenario, ScenarioId, StreamInput } from './types';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

// Penguin replays: 2,000 requests at 100 an hour of virtual time, so each window of 100 is one hour of traffic.
const PENGUINS = { sample: 'penguins', target: 'Species', windowSize: 100, count: 2000, rate: 100 / 3600, order: 'shuffled' } as const;
// Ground truth for penguins arrives three windows (three hours) after the request: long enough to see the estimate
// (CBPE) stand in for the realized accuracy.
const PENGUIN_LABEL_DELAY_MS = 3 * HOUR_MS;

const SHIFT_COLUMN = 'Body Mass (g)';
const SHIFT_STEPS = [
  { from: 0.5, stds: 0.25 },
  { from: 0.6, stds: 0.5 },
  { from: 0.7, stds: 1 },
] as const;

const NEW_CATEGORY = { column: 'Island', value: 'Torgersen North', share: 0.3, from: 0.5 } as const;
const FAULT = { column: 'Flipper Length (mm)', from: 0.6 } as const;

const control: Scenario = {
  id: 'control',
  title: 'Control: nothing changes',
  ...PENGUINS,
  labelDelayMs: PENGUIN_LABEL_DELAY_MS,
  teaches:
    'The penguins the model was trained on, replayed unchanged. Every chart should stay flat: feature drift tests keep ' +
    'their p-values well above 0.05 (a single window may dip below it by chance: that is what a 5 % test means, and ' +
    'why a rule waits for two windows in a row), missing and unseen shares stay near 0, and the estimated accuracy ' +
    'sits close to the realized one once labels arrive. Learn what normal looks like here before reading the others.',
  expect: {
    signal: 'none',
    fromWindow: 0,
    withinWindows: PENGUINS.count / PENGUINS.windowSize,
    also: [],
    description: 'No alert fires in any of the 20 windows: no suggested rule of the other scenarios crosses its threshold.',
  },
  apply: unchanged,
};

const covariateShiftFrom = changeWindow(SHIFT_STEPS[0].from, PENGUINS.count, PENGUINS.windowSize);
const covariateShift: Scenario = {
  id: 'covariate-shift',
  title: 'Covariate shift: penguins get heavier',
  ...PENGUINS,
  labelDelayMs: PENGUIN_LABEL_DELAY_MS,
  teaches:
    'From the middle of the replay, "Body Mass (g)" creeps up: a quarter of its standard deviation (about 200 g), then ' +
    'half, then a whole one, while nothing else changes and no request fails. Watch the drift heat map light up on that ' +
    'one column, and open the window\'s drill-down: the current histogram slides right of the reference. The first, small ' +
    'step is not always caught by 100 requests (the test has limited power); the later ones always are. Then compare ' +
    'the estimated and realized accuracy: drift in a feature the model leans on can cost accuracy, drift in one it ' +
    'ignores costs nothing, and only the labels can tell you which.',
  expect: {
    signal: 'feature_drift',
    column: SHIFT_COLUMN,
    fromWindow: covariateShiftFrom,
    withinWindows: 4,
    rule: { comparator: '<=', threshold: 0.05, for: 2 },
    also: [],
    description:
      `Feature drift on "${SHIFT_COLUMN}" (KS p ≤ 0.05 two windows in a row) from window ${covariateShiftFrom}, where the ` +
      'column moves by 0.25 std; it moves by 0.5 std two windows later and by 1 std two after that, so the rule fires by ' +
      `window ${covariateShiftFrom + 3} at the latest. No other column drifts.`,
  },
  apply: shiftNumeric(SHIFT_COLUMN, SHIFT_STEPS),
};

const newCategoryFrom = changeWindow(NEW_CATEGORY.from, PENGUINS.count, PENGUINS.windowSize);
const newCategory: Scenario = {
  id: 'new-category',
  title: 'A new category: an island nobody trained on',
  ...PENGUINS,
  labelDelayMs: PENGUIN_LABEL_DELAY_MS,
  teaches:
    `From the middle of the replay, 30 % of requests come from "${NEW_CATEGORY.value}", an island the training data never ` +
    'had. The model still answers every one of them (its one-hot encoding simply has no slot for the new island), so ' +
    'nothing errors and latency is unchanged. Look at the unseen-category share in data quality and at the drift of ' +
    '"Island"; then ask what the right response is: retrain with the new island labelled, or map it to a known one.',
  expect: {
    signal: 'unseen_category_share',
    column: NEW_CATEGORY.column,
    fromWindow: newCategoryFrom,
    withinWindows: 1,
    rule: { comparator: '>', threshold: 0.1, for: 1 },
    also: [{ signal: 'feature_drift', column: NEW_CATEGORY.column, rule: { comparator: '<', threshold: 0.05, for: 2 } }],
    description:
      `From window ${newCategoryFrom} about 30 % of requests carry "${NEW_CATEGORY.value}" in "${NEW_CATEGORY.column}": the ` +
      'unseen-category share jumps from 0 to about 0.3 in that very window, and the chi-square test on the column drifts.',
  },
  apply: injectCategory(NEW_CATEGORY.column, NEW_CATEGORY.value, NEW_CATEGORY.share, NEW_CATEGORY.from),
};

const faultFrom = changeWindow(FAULT.from, PENGUINS.count, PENGUINS.windowSize);
const upstreamFault: Scenario = {
  id: 'upstream-fault',
  title: 'Upstream fault: a column turns blank',
  ...PENGUINS,
  labelDelayMs: PENGUIN_LABEL_DELAY_MS,
  teaches:
    `At 60 % of the replay an upstream job stops filling "${FAULT.column}": every request from then on has it blank. The ` +
    'requests still return answers (the preprocessing fills the gap with the training mean), so an HTTP-style dashboard ' +
    'stays green. Look at the missing share of that column in data quality, and at the predictions: an answer computed ' +
    'from an invented flipper length is a guess the model presents with confidence.',
  expect: {
    signal: 'missing_share',
    column: FAULT.column,
    fromWindow: faultFrom,
    withinWindows: 1,
    rule: { comparator: '>', threshold: 0.5, for: 1 },
    also: [],
    description: `From window ${faultFrom} the missing share of "${FAULT.column}" goes from under 1 % to 100 %, and the rule fires in that window.`,
  },
  apply: blankColumn(FAULT.column, FAULT.from),
};

const seasonal: Scenario = {
  id: 'seasonal',
  title: 'Seasons: four years of Seattle weather, day by day',
  sample: 'seattle-weather',
  target: 'weather',
  // 91 days a window: a season, so the drift follows winter and summer.
  windowSize: 91,
  count: 1461,
  // One request a virtual day; by date, each request's time is its row's date anyway.
  rate: 1 / 86_400,
  order: 'by-date',
  dateColumn: 'date',
  // The weather of a day is known the day after.
  labelDelayMs: DAY_MS,
  teaches:
    'Every day from 2012 to 2015 in order, one request a day, each window a season. Nothing is broken, yet the drift ' +
    'charts swing: winters are rainy and cold, summers sunny and warm, and each season differs from the year-round mix ' +
    'the model was trained on. The predicted classes follow (mostly "rain" in winter, "sun" in summer), so a prediction ' +
    'drift alert flaps on and off with the seasons. Across years the labels shift too: "sun" grows from about a third of ' +
    'days in 2012 to half in 2014, and "fog" from 1 % to 14 % in 2015. Learn to tell expected seasonal drift (compare a ' +
    'season with the same season of the reference) from a real change, and watch the realized accuracy per year.',
  expect: {
    signal: 'prediction_drift',
    fromWindow: 0,
    withinWindows: 3,
    rule: { comparator: '>=', threshold: 0.1, for: 1 },
    also: [{ signal: 'feature_drift', column: 'temp_max', rule: { comparator: '>=', threshold: 0.1, for: 1 } }],
    description:
      'Prediction drift (Jensen-Shannon distance ≥ 0.1) in the first season already: winter 2012 is mostly answered "rain" ' +
      'and summer 2012 (window 2) mostly "sun", against a reference of both; it falls back in spring and autumn windows. ' +
      'Feature drift on "temp_max" (normalised Wasserstein ≥ 0.1) in every season.',
  },
  apply: unchanged,
};

const FEEDBACK = { retrainEveryWindows: 3, trainOnWindows: 3, selfLabelShare: 1, unsureBelow: 0.9 } as const;
const feedbackLoop: Scenario = {
  id: 'feedback-loop',
  title: 'Feedback loop: a model that learns from its own answers',
  sample: 'seattle-weather',
  target: 'weather',
  windowSize: 100,
  count: 3000,
  rate: 100 / 3600,
  order: 'shuffled',
  // The truth arrives ten windows late: too late for the loop, in time to show what it did.
  labelDelayMs: 10 * HOUR_MS,
  feedback: FEEDBACK,
  teaches:
    'Every three windows the model is retrained on the last three windows of its own traffic, labelled with its own ' +
    'answers; where it is unsure (top probability under 0.9) the label is its most common answer, the "when in doubt, ' +
    'say the usual" fallback many production systems have. The retrained model learns its favourite class for the rows ' +
    'it was unsure about, so that class\'s region grows; the next retraining hands the new unsure band to it again. ' +
    'Watch the top-class share climb after each retraining while the true weather does not change; when the late ' +
    'labels arrive, the realized accuracy shows the cost, and the confidence-based estimate, computed from the model\'s ' +
    'own certainty, may not. This is why training data taken from production needs labels that do not come from the model.',
  expect: {
    signal: 'top_class_share',
    fromWindow: FEEDBACK.retrainEveryWindows,
    withinWindows: 18,
    rule: { comparator: '>', threshold: 0.75, for: 2 },
    also: [],
    description:
      'The top-class share starts near 0.6 (the most common weather, "sun", is about 44 % of days, and the model already ' +
      'answers "sun" for most dry days) and rises after the retrainings, which start after window 2; it is above 0.75 two ' +
      'windows in a row by window 20 at the latest. The true class shares do not change.',
  },
  apply: unchanged,
};

export const SCENARIOS: readonly Scenario[] = [control, covariateShift, newCategory, upstreamFault, seasonal, feedbackLoop];

export function scenarioById(id: ScenarioId): Scenario {
  const found = SCENARIOS.find((s) => s.id === id);
  if (!found) throw new Error(`No built-in scenario "${id}".`);
  return found;
}

/** A scenario's replay of its sample's rows with one seed; `start` puts it on the virtual clock (see StreamInput). */
export function scenarioStream(scenario: Scenario, rows: readonly RawRow[], seed: number, start?: number): Generator<ReplayRequest, void, undefined> {
  const input: StreamInput = {
    rows,
    target: scenario.target,
    rate: scenario.rate,
    start,
    count: scenario.count,
    seed,
    order: scenario.order,
    dateColumn: scenario.dateColumn,
    labelDelayMs: scenario.labelDelayMs,
    scenario: scenario.apply,
  };
  return requestStream(input);
}
