// Backend parity: one training step of a tiny MLP and a tiny CNN on every tfjs backend this Chromium has (webgpu
// through SwiftShader, webgl, wasm, cpu), gradients compared with cpu's. Runs on the bench page (test/bench), which
// bundles the app's own worker code, so nothing test-only ships in the app.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { BackendName } from '../../src/core/shared/types';
import type { ParityRow } from '../bench/parity-protocol';
import { launch } from './browser';

const configFile = fileURLToPath(new URL('../bench/vite.config.ts', import.meta.url));
const distDir = join(process.cwd(), '.tmp', `parity-dist-${process.pid}`);
const BACKENDS: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
/** float32 on every backend; GPU kernels sum in other orders (and use fused ops), hence not exact. */
const TOLERANCE = 1e-3;

let browser: Browser;
let server: PreviewServer;
let url: string;

beforeAll(async () => {
  // Its own folder and port: `npm run bench` may be building test/bench into .tmp/bench-dist at the same time.
  await build({ configFile, logLevel: 'warn', build: { outDir: distDir, emptyOutDir: true } });
  server = await preview({ configFile, logLevel: 'warn', build: { outDir: distDir }, preview: { port: 4190, strictPort: false } });
  const local = server.resolvedUrls?.local[0];
  if (!local) throw new Error('vite preview did not report a URL');
  url = local;
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(distDir, { recursive: true, force: true });
});

test('one step of the MLP and the CNN gives cpu gradients on webgpu, webgl and wasm', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => typeof window.runParity === 'function', null, { timeout: 30_000 });
  const rows = await page.evaluate(([b, t]) => window.runParity(['mlp', 'cnn'], b, t), [BACKENDS, 150_000] as const);
  await page.close();
  // Printed so a failure (or a drift towards the tolerance) can be read without rerunning.
  console.log(rows.map((r) => `${r.family} ${r.backend}: ${r.status} ${r.backendUsed ?? ''} ${r.maxRelativeDifference?.toExponential(2) ?? ''} ${r.worstWeight ?? ''} ${r.reason ?? ''}`).join('\n'));
  expect(errors).toEqual([]);

  const row = (family: ParityRow['family'], backend: BackendName): ParityRow => {
    const found = rows.find((r) => r.family === family && r.backend === backend);
    if (!found) throw new Error(`no row for ${family} on ${backend}`);
    return found;
  };
  const expectParity = (family: ParityRow['family'], backend: BackendName): void => {
    const r = row(family, backend);
    // 'ran' and the backend tfjs reports afterwards: a silent fallback to another backend fails here.
    expect({ family, backend, status: r.status, reason: r.reason }).toEqual({ family, backend, status: 'ran', reason: null });
    expect(r.backendUsed).toBe(backend);
    expect(r.loss).toBeGreaterThan(0);
    expect(r.maxRelativeDifference).not.toBeNull();
    expect(r.maxRelativeDifference ?? Infinity, `${family} on ${backend}: worst ${r.worstWeight}`).toBeLessThanOrEqual(TOLERANCE);
  };

  for (const backend of BACKENDS) expectParity('mlp', backend);
  for (const backend of ['webgpu', 'webgl', 'cpu'] as const) expectParity('cnn', backend);
  // wasm has no Conv2DBackpropFilter: reported as a known limit, not run and not silently replaced.
  expect(row('cnn', 'wasm')).toMatchObject({ status: 'cannot-train', backendUsed: null });
  expect(row('cnn', 'wasm').reason).toMatch(/Conv2DBackpropFilter/);
  expect(rows).toHaveLength(8);
});
