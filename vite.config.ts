import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FIRST_SCREEN_LIMIT_KB, firstScreenSize, kilobytes } from './scripts/first-screen.mjs';
import { contentSecurityPolicy } from './scripts/csp.mjs';
import { standaloneRuntime } from './scripts/standalone-runtime.mjs';

const samples = fileURLToPath(new URL('./node_modules/vega-datasets/data', import.meta.url));

/** A package's installed version, read when the app is built. */
const installed = (path: string): string =>
  (JSON.parse(readFileSync(new URL(`./${path}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;
// The versions this build ships, so the page can warn before replaying a run recorded with other ones (the worker
// records what actually ran; these are the same packages, read where the main thread cannot import tfjs).
const libraries = {
  loopbench: installed('.'),
  tfjs: installed('node_modules/@tensorflow/tfjs'),
  'tfjs-core': installed('node_modules/@tensorflow/tfjs-core'),
  'tfjs-layers': installed('node_modules/@tensorflow/tfjs-layers'),
  backends: {
    cpu: installed('node_modules/@tensorflow/tfjs-backend-cpu'),
    webgl: installed('node_modules/@tensorflow/tfjs-backend-webgl'),
    wasm: installed('node_modules/@tensorflow/tfjs-backend-wasm'),
    webgpu: installed('node_modules/@tensorflow/tfjs-backend-webgpu'),
  },
};

/** Prints what a first visit downloads before the Define screen shows, so a growing shell is seen at build time. */
function firstScreenReport(): Plugin {
  let outDir: string | null = null;
  return {
    name: 'loopbench:first-screen',
    apply: 'build',
    configResolved(config) {
      // A build that writes nothing (one analysed in memory) has no index.html to follow.
      outDir = config.build.write ? resolve(config.root, config.build.outDir) : null;
    },
    closeBundle: {
      order: 'post',
      handler() {
        if (!outDir) return;
        const { gzip } = firstScreenSize(outDir);
        const line = `First screen: ${kilobytes(gzip)} KB gzipped (limit ${FIRST_SCREEN_LIMIT_KB} KB)`;
        // Over the limit it is a warning, shown even by quiet builds; test/e2e/first-screen.test.ts fails on it.
        if (gzip > FIRST_SCREEN_LIMIT_KB * 1024) this.environment.logger.warn(line);
        else this.environment.logger.info(line);
      },
    },
  };
}

export default defineConfig({
  resolve: { alias: { '@samples': samples } },
  define: { __LOOPBENCH_LIBRARIES__: JSON.stringify(libraries) },
  worker: { format: 'es' },
  // Libraries used only inside workers are not seen by the dev server's scan of index.html.
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-backend-webgpu',
      '@tensorflow/tfjs-backend-wasm',
      'comlink',
      'hyparquet',
      'hyparquet-compressors',
    ],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  preview: { port: 4173, strictPort: true },
  plugins: [
    svelte(),
    firstScreenReport(),
    contentSecurityPolicy(),
    // The export bundle's standalone page runtime, emitted as standalone-runtime.js and precached below (**/*.js).
    standaloneRuntime(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'Loopbench',
        short_name: 'Loopbench',
        description: 'Walk the whole MLOps loop in your browser, offline.',
        theme_color: '#1f3a5f',
        background_color: '#f6f7f9',
        display: 'standalone',
        start_url: '.',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The tfjs worker chunk is ~2.4 MB and the wasm binaries are larger than the 2 MiB default:
        // without this the build fails or, worse, the app is not usable offline.
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
        globPatterns: ['**/*.{js,css,html,wasm,json,csv,png,svg}'],
        navigateFallback: 'index.html',
      },
    }),
  ],
});
