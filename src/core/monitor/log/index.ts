export * from './types';
export { ChunkBuilder, chunksOf } from './chunk-builder';
export { chunkProblems } from './check-chunk';
export {
  answered,
  hasWarning,
  inputColumn,
  inputValue,
  labelKnown,
  labelOf,
  outputOf,
  probabilitiesOf,
  rowOf,
  rowOfId,
  warningBit,
  warningsOf,
} from './chunk-read';
export { checkRetention, chunksToDrop, DEFAULT_RETENTION, type RetainedChunk, type RetentionRule } from './retention';
export { joinLabels, MAX_LABEL_MESSAGES, type LabelJoin, type LabelJoinCounts, type LateLabel } from './labels';
export { MAX_FILE_PROBLEMS, parseLabelsText, type LabelsFile } from './labels-file';
export { alignClasses } from './align-classes';
