// Trainer worker entry point.
// First: it beats before the heavier modules below are evaluated (tfjs, backends).
import './shared/heartbeat';
import { expose } from 'comlink';
import './backend/register-backends';
import { createTrainer } from './train/trainer';

expose(createTrainer());
