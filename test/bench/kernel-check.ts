// Loopbench's own GPU kernels against tfjs's, in one worker per backend: each case runs with tfjs's kernels, then the
// backend is tuned as the trainer tunes it and the case runs again. Values come from a JS generator, so both runs see
// the same inputs.

import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../workers/backends';
import { useTunedBackend } from '../../workers/kernels/tuned-backend';
import { softwareWebGpu } from '../../workers/kernels/webgpu-direct-conv';
import { softwareWebGl } from '../../workers/kernels/webgl-software-kernels';
import { mismatches, relativeDifference, type KernelCheck, type TunedGpuBackend } from './parity-protocol';
import { filler } from './parity-step';
import { WEBGPU_CONV_CASES } from './webgpu-conv-cases';
import { WEBGL_GRADIENT_CASES } from './webgl-gradient-cases';

export interface KernelCase {
  label: string;
  /** Compared element by element (the kernel promises tfjs's very values), not within a tolerance. */
  exact: boolean;
  run(next: (n: number) => Float32Array): Promise<Float32Array>;
}

interface Suite {
  kernels: string[];
  software(backend: unknown): boolean;
  cases: KernelCase[];
}

const SUITES: Record<TunedGpuBackend, Suite> = {
  webgpu: { kernels: [tf.Conv2D, tf.FusedConv2D], software: softwareWebGpu, cases: WEBGPU_CONV_CASES },
  webgl: { kernels: [tf.Conv2DBackpropFilter, tf.MaxPoolGrad], software: softwareWebGl, cases: WEBGL_GRADIENT_CASES },
};

async function runCases(cases: KernelCase[]): Promise<Float32Array[]> {
  const next = filler(99);
  const results: Float32Array[] = [];
  for (const c of cases) results.push(await c.run(next));
  return results;
}

export async function checkKernels(backend: TunedGpuBackend): Promise<KernelCheck> {
  const suite = SUITES[backend];
  await useBackend(backend);
  const shipped = suite.kernels.map((name) => tf.getKernel(name, backend).kernelFunc);
  const before = await runCases(suite.cases);
  await useTunedBackend(backend);
  const dataBefore = tf.backend().numDataIds();
  const after = await runCases(suite.cases);
  return {
    backend,
    leakedData: tf.backend().numDataIds() - dataBefore,
    software: suite.software(tf.backend()),
    replaced: suite.kernels.every((name, i) => tf.getKernel(name, backend).kernelFunc !== shipped[i]),
    cases: suite.cases.map((c, i) => ({
      label: c.label,
      exact: c.exact,
      relativeDifference: relativeDifference(after[i], before[i]),
      mismatches: mismatches(after[i], before[i]),
    })),
  };
}
