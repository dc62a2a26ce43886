// Learning-rate schedules as pure functions of the epoch (0-based): the trainer sets the rate once per epoch.

import type { Schedule } from './types';

/** The learning rate for `epoch` (0 is the first) of a run planned for `epochs` epochs; lr(0) is the base rate. */
export function learningRateAt(schedule: Schedule, base: number, epoch: number, epochs: number): number {
  switch (schedule.kind) {
    case 'constant':
      return base;
    case 'step':
      return base * schedule.factor ** Math.floor(epoch / schedule.every);
    case 'exponential':
      return base * schedule.rate ** epoch;
    case 'cosine': {
      // Reaches the minimum at the last planned epoch (epochs - 1), so the last epoch trains at the minimum.
      const span = Math.max(epochs - 1, 1);
      const t = Math.min(Math.max(epoch / span, 0), 1);
      return schedule.minLearningRate + ((base - schedule.minLearningRate) * (1 + Math.cos(Math.PI * t))) / 2;
    }
  }
}

/** The default parameters of each schedule kind, for switching kinds in the form. */
export function defaultSchedule(kind: Schedule['kind'], learningRate: number): Schedule {
  switch (kind) {
    case 'constant':
      return { kind };
    case 'step':
      return { kind, every: 10, factor: 0.5 };
    case 'exponential':
      return { kind, rate: 0.95 };
    case 'cosine':
      return { kind, minLearningRate: learningRate / 100 };
  }
}
