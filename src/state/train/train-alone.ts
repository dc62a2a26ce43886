// Trains one run on a trainer worker of its own, so the Train form stays free: prepared and recorded as the form's runs
// are (TrainState.check and prepare, the run lock, a RunSession that stores history, model and checkpoints), with its
// progress told about once per epoch. A pipeline's training stage and the Monitor's feedback loop train this way.

import type { BackendName, DatasetVersion, Project, Run } from '../../core/shared/types';
import type { RunParams } from '../../core/train/spec/types';
import { newId } from '../../core/shared/ids';
import { failureMessage } from '../../core/shared/failure';
import { holdRunLock } from '../../platform/run-locks';
import { fmt } from '../deliver/stages/job';
import type { Services } from '../shared/services';
import { RunSession, startingLive, type SessionEnd } from './run-session.svelte';
import type { TrainState } from './train.svelte';

export interface TrainAloneOptions {
  name: string;
  tags?: Record<string, string>;
  /** Trains on this backend whatever the Train form's choice. */
  backend?: BackendName;
  /** Aborting kills the run after its current batch: no model is kept. */
  signal: AbortSignal;
  /** What the preparation says, the start, and each finished epoch's loss and validation figure. */
  log: (message: string) => void;
  /** Wraps the training itself (a pipeline adds its time to the run's training time). */
  around?: (work: () => Promise<SessionEnd>) => Promise<SessionEnd>;
}

export type TrainedAlone = { ok: true; run: Run } | { ok: false; reason: string };

/** The finished run, or why it did not finish ('cancelled' when `signal` ended it). */
export async function trainAlone(
  services: Services,
  train: Pick<TrainState, 'check' | 'prepare' | 'sessionOptions'>,
  project: Project,
  dataset: DatasetVersion,
  params: RunParams,
  options: TrainAloneOptions,
): Promise<TrainedAlone> {
  const { name, signal, log } = options;
  const checked = train.check({ params, ...(options.backend ? { backend: options.backend } : {}) });
  if (typeof checked === 'string') return { ok: false, reason: checked };
  if (signal.aborted) return { ok: false, reason: 'cancelled' };
  const runId = newId('run');
  const trainer = services.newTrainer();
  const session = new RunSession(services, train.sessionOptions(trainer), startingLive(runId, null, params.hyper.epochs, 'Preparing…'));
  const stop = () => session.kill();
  signal.addEventListener('abort', stop, { once: true });
  let logged = 0;
  const progress = setInterval(() => {
    const live = session.live;
    if (live.epoch <= logged) return;
    logged = live.epoch;
    const last = (key: string) => [...live.history].reverse().find((p) => p.key === key)?.value;
    const metric = project.task === 'classification' ? 'accuracy' : 'mae';
    log(`epoch ${live.epoch}/${live.epochs}: loss ${fmt(last('loss'))}, validation ${metric} ${fmt(last(`val_${metric}`))}`);
  }, 250);
  try {
    const record = await train.prepare(project, dataset, checked, { runId, name, tags: { ...options.tags } }, log);
    log(`Training "${name}" (${params.spec.family}, ${params.hyper.epochs} epochs, seed ${params.hyper.seed}) on ${record.backend}…`);
    const work = () => holdRunLock(runId, () => session.execute(project, dataset, record));
    const end = await (options.around ? options.around(work) : work());
    if (end.status === 'killed') return { ok: false, reason: signal.aborted ? 'cancelled' : 'the run was killed' };
    if (end.status === 'failed') return { ok: false, reason: `training failed: ${failureMessage(end.failure)}` };
    const run = await services.runs.get(runId);
    if (!run?.model) return { ok: false, reason: 'the run ended without a stored model' };
    return { ok: true, run };
  } finally {
    clearInterval(progress);
    signal.removeEventListener('abort', stop);
    trainer.kill();
  }
}
