// Checks the hyperparameters before a run starts, with the same located messages as the spec.

import { checkBoolean, checkInt, checkNumber, checkOneOf, isRecord, type Problems } from './checkers';
import { LIMITS, OPTIMIZERS, SCHEDULES } from './limits';
import type { Hyperparams, SpecProblem } from './types';

function checkSchedule(out: Problems, v: unknown, learningRate: unknown): void {
  if (!isRecord(v)) {
    out.push({ path: 'schedule', message: 'schedule must be an object with a kind' });
    return;
  }
  if (!checkOneOf(out, 'schedule.kind', v.kind, SCHEDULES)) return;
  if (v.kind === 'step') {
    checkInt(out, 'schedule.every', v.every, LIMITS.scheduleEvery.min, LIMITS.scheduleEvery.max);
    checkNumber(out, 'schedule.factor', v.factor, 0, 1, { minOpen: true });
  } else if (v.kind === 'exponential') {
    checkNumber(out, 'schedule.rate', v.rate, 0, 1, { minOpen: true });
  } else if (v.kind === 'cosine') {
    const top = typeof learningRate === 'number' && Number.isFinite(learningRate) && learningRate > 0 ? learningRate : LIMITS.learningRate.max;
    checkNumber(out, 'schedule.minLearningRate', v.minLearningRate, 0, top);
  }
}

function checkEarlyStopping(out: Problems, v: unknown): void {
  if (!isRecord(v)) {
    out.push({ path: 'earlyStopping', message: 'earlyStopping must be an object' });
    return;
  }
  checkBoolean(out, 'earlyStopping.enabled', v.enabled);
  checkOneOf(out, 'earlyStopping.monitor', v.monitor, ['val_loss', 'goal'] as const);
  checkInt(out, 'earlyStopping.patience', v.patience, LIMITS.patience.min, LIMITS.patience.max);
  checkNumber(out, 'earlyStopping.minDelta', v.minDelta, LIMITS.minDelta.min, LIMITS.minDelta.max);
  checkBoolean(out, 'earlyStopping.restoreBest', v.restoreBest);
}

export function validateHyper(hyper: unknown): SpecProblem[] {
  const out: Problems = [];
  if (!isRecord(hyper)) return [{ path: '', message: 'the hyperparameters must be an object' }];
  checkOneOf(out, 'optimizer', hyper.optimizer, OPTIMIZERS);
  checkNumber(out, 'momentum', hyper.momentum, LIMITS.momentum.min, LIMITS.momentum.max);
  checkNumber(out, 'learningRate', hyper.learningRate, LIMITS.learningRate.min, LIMITS.learningRate.max, { minOpen: true });
  checkSchedule(out, hyper.schedule, hyper.learningRate);
  checkInt(out, 'batchSize', hyper.batchSize, LIMITS.batchSize.min, LIMITS.batchSize.max);
  checkInt(out, 'epochs', hyper.epochs, LIMITS.epochs.min, LIMITS.epochs.max);
  checkNumber(out, 'l2', hyper.l2, LIMITS.l2.min, LIMITS.l2.max);
  checkOneOf(out, 'classWeights', hyper.classWeights, ['none', 'balanced'] as const);
  checkEarlyStopping(out, hyper.earlyStopping);
  checkInt(out, 'seed', hyper.seed, LIMITS.seed.min, LIMITS.seed.max);
  return out;
}

export function assertValidHyper(hyper: unknown): Hyperparams {
  const problems = validateHyper(hyper);
  if (problems.length > 0) throw new Error(`The hyperparameters are not valid: ${problems.map((p) => p.message).join('; ')}`);
  return hyper as Hyperparams;
}
