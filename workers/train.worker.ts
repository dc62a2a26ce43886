// Trainer worker entry point.
import { expose } from 'comlink';
import './register-backends';
import { createTrainer } from './trainer';

expose(createTrainer());
