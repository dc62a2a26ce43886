// An epoch's running sums of the training loss (times the batch's rows) and metric, kept on the device. Adding each
// batch into a running total costs three kernels per step (a multiply and two adds), which on small models is a
// measurable share of the step; holding the batch scalars and folding them in groups costs five kernels per group.

import * as tf from '@tensorflow/tfjs';

/** Batches held before they are folded into the totals: few enough scalars alive, rare enough to be free. */
const FOLD_EVERY = 32;

export class RunningSums {
  #loss: tf.Scalar = tf.scalar(0);
  #metric: tf.Scalar = tf.scalar(0);
  /** Batch losses (means over the batch) with their row counts, and batch metric sums, not yet folded in. */
  #pending: { cost: tf.Scalar; size: number; metric: tf.Scalar }[] = [];

  /** Takes ownership of `cost` (the batch's mean loss) and `metric` (its metric summed over the batch's rows). */
  add(cost: tf.Scalar, metric: tf.Scalar, size: number): void {
    this.#pending.push({ cost, size, metric });
    if (this.#pending.length >= FOLD_EVERY) this.#fold();
  }

  /** [loss sum, metric sum] over every batch added so far; owned here, valid until the next add() or dispose(). */
  sums(): [tf.Scalar, tf.Scalar] {
    this.#fold();
    return [this.#loss, this.#metric];
  }

  dispose(): void {
    for (const { cost, metric } of this.#pending) tf.dispose([cost, metric]);
    this.#pending = [];
    tf.dispose([this.#loss, this.#metric]);
  }

  #fold(): void {
    const pending = this.#pending;
    if (pending.length === 0) return;
    this.#pending = [];
    const [loss, metric] = tf.tidy(() => {
      // All batches but an epoch's last have the same size: then one multiply weights the whole group.
      const size = pending[0].size;
      const weighted = pending.every((p) => p.size === size)
        ? tf.mul(tf.addN(pending.map((p) => p.cost)), size)
        : tf.addN(pending.map((p) => tf.mul(p.cost, p.size)));
      return [tf.add(this.#loss, weighted), tf.add(this.#metric, tf.addN(pending.map((p) => p.metric)))] as [tf.Scalar, tf.Scalar];
    });
    tf.dispose([this.#loss, this.#metric, ...pending.flatMap((p) => [p.cost, p.metric])]);
    this.#loss = loss;
    this.#metric = metric;
  }
}
