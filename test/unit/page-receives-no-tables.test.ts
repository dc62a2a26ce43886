// The page passes ids and receives records, summaries and progress, never tables: checked on the resolved result
// types of every page-facing worker API (see ./page-facing-types.ts).

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tableProblems } from './page-facing-types';

const ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

describe('page-facing worker APIs', () => {
  it('return no table, column data or typed-array table', { timeout: 30_000 }, () => {
    expect(tableProblems(ROOT)).toEqual([]);
  });

  it('fail the rule when a method returns a table, however it is wrapped', { timeout: 30_000 }, () => {
    const synthetic = {
      'src/core/contracts/synthetic.ts': `
        import type { ColumnData, Table } from '../shared/types';
        type Loaded = { ok: true; rows: number; data: Table } | { ok: false; message: string };
        export interface SyntheticApi {
          load(id: string): Promise<Loaded>;
          column(id: string): Promise<{ values: ColumnData }[]>;
          raw(id: string): Promise<{ name: string; columns: Record<string, Float32Array> }>;
          count(id: string): Promise<number>;
          /** What ParserApi.build returned before it moved to the test-only parser. */
          build(handle: string): Promise<import('./parse').BuildOutcome>;
        }`,
    };
    expect(tableProblems(ROOT, synthetic)).toEqual([
      'SyntheticApi.load returns a Table (in .data)',
      'SyntheticApi.column returns a ColumnData (in .values)',
      'SyntheticApi.raw returns typed arrays keyed by name (in .columns)',
      'SyntheticApi.build returns a Table (in .table) (in .dataset)',
    ]);
  });
});
