export { readBundle, type BundleLineage, type ImportedBundle } from './read-bundle';
export { importedRecords, type ImportPlan, type ImportTarget } from './plan';
export { BundleRefusal } from './refusal';
export { LIMITS } from './limits';
export { readDirectory } from './zip';
