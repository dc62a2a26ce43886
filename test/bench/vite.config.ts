// Builds the bench page (index.html here) with the app's own resolve and worker settings, so the
// real training worker is bundled exactly as the app bundles it.

import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import app from '../../vite.config.ts';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: app.resolve,
  worker: app.worker,
  build: {
    outDir: fileURLToPath(new URL('../../.tmp/bench-dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8192,
    // Bundling the tfjs workers dominates this small build, which rolldown reports as slow plugins: expected noise.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  // localhost is a secure context, which WebGPU requires.
  preview: { host: 'localhost', port: 4183 },
  logLevel: 'warn',
});
