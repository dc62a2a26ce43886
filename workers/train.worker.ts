// Trainer worker entry point.
// First: it beats before the heavier modules below are evaluated (tfjs, backends).
import './heartbeat';
import { expose } from 'comlink';
import './register-backends';
import { createTrainer } from './trainer';

expose(createTrainer());
