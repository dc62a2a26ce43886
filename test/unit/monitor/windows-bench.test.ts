// The bench path (100k requests × 20 features) gives the signals it should, and the signal code reads columns, never
// a row as an object: no per-row allocation in the hot loop.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chunkProblems } from '../../../src/core/monitor/log/check-chunk';
import { syntheticLog } from '../../../src/core/monitor/windows/synthetic';
import { benchMonitorSignals } from '../../../workers/analysis/monitor-bench';

describe('the monitor bench path', () => {
  it('computes 10 windows over 100k requests × 20 features and finds the shifted half drifted', { timeout: 60_000 }, () => {
    const result = benchMonitorSignals();
    expect(result).toMatchObject({ requests: 100_000, features: 20, windows: 10, driftedWindows: 5 });
    expect(result.signalsMs).toBeGreaterThan(0);
  });

  it('builds sound chunks', () => {
    const log = syntheticLog({ requests: 5000, features: 4, chunkRows: 2048 });
    expect(log.chunks.map((c) => c.rows)).toEqual([2048, 2048, 904]);
    expect(log.chunks.flatMap(chunkProblems)).toEqual([]);
    expect(log.reference.columns.map((c) => c.kind)).toEqual(['numeric', 'numeric', 'numeric', 'categorical']);
  });

  it('never reads a row as an object in src/core/monitor/windows', () => {
    const dir = fileURLToPath(new URL('../../../src/core/monitor/windows/', import.meta.url));
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(dir + file, 'utf8');
      expect(source, file).not.toMatch(/\b(rowOf|warningsOf|probabilitiesOf)\(/);
    }
  });
});
