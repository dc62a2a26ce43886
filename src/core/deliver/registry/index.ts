export * from './types';
export * from './names';
export { createModel, describeModel, findModel, tagModel, type NewModel } from './models';
export { findVersion, linkEvaluation, registerVersion, type VersionLinks } from './versions';
export { aliasTarget, aliasesOf, lastMove, moveAlias, recordGate, rollbackAlias, rollbackTarget, type AliasMove } from './aliases';
