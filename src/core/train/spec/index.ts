// Model families as declarative specs, their hyperparameters, and the pure logic around them.
export * from './types';
export { ACTIVATIONS, FAMILIES, FAMILY_NAMES, LIMITS, OPTIMIZERS, SCHEDULES } from './limits';
export { assertValidSpec, familyInputProblem, validateSpec } from './check-spec';
export { assertValidHyper, validateHyper } from './check-hyper';
export { layerView, parameterCount, type LayerOp, type LayerRow } from './layers';
export { defaultSchedule, learningRateAt } from './schedule';
export { initialEarlyStopping, stepEarlyStopping, type EarlyStoppingState } from './early-stopping';
export { classWeights } from './class-weights';
export { goalFromConfusion, goalFromErrors, monitoredKey, type ErrorSums } from './monitor';
export { DEFAULT_EARLY_STOPPING, defaultFamily, defaultHyper, defaultSpec, familiesFor } from './defaults';
export { backendProblem, fastestFor } from './backend';
export { chooseBackend, type ProbeTiming } from './probe-choice';
export { imageFeatureOf, prepareInput, type PreparedInput } from './input';
export { describeHyper, describeSpec } from './describe';
export { isLegacyParams, migrateRunParams, migrateRunRecord, type LegacyMlpParams } from './migrate-run';
