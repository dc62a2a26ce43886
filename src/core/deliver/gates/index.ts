// The tests of every delivery stage and the performance gate, as one import for the state and worker layers.

export * from './types';
export * from './behaviour-types';
export { validateGates, assertValidGates } from './check-gates';
export { validateBehaviourSuite, assertValidBehaviourSuite } from './check-behaviour';
export { validateDataTests, runDataTests, type DataTest, type LeakageTest, type ClassBalanceTest, type DataTestResult } from './data-tests';
export { evaluateGates, rowsMismatch } from './evaluate-gates';
export { relativeChange } from './change-gate';
export { knownDirection, directionOf } from './directions';
export { rowsFingerprint } from './fingerprint';
export { sliceFiguresOf } from './slice-figures';
export { findLeakage, type LeakageResult, type LeakagePart, type LeakedRow } from './leakage';
export { checkClassBalance, type ClassBalanceResult, type ClassShare } from './class-balance';
export { runBehaviourTests, type Predict, type BehaviourOptions } from './run-behaviour';
export { validateStageTest, byStage, STAGE_OF_KIND, type Stage, type StageTest, type TestsByStage } from './stage-tests';
export { validatePipelineCheck, SMOKE_DEFAULTS, DEFAULT_TOLERANCE, type SmokeTest, type ReproducibleTest, type ParityTest, type PipelineCheck } from './pipeline-checks';
export type { NamedColumn, Cell } from './row-key';
