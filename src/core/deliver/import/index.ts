export { readBundle, type BundleLineage, type ImportedBundle } from './read-bundle';
export { importedRecords, type ImportPlan, type ImportTarget } from './plan';
export { BundleRefusal } from './refusal';
export { LIMITS, type ImportLimits } from './limits';
export { readDirectory, pathProblem, type CappedInflate, type ZipEntry } from './zip';
