// The closed list of signals an alert rule can watch, with what each one measures, so a learner choosing a signal
// sees what exists and what its numbers mean. The values themselves are computed per window by the monitor's
// statistics (in a worker); a rule only compares them with its threshold.

export const ALERT_SIGNALS = [
  'requests',
  'error_rate',
  'latency_p50_ms',
  'latency_p95_ms',
  'latency_p99_ms',
  'prediction_drift',
  'feature_drift',
  'drifted_share',
  'missing_share',
  'out_of_range_share',
  'unseen_category_share',
  'top_class_share',
  'score_std',
  'nan_outputs',
  'accuracy_estimated',
  'accuracy_realized',
  'mae_realized',
] as const;

export type AlertSignal = (typeof ALERT_SIGNALS)[number];

export interface SignalInfo {
  /** What the number is, in one sentence a learner can act on. */
  meaning: string;
  unit: 'requests' | 'share' | 'ms' | 'statistic' | 'count' | 'target units';
  /** Every value the signal can take: a threshold outside it is never (or always) crossed. */
  min: number;
  max: number;
  /** Whether the rule names a column: required (per-feature signal), optional (one column or all) or none. */
  column: 'required' | 'optional' | 'none';
  /** The kind of model the signal exists for. */
  task: 'any' | 'classification' | 'regression';
  /** True when the value exists only once ground-truth labels have arrived for the window's requests. */
  needsLabels: boolean;
}

const share = { unit: 'share', min: 0, max: 1 } as const;
const nonNegative = { min: 0, max: Number.POSITIVE_INFINITY } as const;
const plain = { column: 'none', task: 'any', needsLabels: false } as const;

export const SIGNALS: Readonly<Record<AlertSignal, SignalInfo>> = {
  requests: { ...plain, ...nonNegative, unit: 'requests', meaning: 'requests served in the window; a drop to 0 means nothing reaches the model' },
  error_rate: { ...plain, ...share, meaning: 'share of the window\'s requests that failed (refused input or an error while predicting)' },
  latency_p50_ms: { ...plain, ...nonNegative, unit: 'ms', meaning: 'median time to answer a request, in milliseconds' },
  latency_p95_ms: { ...plain, ...nonNegative, unit: 'ms', meaning: '95th percentile of the time to answer, in milliseconds' },
  latency_p99_ms: { ...plain, ...nonNegative, unit: 'ms', meaning: '99th percentile of the time to answer, in milliseconds' },
  prediction_drift: {
    ...plain,
    ...nonNegative,
    unit: 'statistic',
    meaning:
      'the drift statistic of the predicted class or value against the predictions on the reference, as its test reports it: ' +
      'a p-value for KS, chi-square or Z (drift when below 0.05: use "<"), a distance for Wasserstein or Jensen-Shannon (drift at 0.1 or more: use ">=")',
  },
  feature_drift: {
    ...plain,
    ...nonNegative,
    column: 'required',
    unit: 'statistic',
    meaning: 'the drift statistic of one input column against the reference, read like prediction_drift (p-value or distance, by the column\'s test)',
  },
  drifted_share: { ...plain, ...share, meaning: 'share of input columns whose drift test says they drifted; Evidently calls the dataset drifted at 0.5' },
  missing_share: { ...plain, ...share, column: 'optional', meaning: 'share of missing cells: in one column, or over every input column when no column is named' },
  out_of_range_share: { ...plain, ...share, meaning: 'share of requests with a number outside the range the expectation suite allows' },
  unseen_category_share: { ...plain, ...share, meaning: 'share of requests with a category that training never saw' },
  top_class_share: {
    ...plain,
    ...share,
    task: 'classification',
    meaning: 'share of requests answered with the most frequent class: near 1 means the model answers one class for everything',
  },
  score_std: {
    ...plain,
    ...nonNegative,
    unit: 'statistic',
    meaning: 'standard deviation of the model\'s scores (top probability, or the predicted value): near 0 means constant answers',
  },
  nan_outputs: { ...plain, ...nonNegative, unit: 'count', meaning: 'requests whose output was NaN or infinite' },
  accuracy_estimated: {
    ...plain,
    ...share,
    task: 'classification',
    meaning: 'accuracy estimated from the model\'s own confidence (CBPE), available before any label arrives',
  },
  accuracy_realized: { ...plain, ...share, task: 'classification', needsLabels: true, meaning: 'accuracy on the window\'s requests whose labels have arrived' },
  mae_realized: {
    ...plain,
    ...nonNegative,
    unit: 'target units',
    task: 'regression',
    needsLabels: true,
    meaning: 'mean absolute error on the window\'s requests whose labels have arrived, in the target\'s units',
  },
};

export function isAlertSignal(v: unknown): v is AlertSignal {
  return typeof v === 'string' && (ALERT_SIGNALS as readonly string[]).includes(v);
}
