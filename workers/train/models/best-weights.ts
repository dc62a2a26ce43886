// Keeps a device-side copy of the best epoch's weights for early stopping's "restore best weights": copying on the
// device costs no readback, and putting them back is one assign per variable.

import * as tf from '@tensorflow/tfjs';

export class BestWeights {
  #copy: tf.Tensor[] | null = null;

  /** Replaces the kept copy with the model's current weights. */
  keep(model: tf.LayersModel): void {
    this.dispose();
    this.#copy = model.weights.map((w) => w.read().clone());
  }

  /** Takes ownership of `tensors` (a checkpoint's copy) as the kept weights. */
  adopt(tensors: tf.Tensor[]): void {
    this.dispose();
    this.#copy = tensors;
  }

  /** The kept copy, for a checkpoint; owned here. */
  get tensors(): readonly tf.Tensor[] {
    return this.#copy ?? [];
  }

  get held(): boolean {
    return this.#copy !== null;
  }

  /** Puts the kept weights back into the model (the variables share the data; the copy can then be disposed). */
  restore(model: tf.LayersModel): void {
    if (this.#copy) model.setWeights(this.#copy);
  }

  dispose(): void {
    for (const t of this.#copy ?? []) t.dispose();
    this.#copy = null;
  }
}
