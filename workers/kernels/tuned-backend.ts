// The backend switch Loopbench's own workers use: tfjs's backend, then Loopbench's kernels for it. Only the bench's
// plain model.fit, and the checks that compare Loopbench's kernels with tfjs's, call useBackend alone.

import type { BackendName } from '../../src/core/shared/types';
import { useBackend } from '../backends';
import { useFastCpuKernels } from './cpu-kernels';
import { useDirectConvOnSoftwareWebGpu } from './webgpu-direct-conv';
import { useSoftwareWebGlKernels } from './webgl-software-kernels';

export async function useTunedBackend(name: BackendName): Promise<BackendName> {
  const backend = await useBackend(name);
  if (backend === 'cpu') useFastCpuKernels();
  if (backend === 'webgpu') await useDirectConvOnSoftwareWebGpu();
  if (backend === 'webgl') await useSoftwareWebGlKernels();
  return backend;
}
