// Mid-epoch progress for the live curves: on long epochs the per-epoch points alone leave the curves still for
// seconds. About once a second the running means are computed on the device and read back asynchronously; the loop
// never waits for that read, except at the end of the epoch (by which time it has long resolved), so events stay in
// order and no tensor outlives the epoch.

import * as tf from '@tensorflow/tfjs';
import type { TrainEvent } from '../../../src/core/contracts/train';

/** How often a long epoch reports its running loss and metric: often enough for live curves, rare enough to be free. */
export const PROGRESS_EVERY_MS = 1000;

export class ProgressReporter {
  #last = 0;
  #pending: Promise<void> = Promise.resolve();
  #error: unknown = null;

  constructor(
    private readonly everyMs: number,
    private readonly onEvent: (e: Extract<TrainEvent, { type: 'progress' }>) => void,
  ) {}

  /** The interval counts from the start of each epoch. */
  startEpoch(): void {
    this.#last = performance.now();
  }

  /**
   * After a batch: when the interval has passed, reads `sums()` ([loss sum, metric sum] over `seen` rows, asked for
   * only then) divided by `seen` on the device, as the epoch summary divides them. The sums stay the caller's; only
   * the new quotient is read.
   */
  batchDone(epoch: number, batch: number, batches: number, sums: () => readonly [tf.Scalar, tf.Scalar], seen: number): void {
    const now = performance.now();
    if (now - this.#last < this.everyMs) return;
    this.#last = now;
    const [loss, metric] = sums();
    const means = tf.tidy(() => tf.stack([tf.div(loss, seen), tf.div(metric, seen)]));
    const read = means.data().finally(() => means.dispose());
    // Chained so events leave in batch order whatever order the reads resolve in; an error is kept for flush().
    this.#pending = Promise.all([this.#pending, read]).then(
      ([, values]) => {
        if (this.#error === null) this.onEvent({ type: 'progress', epoch, batch, batches, loss: values[0], metric: values[1] });
      },
      (error: unknown) => {
        this.#error ??= error;
      },
    );
  }

  /** Waits for the reads still in flight and sends their events; throws if a read failed. */
  async flush(): Promise<void> {
    await this.#pending;
    if (this.#error !== null) throw this.#error;
  }

  /** As flush(), without throwing: for cleanup on a path that already has an error or an interruption. */
  async settle(): Promise<void> {
    await this.#pending;
  }
}
