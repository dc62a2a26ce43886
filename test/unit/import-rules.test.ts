// The layering in DESIGN.md, machine-checked: every file in src/ and workers/ is compiled into one program and its
// imports are held, resolved, against the rules of the folder it sits in (see ./import-rules.ts).

import { readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkImports, importsOf, type SourceFile } from './import-rules';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sourceFiles(dir: string): SourceFile[] {
  const entries = readdirSync(posix.join(ROOT, dir), { recursive: true, encoding: 'utf8' });
  return entries
    .map((entry) => posix.join(dir, entry.split('\\').join('/')))
    .filter((path) => /\.(ts|js|mjs|svelte)$/.test(path))
    .map((path) => ({ path, source: readFileSync(posix.join(ROOT, path), 'utf8') }));
}

describe('import rules', () => {
  it('hold for every file in src/ and workers/', () => {
    const files = [...sourceFiles('src'), ...sourceFiles('workers')];
    expect(files.length).toBeGreaterThan(10);
    expect(files.some((f) => f.path === 'src/core/shared/types.ts')).toBe(true);
    expect(checkImports(files)).toEqual([]);
    // One TypeScript program over the whole tree: seconds on a loaded two-core machine.
  }, 60_000);

  it('finds every kind of import and export-from', () => {
    const refs = importsOf('src/x.ts', `
      import a from 'a';
      import { b1,
        type b2 } from "b";
      import type { C } from './c';
      import * as d from 'd';
      export { e } from './e';
      export type { F } from './f';
      export * from './g';
      import 'h.css';
      const i = await import('./i');
      // import z from 'commented-out';
      /* import y from 'also-commented'; */
      const url = 'http://example.com/x';
      const s = "import q from 'in-a-string'";
      type T = import('./j').J;
    `);
    expect(refs.map((r) => `${r.specifier}${r.typeOnly ? ' (type)' : ''}`).sort()).toEqual(
      ['a', 'b', './c (type)', 'd', './e', './f (type)', './g', 'h.css', './i', './j (type)'].sort(),
    );
  });

  it('follows re-exports in src/state: a core value reaches no component, a core type may', () => {
    const files: SourceFile[] = [
      { path: 'src/core/plot.ts', source: `export function scatterPlot() {}\nexport interface Axis { key: string }\nexport const AXES = 2;` },
      { path: 'src/core/direction.ts', source: `export const direction = (k: string) => k;\nexport type Direction = 'up' | 'down';` },
      {
        path: 'src/state/runs.svelte.ts',
        source: `import { direction } from '../core/direction';\nexport { scatterPlot, type Axis } from '../core/plot';\nexport { direction as metricDirection };\nexport class Runs { plot() { return direction('x'); } }`,
      },
      // Two hops: a state module re-exporting everything of another state module that re-exports core.
      { path: 'src/state/all.svelte.ts', source: `export * from './runs.svelte';\nexport * from '../core/direction';` },
      {
        path: 'src/ui/Scatter.svelte',
        source: `<script lang="ts">\nimport { scatterPlot, type Axis, Runs } from '../state/runs.svelte';\nimport { metricDirection } from '../state/all.svelte';\nimport type { Direction } from '../state/all.svelte';\n</script>\n<p>{scatterPlot}</p>`,
      },
      { path: 'src/ui/everything.ts', source: `import * as all from '../state/all.svelte';\nexport { Runs, type Direction } from '../state/all.svelte';` },
      { path: 'src/ui/Fine.svelte', source: `<script lang="ts">\nimport { Runs, type Axis } from '../state/runs.svelte';\nimport Scatter from './Scatter.svelte';\n</script>` },
    ];
    expect(checkImports(files)).toEqual([
      'src/ui/Scatter.svelte: imports ../state/runs.svelte (scatterPlot is a value of src/core/plot.ts; src/ui may only use types from src/core)',
      'src/ui/Scatter.svelte: imports ../state/all.svelte (metricDirection is a value of src/core/direction.ts; src/ui may only use types from src/core)',
      'src/ui/everything.ts: imports ../state/all.svelte (scatterPlot is a value of src/core/plot.ts; src/ui may only use types from src/core)',
      'src/ui/everything.ts: imports ../state/all.svelte (metricDirection is a value of src/core/direction.ts; src/ui may only use types from src/core)',
      'src/ui/everything.ts: imports ../state/all.svelte (direction is a value of src/core/direction.ts; src/ui may only use types from src/core)',
    ]);
  });

  it('flags synthetic violations and passes allowed imports', () => {
    const files: SourceFile[] = [
      { path: 'src/core/ok.ts', source: `import type { Table } from './types';\nimport { x } from './x';` },
      { path: 'src/core/bad.ts', source: `import Dexie from 'dexie';\nimport { db } from '../platform/db';` },
      {
        path: 'src/platform/workers.ts',
        source: `import ParseWorker from '../../workers/parse.worker?worker';\nimport { createParser } from '../../workers/parse/parser';\nimport { registerSW } from 'virtual:pwa-register/svelte';\nimport sample from '@samples/penguins.json?url';\nimport script from '../core/serving/run.mjs?raw';`,
      },
      // Shipped as text through ?raw above, so its Node imports are not the app's.
      { path: 'src/core/serving/run.mjs', source: `import { readFile } from 'node:fs/promises';` },
      { path: 'src/core/serving/other.mjs', source: `import { readFile } from 'node:fs/promises';` },
      { path: 'src/state/s.svelte.ts', source: `import * as tf from '@tensorflow/tfjs';\nimport { onMount } from 'svelte';` },
      {
        path: 'src/ui/View.svelte',
        source: `<script lang="ts">\nimport type { Run } from '../core/types';\nimport { meetsGoal } from '../core/metrics';\nimport uPlot from 'uplot';\nimport { getContext } from 'svelte';\nimport Dexie from 'dexie';\n</script>\n<p>To import a table from a file, pick it.</p>`,
      },
      {
        path: 'workers/w.ts',
        source: `import { db } from '../src/platform/db';\nimport { mount } from 'svelte';\nimport { split } from '../src/core/data/split';\nimport { DatasetsRepo } from '../src/platform/repositories/datasets';\nimport { openDatabase } from '../src/platform/open-db';\nimport { ParserClient } from '../src/platform/workers';`,
      },
      { path: 'src/app/main.ts', source: `import { mount } from 'svelte';\nimport App from '../ui/App.svelte';\nconst tf = import('@tensorflow/tfjs');` },
    ];
    expect(checkImports(files)).toEqual([
      'src/core/bad.ts: imports dexie (src/core imports only src/core)',
      'src/core/bad.ts: imports ../platform/db (src/core imports only src/core)',
      'src/platform/workers.ts: imports ../../workers/parse/parser (src/platform imports only src/core, src/platform, dexie, comlink, fflate and virtual:pwa-register)',
      'src/core/serving/other.mjs: imports node:fs/promises (src/core imports only src/core)',
      'src/state/s.svelte.ts: imports @tensorflow/tfjs (tfjs is only for workers/)',
      'src/state/s.svelte.ts: imports @tensorflow/tfjs (src/state imports only src/core, src/platform, src/state and svelte)',
      'src/ui/View.svelte: imports ../core/metrics (src/ui may only `import type` from src/core)',
      'src/ui/View.svelte: imports dexie (src/ui imports only src/state, src/ui, svelte, uplot and types from src/core)',
      'workers/w.ts: imports ../src/platform/db (workers/ must not import src/state, src/ui, src/app or src/platform other than its repositories and open-db)',
      'workers/w.ts: imports svelte (workers/ must not import dexie or svelte)',
      'workers/w.ts: imports ../src/platform/workers (workers/ must not import src/state, src/ui, src/app or src/platform other than its repositories and open-db)',
      'src/app/main.ts: imports @tensorflow/tfjs (tfjs is only for workers/)',
    ]);
  });
});
