// The backend parity worker: one fresh worker per backend, so a backend's failure or state cannot leak into the next.

import { expose } from 'comlink';
// The app's own registration and checked switch: a backend that fails to start is an error here, not a fallback.
import '../../workers/register-backends';
import { useBackend } from '../../workers/backends';
import type { ParityWorkerApi } from './parity-protocol';
import { parityGradients } from './parity-step';

const api: ParityWorkerApi = {
  async gradients(family, backend) {
    await useBackend(backend);
    return parityGradients(family);
  },
};

expose(api);
