import type { Run } from '../../core/shared/types';
import type { LoadedRun } from '../../platform/workers';
import type { Services } from './services';

/**
 * Reads a finished run's model back from storage in the form the predictor worker loads, with the run's recipe
 * chain: the predictor is fed raw rows and replays the chain before the preprocessor.
 */
export async function loadRunModel(services: Services, run: Run): Promise<LoadedRun> {
  if (!run.model || !run.preprocessor) throw new Error(`Run ${run.name} has no stored model.`);
  const loaded: LoadedRun = { model: await services.runs.loadModel(run.id), preprocessor: run.preprocessor, recipes: run.recipes ?? [] };
  // Raw rows are read in the number and date format of the file the run's data was imported from.
  if (run.format) loaded.format = run.format;
  return loaded;
}
