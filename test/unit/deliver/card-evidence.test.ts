import { describe, expect, it } from 'vitest';
import { cardEvidenceOf, newRun, runOfVersion, type PipelineRun } from '../../../src/core/deliver/pipeline';

function run(outputs: PipelineRun['outputs'], id = 'r1'): PipelineRun {
  return { ...newRun({ id, pipelineId: 'p', at: 0, trigger: { kind: 'manual' } }), outputs };
}

const figures = { model: 'churn', version: 3, candidate: { rows: 'x', metrics: {} }, baseline: null, baselineVersion: null, baselineNote: null };

describe('card evidence', () => {
  it('lists each test the run ran, by stage, with its numbers; skipped thresholds are left out', () => {
    const evidence = cardEvidenceOf(
      run({
        figures,
        smoke: { rows: 32, steps: 60, lossBefore: 1, lossAfter: 0.1, passed: true, reason: 'loss fell from 1 to 0.1', durationMs: 5 },
        parity: { rows: 10, mismatches: 0, maxDifference: 0, tolerance: 1e-6, passed: true, examples: [] },
        gate: {
          blessed: true,
          rows: 'x',
          refused: null,
          evidence: [
            { index: 0, kind: 'value', metric: 'accuracy', slice: null, candidate: 0.95, baseline: null, threshold: { kind: 'value', metric: 'accuracy', lower: 0.9 }, passed: true, skipped: false, reason: '' },
            { index: 1, kind: 'change', metric: 'accuracy', slice: null, candidate: 0.95, baseline: null, threshold: { kind: 'change', metric: 'accuracy', absolute: 0 }, passed: true, skipped: true, reason: 'no baseline' },
          ],
        },
      }),
      'retrain',
      4,
    );
    expect(evidence.pipeline).toBe('retrain');
    expect(evidence.run).toBe(4);
    expect(evidence.results).toEqual([
      { stage: 'training', name: 'smoke test', passed: true, detail: 'loss fell from 1 to 0.1' },
      { stage: 'serving', name: 'bundle parity', passed: true, detail: '0 of 10 rows differ; largest difference 0.0000' },
      { stage: 'performance', name: 'value threshold on accuracy', passed: true, detail: 'candidate 0.9500' },
    ]);
  });

  it('finds the run that produced a version, ignoring the case of the model name', () => {
    const runs = [run({}, 'a'), run({ figures }, 'b')];
    expect(runOfVersion(runs, 'Churn', 3)?.id).toBe('b');
    expect(runOfVersion(runs, 'churn', 2)).toBeNull();
  });
});
