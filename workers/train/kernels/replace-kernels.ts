// Swapping a backend's kernels in tfjs's registry: each replacement wraps tfjs's own kernel, which it calls for the
// inputs it does not handle.

import * as tf from '@tensorflow/tfjs';

export type Replacement = [kernelName: string, replace: (original: tf.KernelFunc) => tf.KernelFunc];

/** Puts each replacement in place of `backend`'s kernel of that name; a kernel this tfjs lacks is left alone. */
export function replaceKernels(backend: string, replacements: readonly Replacement[]): void {
  for (const [name, replace] of replacements) {
    const original = tf.getKernel(name, backend);
    if (!original) continue;
    tf.unregisterKernel(name, backend);
    tf.registerKernel({ ...original, kernelFunc: replace(original.kernelFunc) });
  }
}
