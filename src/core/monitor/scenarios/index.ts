export * from './types';
export { requestStream, requestBatches, SCENARIO_SALT } from './stream';
export { drawRows, rowDates } from './draw';
export { requestRand } from './request-rand';
export { columnStats, numericSummary } from './column-stats';
export { blankColumn, changeStart, changeWindow, injectCategory, shiftNumeric, unchanged, type ShiftStep } from './transforms';
export { retrainings, selfLabel, selfLabels, SELF_LABEL_SALT, type ModelAnswer, type RequestLabels, type Retraining, type SelfLabelOptions, type SelfLabelled } from './feedback';
export { SCENARIOS, scenarioById, scenarioStream } from './scenarios';
export { scenarioRules } from './rules';
