// Builds the app once and serves the production build, as users get it, for every e2e file.
// Each run builds into its own folder, so two runs at once (or a dev build) do not collide.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';

let server: PreviewServer | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const distDir = join(process.cwd(), '.tmp', `e2e-dist-${process.pid}`);
  // Vitest sets NODE_ENV=test, which would make Vite build Svelte's development code: build what users get.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ logLevel: 'warn', build: { outDir: distDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  server = await preview({ build: { outDir: distDir }, preview: { port: 4180, strictPort: false }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  project.provide('baseUrl', url);
  project.provide('distDir', distDir);
  return async () => {
    await server?.close();
    rmSync(distDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    distDir: string;
  }
}
