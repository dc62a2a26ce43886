// Drives one pipeline run through its stages: each stage's runner does the work (train, evaluate, test) and says how
// it ended; this applies those outcomes to the run through the state machine, keeps the stored copy current and
// turns a thrown error or an abort into the failed or cancelled run the page shows. The runners are injected, so the
// same driver runs in the app (workers, IndexedDB) and in tests (plain functions).

import { failureMessage, failureOf } from '../../shared/failure';
import { currentStage, isFinished, next } from './run-machine';
import type { RunOutputs } from './run-outputs';
import type { PipelineRun, RunEvent, StageArtifact, StageName } from './run-types';

export type StageResult =
  | { status: 'passed' }
  | { status: 'failed'; reason: string }
  | { status: 'skipped'; reason: string }
  /** The promote stage only: hold for a person's approval. */
  | { status: 'await-approval' };

export interface StageContext {
  /** The run as it stands (outputs of earlier stages included). */
  readonly run: PipelineRun;
  log(text: string): void;
  artifact(artifact: StageArtifact): void;
  output(patch: Partial<RunOutputs>): void;
  readonly signal: AbortSignal;
}

export type StageRunner = (ctx: StageContext) => Promise<StageResult>;
export type StageRunners = Record<StageName, StageRunner>;

export interface DriveOptions {
  now: () => number;
  /** Stores the run; called when it starts, after every stage, and when it ends. */
  save: (run: PipelineRun) => Promise<void>;
  /** Called on every change (a log line too), for a live view. */
  onChange?: (run: PipelineRun) => void;
  /** Aborting cancels the run: the running stage's runner sees it, and the run ends cancelled. */
  signal: AbortSignal;
  /** The reason recorded when `signal` aborts (default "cancelled by the user"). */
  cancelReason?: () => string;
}

/** Applies an event that the driver itself produced; a refusal here is a bug in the driver, not a user error. */
function apply(run: PipelineRun, event: RunEvent): PipelineRun {
  const step = next(run, event);
  if (!step.ok) throw new Error(`pipeline run ${run.id}: ${step.reason}`);
  return step.run;
}

/**
 * Runs the queued (or running) `run` until it finishes or waits for approval, and returns it as it then stands.
 * Never throws for a stage's failure: that becomes the failed run.
 */
export async function drive(start: PipelineRun, runners: StageRunners, options: DriveOptions): Promise<PipelineRun> {
  const { now, save, signal } = options;
  let run = start;
  const changed = (next: PipelineRun) => {
    run = next;
    options.onChange?.(run);
  };
  const cancelled = () => apply(run, { type: 'cancel', at: now(), reason: options.cancelReason?.() ?? 'cancelled by the user' });

  if (run.status === 'queued') {
    if (signal.aborted) {
      changed(cancelled());
      await save(run);
      return run;
    }
    changed(apply(run, { type: 'start', at: now() }));
    await save(run);
  }
  for (;;) {
    const stage = currentStage(run);
    if (isFinished(run) || !stage || stage.status === 'waiting') break;
    const name = stage.name;
    const context: StageContext = {
      get run() {
        return run;
      },
      signal,
      log: (text) => {
        if (currentStage(run)?.name === name) changed(apply(run, { type: 'log', stage: name, at: now(), text }));
      },
      artifact: (artifact) => {
        if (currentStage(run)?.name === name) changed(apply(run, { type: 'artifact', stage: name, artifact }));
      },
      output: (patch) => changed({ ...run, outputs: { ...run.outputs, ...patch } }),
    };
    let result: StageResult;
    try {
      result = await runners[name](context);
    } catch (error) {
      result = signal.aborted ? { status: 'failed', reason: '' } : { status: 'failed', reason: failureMessage(failureOf(error), `The ${name} stage`) };
    }
    if (signal.aborted) changed(cancelled());
    else if (result.status === 'passed') changed(apply(run, { type: 'pass', stage: name, at: now() }));
    else if (result.status === 'await-approval') changed(apply(run, { type: 'await-approval', at: now() }));
    else if (result.status === 'skipped') changed(apply(run, { type: 'skip', stage: name, at: now(), reason: result.reason }));
    else changed(apply(run, { type: 'fail', stage: name, at: now(), reason: result.reason || 'the stage failed without saying why' }));
    await save(run);
  }
  return run;
}
