// Predictor worker entry point. Single rows are latency-bound, where wasm beats cpu and the GPU backends lose to
// their dispatch overhead; cpu is the fallback when wasm cannot start.
// First: it beats before the heavier modules below are evaluated (tfjs, backends).
import './heartbeat';
import { expose } from 'comlink';
import './register-wasm';
import { createPredictor } from './predictor';

expose(createPredictor(['wasm', 'cpu']));
