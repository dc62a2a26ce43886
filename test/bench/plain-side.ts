// The baseline side: a plain tfjs model.fit in its own fresh worker.

import { wrap } from 'comlink';
import type { BackendName } from '../../src/core/shared/types';
import type { RunParams } from '../../src/core/train/spec/types';
import type { PlainFitApi, SideResult } from './protocol';
import { message, side, withTimeout } from './side-common';
import type { BenchData } from './synthetic';

export async function runPlain(data: BenchData, params: RunParams, backend: BackendName, timeoutMs: number): Promise<SideResult> {
  const worker = new Worker(new URL('./plain-fit.worker.ts', import.meta.url), { type: 'module' });
  try {
    const api = wrap<PlainFitApi>(worker);
    const { hyper } = params;
    const result = await withTimeout(
      api.fit({
        backend,
        spec: params.spec,
        input: data.input,
        features: data.features,
        labels: data.labels,
        classCount: data.classCount,
        validationRows: data.validationRows,
        learningRate: hyper.learningRate,
        epochs: hyper.epochs,
        batchSize: hyper.batchSize,
        seed: hyper.seed,
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
