// Analysis worker entry point: profiling and validation sort and scan whole columns, which would
// stall the page on large versions.
import { expose } from 'comlink';
import { createAnalysis } from './analysis';

expose(createAnalysis());
