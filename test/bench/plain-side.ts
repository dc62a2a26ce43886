// The baseline side: a plain tfjs model.fit in its own fresh worker.

import { wrap } from 'comlink';
import type { BackendName } from '../../src/core/types';
// The bench states its MLP in the flat form both sides understand; Loopbench's side turns it into a spec.
import type { LegacyMlpParams as MlpParams } from '../../src/core/model-spec/migrate-run';
import type { PlainFitApi, SideResult } from './protocol';
import { message, side, withTimeout } from './side-common';
import type { SyntheticData } from './synthetic';

export async function runPlain(data: SyntheticData, params: MlpParams, backend: BackendName, timeoutMs: number): Promise<SideResult> {
  const worker = new Worker(new URL('./plain-fit.worker.ts', import.meta.url), { type: 'module' });
  try {
    const api = wrap<PlainFitApi>(worker);
    const result = await withTimeout(
      api.fit({
        backend,
        features: data.features,
        labels: data.labels,
        featureCount: data.featureCount,
        classCount: data.classCount,
        hiddenLayers: params.hiddenLayers,
        units: params.units,
        learningRate: params.learningRate,
        epochs: params.epochs,
        batchSize: params.batchSize,
        seed: params.seed,
      }),
      timeoutMs,
      'plain fit',
    );
    const error = result.backend === backend ? null : `ran on ${result.backend}`;
    return side(result.backend, result.epochMs, error);
  } catch (error) {
    return side(null, [], message(error));
  } finally {
    worker.terminate();
  }
}
