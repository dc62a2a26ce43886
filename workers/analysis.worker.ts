// Analysis worker entry point: profiling and validation sort and scan whole columns, which would
// stall the page on large versions.
// First: it beats before the heavier modules below are evaluated (tfjs, backends).
import './shared/heartbeat';
import { expose } from 'comlink';
import { createAnalysis } from './analysis/analysis';

expose(createAnalysis());
