// Seeded dropout that still draws a new mask every batch. tfjs's Dropout layer passes its `seed` field to
// tf.dropout on every call (tfjs-layers 4.22, Dropout.call), so a seed fixed at build time would reuse one mask for
// the whole run, and no seed makes runs unrepeatable. Setting the field before each step to a value derived from the
// run's seed and the global step gives every step its own mask, the same one on a replay or a resumed run (the step
// comes from epoch and batch, so the checkpoint needs nothing more).

import type * as tf from '@tensorflow/tfjs';

/** The field of tfjs's Dropout layer that tf.dropout's seed is read from on each call. */
type Seeded = { seed?: number };

export function dropoutLayers(model: tf.LayersModel): Seeded[] {
  return model.layers.filter((layer) => layer.getClassName() === 'Dropout') as unknown as Seeded[];
}

/** murmur3's finaliser: a bijection on 32 bits that spreads every input bit over the output. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A well-mixed 32-bit value of (seed, step, layer): neighbouring steps must not get related masks. */
export function stepSeed(seed: number, step: number, layer: number): number {
  return mix(mix(mix(seed | 0) ^ (step | 0)) ^ layer);
}

export function seedDropout(layers: readonly Seeded[], seed: number, step: number): void {
  layers.forEach((layer, i) => {
    layer.seed = stepSeed(seed, step, i);
  });
}

/** Before export: a saved model must not carry one step's seed (it only matters while training anyway). */
export function unseedDropout(layers: readonly Seeded[]): void {
  for (const layer of layers) delete layer.seed;
}
