// A trained model whose final write failed (storage full): held in the tab so it can be saved again once there is
// space, or downloaded as TensorFlow.js files. Plain functions, so the rune classes stay thin holders of them.

import type { RunPatch } from '../../platform/repositories/runs';
import type { Services } from '../shared/services';
import { ensureRoom } from '../../platform/storage';
import { forgetRunEnd } from '../../platform/run-ends';

/** A trained model held in memory because storing it failed; `finish(runId, patch, weights)` stores it. */
export interface UnsavedModel {
  runId: string;
  runName: string;
  patch: RunPatch;
  weights: ArrayBuffer;
  /** Why it is not stored, for the user. */
  message: string;
}

/**
 * Stores the model as training would have: the run becomes finished with its weights, and the checkpoint it kept for a
 * resume goes. Throws (StorageFullError when there is still no space) and leaves the run as it was if it fails.
 */
export async function saveUnsaved(services: Pick<Services, 'runs'>, model: UnsavedModel): Promise<void> {
  await ensureRoom('the trained model', model.weights.byteLength);
  await services.runs.finish(model.runId, { ...model.patch, endedAt: Date.now() }, model.weights);
  forgetRunEnd(model.runId);
  await services.runs.checkpoints.delete(model.runId).catch(() => undefined);
}

/** The files a TensorFlow.js `loadLayersModel` reads: model.json naming the weights file, and the weights. */
export function unsavedModelFiles(model: UnsavedModel): { modelJson: { name: string; text: string }; weights: { name: string; bytes: Uint8Array } } | null {
  const spec = model.patch.model;
  if (!spec) return null;
  const base = fileStem(model.runName);
  const weightsName = `${base}.weights.bin`;
  const modelJson = {
    format: 'layers-model',
    generatedBy: `Loopbench (TensorFlow.js ${model.patch.versions?.tfjs ?? 'unknown'})`,
    convertedBy: null,
    modelTopology: spec.topology,
    weightsManifest: [{ paths: [weightsName], weights: spec.weightSpecs }],
  };
  return {
    modelJson: { name: `${base}.model.json`, text: JSON.stringify(modelJson) },
    weights: { name: weightsName, bytes: new Uint8Array(model.weights) },
  };
}

/** A file name from a run's name: letters, digits, dots and dashes only. */
function fileStem(name: string): string {
  return name.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
}
