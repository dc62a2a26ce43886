import { describe, expect, it } from 'vitest';
import type { PipelineTest } from '../../../src/core/deliver/pipeline';
import { stageOfTest, testCounts, withStageTests } from '../../../src/state/deliver/pipeline-view';

const tests: PipelineTest[] = [
  { kind: 'leakage' },
  { kind: 'value', metric: 'accuracy', lower: 0.8 },
  { kind: 'invariance', name: 'a', column: 'x', replacements: [1], tolerance: 0.1 },
  { kind: 'smoke' },
  { kind: 'change', metric: 'accuracy', absolute: 0 },
  { kind: 'classBalance', minShare: 0.1 },
];

describe('pipeline view helpers', () => {
  it('knows each test kind’s stage, and none for a typo', () => {
    expect(tests.map(stageOfTest)).toEqual(['data', 'performance', 'behaviour', 'training', 'performance', 'data']);
    expect(stageOfTest({ kind: 'leak' })).toBeNull();
    expect(stageOfTest({ kind: 'toString' })).toBeNull();
  });

  it('counts tests by stage in run order, leaving out empty stages', () => {
    expect(testCounts(tests)).toEqual([
      { stage: 'data', count: 2 },
      { stage: 'training', count: 1 },
      { stage: 'behaviour', count: 1 },
      { stage: 'performance', count: 2 },
    ]);
  });

  it('replaces one stage’s tests where the first of them was, keeping the others in order', () => {
    const next: PipelineTest[] = [{ kind: 'slices', metric: 'accuracy', maxDrop: 0.1 }];
    expect(withStageTests(tests, 'performance', next).map((t) => t.kind)).toEqual(['leakage', 'slices', 'invariance', 'smoke', 'classBalance']);
    expect(withStageTests(tests, 'behaviour', []).map((t) => t.kind)).toEqual(['leakage', 'value', 'smoke', 'change', 'classBalance']);
    expect(withStageTests(tests, 'serving', [{ kind: 'parity' }]).at(-1)).toEqual({ kind: 'parity' });
  });
});
