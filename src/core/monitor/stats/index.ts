// Drift statistics and performance estimation for the Monitor: pure functions over typed arrays, checked against
// SciPy by test/fixtures/monitor/make_stats_fixtures.py. Start at driftOfColumn / datasetDrift and fitCbpe /
// estimateCbpe; the single tests are exported for the drill-down views and for overrides.

export type { ColumnKind, CategoricalValues } from './columns';
export { cleanNumeric } from './columns';
export type { DriftTestName, DriftTestInfo, DriftOverride } from './choose-test';
export { DRIFT_TESTS, DRIFT_TEST_NAMES, SMALL_REFERENCE_LIMIT, defaultDriftTest, isDrift, resolveDriftTest } from './choose-test';
export type { ColumnDrift, ColumnDriftStatus, DatasetDrift } from './column-drift';
export { driftOfColumn, datasetDrift } from './column-drift';
export type { KsMethod, KsResult } from './ks';
export { ksTwoSample, ksTwoSampleSorted } from './ks';
export { kolmogorovSmirnovSf, smirnovSf } from './kolmogorov';
export type { ChiSquareResult } from './chi-square';
export { chiSquareTest } from './chi-square';
export type { ZTestResult } from './z-test';
export { zTest } from './z-test';
export type { WassersteinResult } from './wasserstein';
export { wassersteinDistanceSorted, wassersteinNormed, populationStd } from './wasserstein';
export { jensenShannonDistance } from './jensen-shannon';
export type { PsiLevel } from './psi';
export { PSI_BINS, PSI_MAJOR, PSI_MODERATE, psiLevel, psiOfCounts, psiOfNumeric, psiOfShares } from './psi';
export type { AlignedCounts } from './binning';
export { alignCategoryCounts, alignValueCounts, sturgesShares } from './binning';
export { chiSquareSf, erf, erfc, gammainc, gammaincc, logGamma, normalCdf, normalSf } from './special';
export type { IsotonicModel } from './isotonic';
export { fitIsotonic, predictIsotonic } from './isotonic';
export { needsCalibration } from './calibration';
export type { CbpeEstimate, CbpeModel, CbpeReference, Estimate } from './cbpe';
export { SAMPLING_ERROR_RANGE, argMaxClasses, calibrateProbabilities, estimateCbpe, fitCbpe, realizedPerformance } from './cbpe';
