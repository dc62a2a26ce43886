// Windows over the request log and the signals of each (issue 16): split the log by count or time (windows.ts), build
// the reference from the training split (reference-rows.ts, reference.ts), compute a window's signals
// (signals.ts: windowSignals, signalValue) and its drill-down (drill.ts). Pure; the analysis worker runs them.

export {
  MAX_WINDOWS,
  lastUse,
  planWindows,
  sliceWindow,
  splitWindows,
  type ChunkClock,
  type ChunkSpan,
  type LogPlan,
  type LogWindow,
  type WindowPlan,
  type WindowSlice,
  type WindowSpec,
} from './windows';
export { keptRows } from './reference-rows';
export {
  referenceColumns,
  referenceProfile,
  summarizeReference,
  type CategoricalReference,
  type NumericReference,
  type ReferenceColumn,
  type ReferenceInput,
  type ReferenceOutputs,
  type ReferencePredictions,
  type ReferenceProfile,
  type ReferenceSummary,
} from './reference';
export { chunkAt, gatherColumn, type CategoricalSample, type ChunkList, type LiveSample, type NumericSample } from './live-columns';
export { isNonFiniteOutputError } from './rows';
export {
  MAX_EXAMPLES,
  applicableExpectations,
  type ColumnQuality,
  type ExampleRow,
  type ExpectationFailure,
  type SkippedExpectation,
  type WindowQuality,
} from './quality';
export {
  DEFAULT_DRIFT_SHARE,
  SIGNAL_READS,
  checkOverrides,
  driftDirection,
  signalValue,
  windowSignals,
  type EstimatedPerformance,
  type RealizedPerformance,
  type SignalOptions,
  type ValueSummary,
  type WindowSignals,
} from './signals';
export { MAX_BARS, drillColumn, type CategoryBar, type CategoryDrill, type HistogramDrill, type WindowDrill } from './drill';
export { syntheticLog, type SyntheticLog, type SyntheticLogOptions } from './synthetic';
