import { describe, expect, it } from 'vitest';
import { byStage, validateStageTest } from '../../../src/core/deliver/gates/stage-tests';
import type { StageTest } from '../../../src/core/deliver/gates/stage-tests';

describe('validateStageTest', () => {
  it('checks a test of any stage where it sits in a pipeline', () => {
    expect(validateStageTest({ kind: 'value', metric: 'accuracy', lower: 0.9 }, 'tests[0]')).toEqual([]);
    expect(validateStageTest({ kind: 'change', metric: 'accuracy' }, 'tests[1]')).toEqual([
      { path: 'tests[1]', message: 'tests[1] needs an absolute or a relative bound' },
    ]);
    expect(validateStageTest({ kind: 'classBalance', minShare: 3 }, 'tests[2]')).toEqual([
      { path: 'tests[2].minShare', message: 'tests[2].minShare must be a share from 0 to 1' },
    ]);
    expect(validateStageTest({ kind: 'invariance', name: 'n', column: 'c', replacements: ['x'] }, 'tests[3]')).toEqual([
      { path: 'tests[3].tolerance', message: 'tests[3].tolerance must be a number of 0 or more' },
    ]);
    expect(validateStageTest({ kind: 'unit' }, 'tests[4]')[0].path).toBe('tests[4].kind');
    expect(validateStageTest('x', 'tests[5]')[0].path).toBe('tests[5].kind');
  });
});

it('byStage sorts a list into each stage, in order', () => {
  const tests: StageTest[] = [
    { kind: 'value', metric: 'accuracy', lower: 0.9 },
    { kind: 'leakage' },
    { kind: 'minimum', name: 'm', cases: [{ row: { a: 1 }, label: 'x' }] },
    { kind: 'slices', metric: 'accuracy', maxDrop: 0.1 },
    { kind: 'classBalance', minShare: 0.1 },
  ];
  const s = byStage(tests);
  expect(s.data.map((t) => t.kind)).toEqual(['leakage', 'classBalance']);
  expect(s.behaviour.map((t) => t.kind)).toEqual(['minimum']);
  expect(s.performance.map((t) => t.kind)).toEqual(['value', 'slices']);
});
