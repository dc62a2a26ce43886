// Sweeps: grid and random search over run parameters, as pure logic the state layer queues runs from.
export * from './types';
export { leafAt, withLeaf } from './paths';
export { sweepSize, validateSweep } from './check-sweep';
export { expandSweep, sampleAxis, type SweepExpansion, type SweepPoint } from './expand';
export { bestRun } from './best';
export { sweepConcurrency, SWEEP_MAX_WORKERS, SWEEP_SWEET_SPOT, type ConcurrencyInput } from './concurrency';
