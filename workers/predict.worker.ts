// Predictor worker entry point. Single rows are latency-bound, where wasm beats cpu and the GPU backends lose to
// their dispatch overhead; cpu is the fallback when wasm cannot start.
// First: it beats before the heavier modules below are evaluated (tfjs, backends).
import './shared/heartbeat';
import { expose } from 'comlink';
import './backend/register-wasm';
import { createPredictor } from './predict/predictor';

expose(createPredictor(['wasm', 'cpu']));
