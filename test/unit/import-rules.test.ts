// The layering in DESIGN.md, machine-checked: every import in src/ and workers/ is read from the
// source text and held against the rules of the folder it sits in.

import { readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

interface SourceFile {
  /** Repository-relative, with forward slashes. */
  path: string;
  source: string;
}

interface ImportRef {
  specifier: string;
  typeOnly: boolean;
}

type Area = 'core' | 'platform' | 'state' | 'ui' | 'app' | 'workers' | 'test' | 'other';

function areaOf(path: string): Area {
  for (const area of ['core', 'platform', 'state', 'ui', 'app'] as const) {
    if (path.startsWith(`src/${area}/`)) return area;
  }
  if (path.startsWith('src/')) return 'app';
  if (path.startsWith('workers/')) return 'workers';
  if (path.startsWith('test/')) return 'test';
  return 'other';
}

function stripComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/(^|[\s;])\/\/.*$/gm, '$1');
}

const IMPORT_PATTERNS: RegExp[] = [
  // import x from '…', import { a, type b } from '…', import type { T } from '…', import * as m from '…'
  /\bimport\s+(type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
  // export * from '…', export { a } from '…', export type { T } from '…'
  /\bexport\s+(type\s+)?(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*['"]([^'"]+)['"]/g,
  // import '…' (side effects only)
  /\bimport\s*()['"]([^'"]+)['"]/g,
  // import('…')
  /\bimport\s*\(()\s*['"]([^'"]+)['"]\s*\)/g,
];

/** In a Svelte component only the <script> blocks hold imports; the markup is prose. */
function scriptsOf(source: string): string {
  if (!/<script[\s>]/.test(source)) return source;
  return [...source.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

export function findImports(source: string, svelte = false): ImportRef[] {
  const code = stripComments(svelte ? scriptsOf(source) : source);
  const refs: ImportRef[] = [];
  for (const pattern of IMPORT_PATTERNS) {
    for (const m of code.matchAll(pattern)) refs.push({ specifier: m[2], typeOnly: Boolean(m[1]) });
  }
  return refs;
}

/** The package a bare specifier names: '@scope/name' or 'name'. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const BUNDLER_SUFFIX = /\?(url|raw|worker)$/;

function resolveRelative(from: string, specifier: string): string {
  return posix.normalize(posix.join(posix.dirname(from), specifier.replace(BUNDLER_SUFFIX, '')));
}

/** Every rule broken, as `file: imports X (rule)`. */
export function checkImports(files: SourceFile[]): string[] {
  // A file imported with ?raw is shipped as text (e.g. the export bundle's Node script), never run
  // in the app, so its own imports are not the app's.
  const textAssets = new Set<string>();
  for (const file of files) {
    for (const { specifier } of findImports(file.source, file.path.endsWith('.svelte'))) {
      if (specifier.startsWith('.') && specifier.endsWith('?raw')) textAssets.add(resolveRelative(file.path, specifier));
    }
  }
  const violations: string[] = [];
  for (const file of files) {
    if (textAssets.has(file.path)) continue;
    const from = areaOf(file.path);
    for (const { specifier, typeOnly } of findImports(file.source, file.path.endsWith('.svelte'))) {
      const flag = (rule: string) => violations.push(`${file.path}: imports ${specifier} (${rule})`);
      const relative = specifier.startsWith('.');
      const suffix = BUNDLER_SUFFIX.exec(specifier)?.[1] ?? null;
      const target = relative ? resolveRelative(file.path, specifier) : '';
      const to: Area | null = relative ? areaOf(target) : null;
      const pkg = relative ? '' : packageOf(specifier);

      if (pkg === '@tensorflow' || pkg.startsWith('@tensorflow/')) {
        if (from !== 'workers' && from !== 'test') flag('tfjs is only for workers/');
      }
      // A ?url or ?raw import outside core brings in a file's address or text, not its code.
      if (from !== 'core' && (suffix === 'url' || suffix === 'raw')) continue;
      switch (from) {
        case 'core':
          if (!relative || to !== 'core') flag('src/core imports only src/core');
          break;
        case 'platform': {
          const okPackage = ['dexie', 'comlink', 'fflate'].includes(pkg) || specifier.startsWith('virtual:pwa-register');
          // A worker entry is bundled as its own chunk, so spawning it does not pull its code in.
          const okWorker = to === 'workers' && (suffix === 'worker' || suffix === 'url');
          if (relative ? !(to === 'core' || to === 'platform' || okWorker) : !okPackage) {
            flag('src/platform imports only src/core, src/platform, dexie, comlink, fflate and virtual:pwa-register');
          }
          break;
        }
        case 'state':
          if (relative ? !(to === 'core' || to === 'platform' || to === 'state') : pkg !== 'svelte') {
            flag('src/state imports only src/core, src/platform, src/state and svelte');
          }
          break;
        case 'ui':
          if (relative && to === 'core') {
            if (!typeOnly) flag('src/ui may only `import type` from src/core');
          } else if (relative ? !(to === 'state' || to === 'ui') : !(pkg === 'svelte' || pkg === 'uplot')) {
            flag('src/ui imports only src/state, src/ui, svelte, uplot and types from src/core');
          }
          break;
        case 'workers': {
          // A worker may write through a repository (DESIGN.md): src/platform/repositories/ and open-db, no other platform code.
          const storage = target.startsWith('src/platform/repositories/') || target === 'src/platform/open-db';
          if (relative && (to === 'state' || to === 'ui' || (to === 'platform' && !storage) || to === 'app')) {
            flag('workers/ must not import src/state, src/ui, src/app or src/platform other than its repositories and open-db');
          } else if (pkg === 'dexie' || pkg === 'svelte') {
            flag('workers/ must not import dexie or svelte');
          }
          break;
        }
        default:
          break;
      }
    }
  }
  return violations;
}

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
  });

  it('finds every kind of import and export-from', () => {
    const refs = findImports(`
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
    `);
    expect(refs.map((r) => `${r.specifier}${r.typeOnly ? ' (type)' : ''}`).sort()).toEqual(
      ['a', 'b', './c (type)', 'd', './e', './f (type)', './g', 'h.css', './i'].sort(),
    );
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
