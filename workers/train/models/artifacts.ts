// The trained model as plain data (topology, weight specs, one weight buffer) for storage and serving.

import * as tf from '@tensorflow/tfjs';
import type { TrainedModel } from '../../../src/core/contracts/model';

export async function exportModel(model: tf.LayersModel): Promise<TrainedModel> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const artifacts = saved as tf.io.ModelArtifacts | null;
  if (!artifacts?.modelTopology || !artifacts.weightSpecs || !artifacts.weightData) {
    throw new Error('tfjs did not hand over the model topology and weights');
  }
  const weightSpecs = artifacts.weightSpecs.map((s) => {
    if (s.dtype !== 'float32' && s.dtype !== 'int32' && s.dtype !== 'bool') {
      throw new Error(`weight ${s.name} has unsupported dtype ${s.dtype}`);
    }
    return { name: s.name, shape: s.shape.slice(), dtype: s.dtype };
  });
  return {
    topology: artifacts.modelTopology,
    weightSpecs,
    weights: tf.io.CompositeArrayBuffer.join(artifacts.weightData),
  };
}
