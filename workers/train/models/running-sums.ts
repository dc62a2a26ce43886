// An epoch's running sums of the training loss (times the batch's rows) and metric, kept on the device. Adding each
// batch into a running total costs three kernels per step (a multiply and two adds), which on small models is a
// measurable share of the step; holding the batch scalars and folding them in groups costs five kernels per group.
//
// Every fold has the same shape: GPU backends compile a shader per input count of addN, so folding whatever was
// pending when a progress read came (2 batches, then 5, then 12...) compiled new shaders in the middle of training
// (seen on webgl: a new program in the second epoch; each costs up to seconds on a software GPU). A partial group is
// padded with zeros to the full count instead, and reading the sums never changes how batches are grouped, so the
// totals are the same bits whenever the progress reads happen.

import * as tf from '@tensorflow/tfjs';

/** Batches held before they are folded into the totals: few enough scalars alive, rare enough to be free. */
export const FOLD_EVERY = 32;

export class RunningSums {
  #loss: tf.Scalar = tf.scalar(0);
  #metric: tf.Scalar = tf.scalar(0);
  readonly #zero: tf.Scalar = tf.scalar(0);
  /** Batch losses (means over `#size` rows each) and batch metric sums, not yet folded in. */
  #pending: { cost: tf.Scalar; metric: tf.Scalar }[] = [];
  /** The rows of every pending batch: all batches but an epoch's last have the same size. */
  #size = 0;
  /** The totals including the pending batches, as last asked for by sums(); dropped by the next add(). */
  #view: [tf.Scalar, tf.Scalar] | null = null;

  /** Takes ownership of `cost` (the batch's mean loss) and `metric` (its metric summed over the batch's rows). */
  add(cost: tf.Scalar, metric: tf.Scalar, size: number): void {
    this.#dropView();
    // A batch of another size (the epoch's last) closes the group, so one multiply still weights a whole group.
    if (this.#pending.length > 0 && size !== this.#size) this.#fold();
    this.#size = size;
    this.#pending.push({ cost, metric });
    if (this.#pending.length === FOLD_EVERY) this.#fold();
  }

  /** [loss sum, metric sum] over every batch added so far; owned here, valid until the next add() or dispose(). */
  sums(): [tf.Scalar, tf.Scalar] {
    if (this.#pending.length === 0) return [this.#loss, this.#metric];
    this.#view ??= tf.tidy(() => this.#withPending());
    return this.#view;
  }

  dispose(): void {
    this.#dropView();
    for (const { cost, metric } of this.#pending) tf.dispose([cost, metric]);
    this.#pending = [];
    tf.dispose([this.#loss, this.#metric, this.#zero]);
  }

  #fold(): void {
    const [loss, metric] = tf.tidy(() => this.#withPending());
    tf.dispose([this.#loss, this.#metric, ...this.#pending.flatMap((p) => [p.cost, p.metric])]);
    this.#pending = [];
    this.#loss = loss;
    this.#metric = metric;
  }

  /** The totals plus the pending group, always summed as FOLD_EVERY inputs (zeros after the batches). */
  #withPending(): [tf.Scalar, tf.Scalar] {
    const padding = Array.from({ length: FOLD_EVERY - this.#pending.length }, () => this.#zero);
    const costs = tf.addN([...this.#pending.map((p) => p.cost), ...padding]);
    const metrics = tf.addN([...this.#pending.map((p) => p.metric), ...padding]);
    return [tf.add(this.#loss, tf.mul(costs, this.#size)), tf.add(this.#metric, metrics)];
  }

  #dropView(): void {
    if (this.#view) tf.dispose(this.#view);
    this.#view = null;
  }
}
