import type { FittedRecipe } from '../core/recipe/types';
import type { Preprocessor, Run } from '../core/types';
import type { TrainedModel } from '../core/worker-api';
import type { Services } from './services';

/**
 * Reads a finished run's model back from storage in the form the predictor worker loads, with the run's recipe
 * chain: the predictor is fed raw rows and replays the chain before the preprocessor.
 */
export async function loadRunModel(
  services: Services,
  run: Run,
): Promise<{ model: TrainedModel; preprocessor: Preprocessor; recipes: FittedRecipe[] }> {
  if (!run.model || !run.preprocessor) throw new Error(`Run ${run.name} has no stored model.`);
  return { model: await services.runs.loadModel(run.id), preprocessor: run.preprocessor, recipes: run.recipes ?? [] };
}
