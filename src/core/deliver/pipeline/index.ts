export * from './types';
export * from './run-types';
export { checkPipeline, PIPELINE_NAME_MAX, PIPELINE_TESTS_MAX, type PipelineCheck } from './check-pipeline';
export { currentStage, failureSummary, isFinished, newRun, next, rerun, stageDuration } from './run-machine';
export { admit, canStart, runsToStart, type Admission } from './scheduler';
export { lineageMembers, resolveSource, sourceCovers } from './source';
export { alertTriggers, newVersionTriggers, setTriggerPaused, type TriggerDecision } from './triggers';
