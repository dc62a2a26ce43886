// The trainer worker's contract (workers/train.worker.ts): measuring backends, describing a version's input, and
// training. A training that does not finish rejects with a Failure (./outcomes.ts). Types only.

import type { BackendName, Environment, EvaluationReport, GoalMetric, MetricPoint, Preprocessor, Task } from '../shared/types';
import type { ModelFamily, ModelInput, RunParams } from '../train/spec/types';
import type { DatasetRef } from './dataset';
import type { TrainCheckpoint, TrainedModel } from './model';
import type { SmokeResult } from '../deliver/gates/pipeline-checks';

export type { SmokeResult };

export interface ProbeMeasurement {
  backend: BackendName;
  ok: boolean;
  msPerStep: number | null;
  error: string | null;
}

export interface ProbeResult {
  /** The family whose model was timed: a CNN step and an MLP step rank the backends differently. */
  family: ModelFamily;
  best: BackendName;
  measurements: ProbeMeasurement[];
  measuredAt: number;
  durationMs: number;
}

export type ProbeEvent = { type: 'probing'; backend: BackendName };

export interface TrainRequest {
  runId: string;
  task: Task;
  /** The model spec and hyperparameters, as the run records them; checked once, where the worker receives them. */
  params: RunParams;
  /**
   * The project's goal metric: measured on the validation split every epoch when early stopping watches it
   * (accuracy or R² when not given).
   */
  goal?: GoalMetric;
  backend: BackendName;
  /** The version to train on: the worker reads it (and fits the preprocessor on its training rows) itself. */
  dataset: DatasetRef;
  /** Continues from this checkpoint (same params, dataset and backend) instead of starting afresh. */
  resume?: TrainCheckpoint;
}

/**
 * What a version gives a model, from the preprocessor the trainer fits on its training rows: shown on the Train
 * screen (layer view, parameter count) before any run.
 */
export interface InputSummary {
  input: ModelInput;
  outputs: number;
  /** The encoded features in input order: a column and how many inputs it becomes (one-hot categories: one per value). */
  features: { name: string; kind: 'number' | 'category' | 'date' | 'image'; width: number }[];
}

export type TrainEvent =
  /** First, once the backend is set: the run's environment is known from here on. */
  | { type: 'backend'; backend: BackendName; environment: Environment }
  | { type: 'prepared'; trainRows: number; validationRows: number; testRows: number; inputSize: number; parameterCount: number }
  | { type: 'epoch'; epoch: number; epochs: number; points: MetricPoint[]; learningRate: number }
  /**
   * Mid-epoch, about once a second (never per batch): `epoch` is the 1-based epoch in progress, `batch` the batches
   * done of `batches`; `loss` and `metric` (accuracy or mae) are running means over those batches, the same means the
   * epoch's 'loss' and training-metric points report once all its batches are done.
   */
  | { type: 'progress'; epoch: number; batch: number; batches: number; loss: number; metric: number }
  /** Sent after every epoch's 'epoch' event; its buffers are transferred. */
  | { type: 'checkpoint'; checkpoint: TrainCheckpoint }
  | { type: 'paused'; paused: boolean }
  | { type: 'early-stop'; epoch: number; bestEpoch: number; restored: boolean }
  | { type: 'evaluating' };

export interface TestPrediction {
  row: number;
  output: string | number;
  probabilities: number[] | null;
}

export interface TrainResult {
  backend: BackendName;
  history: MetricPoint[];
  epochsCompleted: number;
  /** Stopped by the user (stop()). */
  stoppedEarly: boolean;
  /** With early stopping on: the epoch it stopped after (null: it trained every epoch), the best epoch, and whether the best weights were put back. */
  earlyStopping: { stoppedAt: number | null; bestEpoch: number; restored: boolean } | null;
  preprocessor: Preprocessor;
  evaluation: EvaluationReport;
  model: TrainedModel;
  /** Predictions on the test split, in row order, for the export bundle's examples. */
  testPredictions: TestPrediction[];
  versions: Record<string, string>;
}

/**
 * The training stage's smoke test: the model of `params` fitted for `steps` steps on one batch of `rows` training
 * rows. A pipeline whose model cannot overfit a handful of rows is broken (a wrong label column, a dead learning
 * rate), and this says so in seconds instead of after a full training.
 */
export interface SmokeRequest {
  jobId: string;
  task: Task;
  params: RunParams;
  backend: BackendName;
  dataset: DatasetRef;
  /** Rows of the training split in the batch (default 32). */
  rows?: number;
  /** Optimiser steps on that one batch (default 60). */
  steps?: number;
  /** Passes when the loss after the steps is at most this share of the loss before (default 0.5). */
  ratio?: number;
}


export interface TrainerApi {
  probe(family: ModelFamily, candidates: BackendName[], onEvent: (e: ProbeEvent) => void): Promise<ProbeResult>;
  /** Rejects with a Failure: 'killed' (kill), 'device-lost' (the GPU went away mid-run) or 'failed'. */
  train(request: TrainRequest, onEvent: (e: TrainEvent) => void): Promise<TrainResult>;
  /** Fits the preprocessor on the version's training rows (kept for the version's runs) and summarises it. */
  describeInput(dataset: DatasetRef, task: Task): Promise<InputSummary>;
  /** The smoke test of SmokeRequest; nothing is stored. */
  smoke(request: SmokeRequest): Promise<SmokeResult>;
  /** Ends the run after the current batch; the model trained so far is evaluated and returned. */
  stop(runId: string): void;
  /** Holds the run between two batches (state kept on the device) until called again with false. */
  pause(runId: string, paused: boolean): void;
  /** Ends the run after the current batch without evaluating it; its train() call rejects with { kind: 'killed' }. */
  kill(runId: string): void;
}
