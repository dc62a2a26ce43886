// The worker contracts (src/core/contracts/) checked on resolved imports: no cycle among what they reach, and each
// worker entry point reaches only its own contract and the shared ones (see ./contract-rules.ts).

import { readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkContracts, cyclesFrom, importGraph, CONTRACTS } from './contract-rules';
import type { SourceFile } from './import-rules';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sourceFiles(dir: string): SourceFile[] {
  return readdirSync(posix.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .map((entry) => posix.join(dir, entry.split('\\').join('/')))
    .filter((path) => /\.(ts|js|mjs)$/.test(path))
    .map((path) => ({ path, source: readFileSync(posix.join(ROOT, path), 'utf8') }));
}

/**
 * Cycles that were there before the contracts were split, between the domain's own type files; none passes through
 * a contract. Listed so that any new cycle fails; remove an entry when its cycle is broken.
 */
const OLDER_CYCLES = [
  'src/core/shared/types.ts -> src/core/recipe/types.ts -> src/core/shared/types.ts',
  'src/core/shared/types.ts -> src/core/train/spec/types.ts -> src/core/shared/types.ts',
  'src/core/data/date-summary.ts -> src/core/data/summary.ts -> src/core/data/date-summary.ts',
].map((cycle) => `import cycle: ${cycle}`);

describe('worker contracts', () => {
  it('form no new import cycle and each worker reaches only its own contract', { timeout: 30_000 }, () => {
    const files = [...sourceFiles('src'), ...sourceFiles('workers')];
    expect(files.filter((f) => f.path.startsWith(CONTRACTS)).length).toBeGreaterThanOrEqual(7);
    expect(checkContracts(files).filter((p) => !OLDER_CYCLES.includes(p))).toEqual([]);
  });

  it('are types only: no contract compiles to code', () => {
    for (const file of sourceFiles(CONTRACTS)) {
      expect(file.source, file.path).not.toMatch(/^export (const|let|function|class|enum)\b/m);
    }
  });

  it('finds a cycle, also one routed through a re-export', () => {
    const files: SourceFile[] = [
      { path: 'src/core/contracts/a.ts', source: `import type { B } from './b';\nexport interface A { b: B }` },
      { path: 'src/core/contracts/b.ts', source: `export type * from '../shared/again';\nexport interface B { n: number }` },
      { path: 'src/core/shared/again.ts', source: `export type { A } from '../contracts/a.js';` },
    ];
    expect(cyclesFrom(importGraph(files), ['src/core/contracts/a.ts'])).toEqual([
      ['src/core/contracts/a.ts', 'src/core/contracts/b.ts', 'src/core/shared/again.ts', 'src/core/contracts/a.ts'],
    ]);
    expect(checkContracts(files)).toHaveLength(1);
  });

  it("fails on an entry point that reaches another worker's contract through a helper", () => {
    const files: SourceFile[] = [
      { path: 'workers/parse.worker.ts', source: `import { createParser } from './parse/parser';\nexpose(createParser());` },
      { path: 'workers/parse/parser.ts', source: `import type { TrainEvent } from '../../src/core/contracts/train';\nimport type { ParserApi } from '../../src/core/contracts/parse';\nimport type { Failure } from '../../src/core/contracts/outcomes';` },
      { path: 'src/core/contracts/parse.ts', source: 'export interface ParserApi {}' },
      { path: 'src/core/contracts/train.ts', source: 'export type TrainEvent = { type: "evaluating" };' },
      { path: 'src/core/contracts/outcomes.ts', source: 'export type Failure = { kind: "cancelled" };' },
    ];
    expect(checkContracts(files)).toEqual(['workers/parse.worker.ts reaches src/core/contracts/train.ts, not its contract']);
  });
});
