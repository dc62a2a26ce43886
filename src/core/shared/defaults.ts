import type { ColumnRole, Goal, Project, RunParams, SampleName, SplitSpec, Task } from './types';
import { defaultHyper, defaultSpec } from '../train/spec/defaults';

export const DEFAULT_SPLIT: SplitSpec = { method: 'stratified', seed: 42, fractions: [0.7, 0.15, 0.15] };

/** A new run's model and training: the MLP family's defaults (src/core/train/spec/defaults.ts). */
export const DEFAULT_PARAMS: RunParams = { spec: defaultSpec('mlp'), hyper: defaultHyper('mlp') };

export function defaultGoal(task: Task): Goal {
  return task === 'classification' ? { metric: 'accuracy', bar: 0.9 } : { metric: 'r2', bar: 0.7 };
}

export const SAMPLE_PROJECT_ID = 'sample-penguins';

/** How a built-in sample becomes a project and its first dataset version. */
export interface SampleDefinition {
  name: SampleName;
  /** The button text on the Define screen. */
  title: string;
  project: Omit<Project, 'createdAt'>;
  /** Roles other than the default (target: the project's target; everything else a feature). */
  roles: Record<string, ColumnRole>;
  /** Split overrides; without them the task's default split is used. */
  split: Partial<Pick<SplitSpec, 'method' | 'timeColumn'>>;
}

export const SAMPLES: Record<SampleName, SampleDefinition> = {
  penguins: {
    name: 'penguins',
    title: 'Penguins (classification)',
    project: {
      id: SAMPLE_PROJECT_ID,
      name: 'Penguin species',
      task: 'classification',
      target: 'Species',
      goal: { metric: 'accuracy', bar: 0.9 },
      sample: 'penguins',
    },
    roles: {},
    split: {},
  },
  cars: {
    name: 'cars',
    title: 'Cars (regression)',
    project: {
      id: 'sample-cars',
      name: 'Car fuel economy',
      task: 'regression',
      target: 'Miles_per_Gallon',
      goal: { metric: 'r2', bar: 0.8 },
      sample: 'cars',
    },
    // A car's name is nearly unique per row: as a feature it would only let the model memorise.
    roles: { Name: 'ignore' },
    split: {},
  },
  'seattle-weather': {
    name: 'seattle-weather',
    title: 'Seattle weather (classification)',
    project: {
      id: 'sample-seattle-weather',
      name: 'Seattle weather',
      task: 'classification',
      target: 'weather',
      goal: { metric: 'accuracy', bar: 0.8 },
      sample: 'seattle-weather',
    },
    // Four years of days: train on the earliest, test on the latest, as a forecast would be used.
    // The date itself orders the split; as a category feature every value would be new at test time.
    roles: { date: 'ignore' },
    split: { method: 'time', timeColumn: 'date' },
  },
  shapes: {
    name: 'shapes',
    title: 'Shapes (image classification)',
    project: {
      id: 'sample-shapes',
      name: 'Drawn shapes',
      task: 'classification',
      target: 'label',
      goal: { metric: 'accuracy', bar: 0.9 },
      sample: 'shapes',
      image: { width: 32, height: 32, channels: 3 },
    },
    // Drawn by the app itself (src/core/data/images/shapes.ts), so image work needs no files and no network.
    roles: {},
    split: {},
  },
};

export function sampleProject(name: SampleName, now: number): Project {
  return { ...SAMPLES[name].project, createdAt: now };
}

