import type { Preprocessor, Run } from '../core/types';
import type { TrainedModel } from '../core/worker-api';
import type { Services } from './services';

/** Reads a finished run's model back from storage in the form the predictor worker loads. */
export async function loadRunModel(
  services: Services,
  run: Run,
): Promise<{ model: TrainedModel; preprocessor: Preprocessor }> {
  if (!run.model || !run.preprocessor) throw new Error(`Run ${run.name} has no stored model.`);
  return { model: await services.runs.loadModel(run.id), preprocessor: run.preprocessor };
}
