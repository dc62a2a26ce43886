// The backend switch Loopbench's own workers use: tfjs's backend, then Loopbench's kernels for it (on cpu only). Only
// the bench's plain model.fit calls useBackend alone, so it runs tfjs as shipped.

import type { BackendName } from '../../../src/core/shared/types';
import { useBackend } from '../../backend/backends';
import { useFastCpuKernels } from './cpu-kernels';

export async function useTunedBackend(name: BackendName): Promise<BackendName> {
  const backend = await useBackend(name);
  if (backend === 'cpu') useFastCpuKernels();
  return backend;
}
