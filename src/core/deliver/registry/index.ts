export * from './types';
export * from './names';
export { createModel, describeModel, findModel, tagModel, type NewModel } from './models';
export { findVersion, linkEvaluation, registerVersion, type VersionLinks } from './versions';
export { aliasTarget, aliasesOf, lastMove, moveAlias, recordGate, rollbackAlias, rollbackTarget, type AliasMove } from './aliases';
export { editedCard, MAX_CARD_CHARS, setCard } from './card';
export { recipeHash, versionLinks, type RunForLinks } from './links';
export { LEGACY_WHY, migrateRegistry1to2, REGISTRY_SHAPE, type ModelVersionV1, type RegistryModelV1 } from './migrate';
export { modelVersionId, versionViews } from './views';
