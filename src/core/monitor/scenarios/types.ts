// The shapes of a traffic replay: the requests it plays, how it is asked for, and the scenarios that bend it. A replay
// runs on a virtual clock (milliseconds that need not be now), so a year of traffic can be played in a minute.

import type { RawRow, RawValue, SampleName } from '../../shared/types';
import type { AlertSignal } from '../alerts/signals';
import type { Comparator } from '../alerts/types';

/** One request the replayer sends to the model, with the ground truth that will arrive for it later (if ever). */
export interface ReplayRequest {
  /** 0, 1, 2, … in the order the requests are sent. */
  seq: number;
  /** Virtual time of the request, ms since 1970 (UTC) on the replay's clock. */
  at: number;
  /** The raw row without the target column, as a client would send it. */
  input: RawRow;
  /** The target's value for this request; null when the row has none. */
  label: RawValue;
  /** When the label reaches the monitor (virtual ms); null when it never does. */
  labelAt: number | null;
}

/**
 * How rows become a sequence of requests:
 * - `shuffled`: a seeded random order;
 * - `as-is`: the rows' own order;
 * - `by-date`: sorted by `dateColumn`, and each request's time is its row's date (the calendar is the clock).
 */
export type ReplayOrder = 'shuffled' | 'as-is' | 'by-date';

/** What a scenario's transform knows about the request it is bending. */
export interface ReplayFrame {
  seq: number;
  /** Requests in the whole replay. */
  count: number;
  /** seq / count: 0 at the first request, just under 1 at the last. */
  progress: number;
  at: number;
  /**
   * Uniform numbers in [0, 1) seeded by the replay's seed and this request's seq only, so a scenario's draws do not
   * move the rows drawn, and the same seed replays the same rows under every scenario.
   */
  rand: () => number;
  /** Summaries of the replay's source rows (not of the draws), to size a change in a column's own units. */
  stats: ColumnStats;
}

export interface NumericSummary {
  /** Non-missing numeric values. */
  count: number;
  mean: number;
  /** Population standard deviation (divides by count, like NumPy's np.std); 0 for fewer than two values. */
  std: number;
}

export interface ColumnStats {
  numeric(column: string): NumericSummary;
}

/** The part of a request a scenario may change: what is sent and what the truth turns out to be. */
export interface RequestContent {
  input: RawRow;
  label: RawValue;
}

/** A pure function of the request and its place in the replay; it returns new objects and never mutates its argument. */
export type ScenarioTransform = (request: RequestContent, frame: ReplayFrame) => RequestContent;

export interface StreamInput {
  /** Raw rows, each with the target column present. */
  rows: readonly RawRow[];
  /** Removed from each row's input and given as the request's label. */
  target: string;
  /** Requests per virtual second (ignored by `by-date`, whose rows carry their own time). */
  rate: number;
  /**
   * Virtual ms of the first request (default 0). With `by-date`, when given, the calendar is moved so the earliest date
   * falls on it; when absent each request keeps its row's date.
   */
  start?: number;
  /** Requests to play. Beyond the number of rows, rows are drawn with replacement. */
  count: number;
  seed: number;
  order: ReplayOrder;
  /** Required by `by-date`: a column of dates (text as the import reads it, or ms since 1970). */
  dateColumn?: string;
  /** Labels arrive this long after their request; null: never. */
  labelDelayMs: number | null;
  scenario?: ScenarioTransform;
}

/** The scenarios that ship with the app. */
export type ScenarioId = 'control' | 'covariate-shift' | 'new-category' | 'upstream-fault' | 'seasonal' | 'feedback-loop';

export type ScenarioSample = Extract<SampleName, 'penguins' | 'seattle-weather' | 'cars'>;

/** A rule that would catch what a scenario does: the alert rule's comparator, threshold and `for`, without the rest. */
export interface SuggestedRule {
  comparator: Comparator;
  threshold: number;
  for: number;
}

/** One signal the scenario should move, and the rule that should see it. */
export interface ExpectedSignal {
  signal: AlertSignal;
  column?: string;
  rule: SuggestedRule;
}

/**
 * What should be seen and when, in count windows of the scenario's `windowSize` requests numbered from 0. For a
 * scenario that changes something: its `signal` crosses `rule` (held `rule.for` windows) at the latest in window
 * `fromWindow + withinWindows - 1`, never before `fromWindow`. For the control, `signal` is 'none': no rule fires.
 */
export interface ScenarioExpectation {
  signal: AlertSignal | 'none';
  column?: string;
  /** The first window the change is in (0 for a change present from the start). */
  fromWindow: number;
  /** How many windows, counting `fromWindow`, the rule may take to fire. */
  withinWindows: number;
  /** The rule that should fire (absent for the control). */
  rule?: SuggestedRule;
  /** Other signals the change moves, which a learner should look at too. */
  also: readonly ExpectedSignal[];
  description: string;
}

/**
 * A feedback loop, declared for the orchestrator (the model retrains itself; the core cannot): every
 * `retrainEveryWindows` windows, train a new model on the last `trainOnWindows` windows of logged requests labelled by
 * `selfLabel` with these settings, and serve it from the next window on.
 */
export interface FeedbackLoopSpec {
  retrainEveryWindows: number;
  trainOnWindows: number;
  /** Share of training rows labelled by the model (the rest: the true label, once it has arrived). */
  selfLabelShare: number;
  /**
   * Where the model labels a row, it gives its answer when its confidence (top probability) is at least this, and its
   * most common answer otherwise: the "when unsure, say the usual" fallback many production systems have. 0: always
   * its own answer.
   */
  unsureBelow: number;
}

export interface Scenario {
  id: ScenarioId;
  title: string;
  sample: ScenarioSample;
  /** The sample's target column, removed from each request's input. */
  target: string;
  /** What a learner should look at, and why it matters in production. */
  teaches: string;
  expect: ScenarioExpectation;
  /** Requests per count window the expectation is stated in. */
  windowSize: number;
  count: number;
  /** Requests per virtual second. */
  rate: number;
  order: ReplayOrder;
  dateColumn?: string;
  labelDelayMs: number | null;
  apply: ScenarioTransform;
  /** Only for the feedback loop: how the orchestrator retrains. */
  feedback?: FeedbackLoopSpec;
}
