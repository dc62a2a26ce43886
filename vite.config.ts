import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { fileURLToPath } from 'node:url';

const samples = fileURLToPath(new URL('./node_modules/vega-datasets/data', import.meta.url));

export default defineConfig({
  resolve: { alias: { '@samples': samples } },
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
