// The backend parity worker: one fresh worker per backend, so a backend's failure or state cannot leak into the next.

import { expose } from 'comlink';
// The app's own registration and checked switch: a backend that fails to start is an error here, not a fallback.
// Switched as the trainer switches (with Loopbench's cpu gradient kernels), so the parity covers the kernels runs use.
import '../../workers/backend/register-backends';
import { useTunedBackend } from '../../workers/train/kernels/tuned-backend';
import type { ParityWorkerApi } from './parity-protocol';
import { parityGradients } from './parity-step';

const api: ParityWorkerApi = {
  async gradients(family, backend) {
    await useTunedBackend(backend);
    return parityGradients(family);
  },
};

expose(api);
