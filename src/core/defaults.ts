import type { Goal, MlpParams, Project, SplitSpec, Task } from './types';

export const DEFAULT_SPLIT: SplitSpec = { method: 'stratified', seed: 42, fractions: [0.7, 0.15, 0.15] };

export const DEFAULT_PARAMS: MlpParams = {
  hiddenLayers: 1,
  units: 16,
  activation: 'relu',
  optimizer: 'adam',
  learningRate: 0.01,
  epochs: 40,
  batchSize: 32,
  seed: 7,
};

export function defaultGoal(task: Task): Goal {
  return task === 'classification' ? { metric: 'accuracy', bar: 0.9 } : { metric: 'r2', bar: 0.7 };
}

export const SAMPLE_PROJECT_ID = 'sample-penguins';

export function samplePenguinsProject(now: number): Project {
  return {
    id: SAMPLE_PROJECT_ID,
    name: 'Penguin species',
    task: 'classification',
    target: 'Species',
    goal: { metric: 'accuracy', bar: 0.9 },
    createdAt: now,
    sample: 'penguins',
  };
}
