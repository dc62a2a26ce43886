// The standalone page's runtime (workers/standalone/main.ts) as one classic IIFE script, emitted with the app at a
// fixed path. The export bundle copies it to standalone/runtime.js: a page opened from disk (file://) may load classic
// <script src> files but no ES modules and no fetch, so the runtime carries tfjs (core, layers, cpu backend) inside it.
// The app fetches it when it builds a bundle; vite-plugin-pwa precaches it (globPatterns has **/*.js), so exporting
// works offline.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** Where the built app serves the runtime, relative to its base URL. Read by src/platform/bundle-zip.ts too. */
export const STANDALONE_RUNTIME_FILE = 'standalone-runtime.js';

const ENTRY = fileURLToPath(new URL('../workers/standalone/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundles the runtime with Vite's own builder (no config file, so none of the app's plugins): IIFE, minified, for the
 * browsers the app targets.
 * @returns {Promise<string>} the script's source
 */
export async function bundleStandaloneRuntime() {
  const result = await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    publicDir: false,
    // tfjs reads NODE_ENV to decide whether it runs in production; the page always does.
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      write: false,
      target: 'es2022',
      minify: true,
      sourcemap: false,
      emptyOutDir: false,
      copyPublicDir: false,
      lib: { entry: ENTRY, formats: ['iife'], name: 'LoopbenchStandalone', fileName: () => STANDALONE_RUNTIME_FILE },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => ('output' in r ? r.output : []));
  const chunk = outputs.find((o) => o.type === 'chunk' && o.isEntry);
  if (!chunk || chunk.type !== 'chunk') throw new Error(`bundling ${ENTRY} gave no entry chunk`);
  const others = outputs.filter((o) => o !== chunk);
  // One file or nothing: a second chunk or an asset would be a file the page cannot load from disk.
  if (others.length > 0) throw new Error(`the standalone runtime must be one script, but bundling also made ${others.map((o) => o.fileName).join(', ')}`);
  return chunk.code;
}

/**
 * Vite plugin: emits the runtime at build time and serves it (bundled on first request) from the dev server.
 * @returns {import('vite').Plugin}
 */
export function standaloneRuntime() {
  /** @type {Promise<string> | null} */
  let forDev = null;
  return {
    name: 'loopbench:standalone-runtime',
    async generateBundle() {
      // Only the client build: a worker build (or any other environment) must not emit a second copy.
      if (this.environment.name !== 'client') return;
      this.emitFile({ type: 'asset', fileName: STANDALONE_RUNTIME_FILE, source: await bundleStandaloneRuntime() });
    },
    configureServer(server) {
      server.middlewares.use(`/${STANDALONE_RUNTIME_FILE}`, (_req, res) => {
        forDev ??= bundleStandaloneRuntime();
        forDev.then(
          (code) => {
            res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
            res.end(code);
          },
          (e) => {
            forDev = null;
            res.statusCode = 500;
            res.setHeader('Content-Type', 'text/plain; charset=utf-8');
            res.end(`The standalone page's runtime (${STANDALONE_RUNTIME_FILE}) could not be bundled: ${e instanceof Error ? e.message : String(e)}`);
          },
        );
      });
    },
  };
}
