import { describe, expect, it } from 'vitest';
import { compareAnswers, type ParityAnswer } from '../../../src/core/deliver/export/parity';

const cls = (output: string, ...probabilities: number[]): ParityAnswer => ({ output, probabilities });
const num = (output: number): ParityAnswer => ({ output, probabilities: null });

describe('serving parity comparison', () => {
  it('passes equal answers, and answers within the tolerance, saying how close they were', () => {
    const app = [cls('Adelie', 0.8, 0.15, 0.05), cls('Gentoo', 0.1, 0.1, 0.8)];
    expect(compareAnswers(app, app.map((a) => ({ ok: true as const, ...a, warnings: [] })), 1e-6)).toEqual({
      rows: 2,
      mismatches: 0,
      maxDifference: 0,
      tolerance: 1e-6,
      passed: true,
      examples: [],
    });
    const near = compareAnswers([num(10)], [num(10 + 5e-7)], 1e-6);
    expect(near.passed).toBe(true);
    expect(near.maxDifference).toBeCloseTo(5e-7, 12);
  });

  it('catches another class', () => {
    const check = compareAnswers([cls('Adelie', 0.5, 0.5), cls('Gentoo', 0.2, 0.8)], [cls('Adelie', 0.5, 0.5), cls('Adelie', 0.2, 0.8)], 1e-6);
    expect(check).toMatchObject({ rows: 2, mismatches: 1, passed: false, examples: ['row 2: app "Gentoo", bundle "Adelie"'] });
  });

  it('catches a probability off by 1e-3 and a regression value off by more than the tolerance', () => {
    const check = compareAnswers([cls('Adelie', 0.8123, 0.1877)], [cls('Adelie', 0.8113, 0.1887)], 1e-6);
    expect(check.passed).toBe(false);
    expect(check.mismatches).toBe(1);
    expect(check.maxDifference).toBeCloseTo(1e-3, 9);
    expect(check.examples).toEqual(['row 1: probability 1: app 0.8123, bundle 0.8113']);
    const values = compareAnswers([num(0.8123), num(2)], [num(0.7901), num(2)], 1e-6);
    expect(values).toMatchObject({ mismatches: 1, passed: false, examples: ['row 1: app 0.8123, bundle 0.7901'] });
  });

  it('never counts NaN, a missing answer or a different number of rows as close', () => {
    expect(compareAnswers([num(1)], [num(Number.NaN)], 1)).toMatchObject({ mismatches: 1, maxDifference: Number.POSITIVE_INFINITY, passed: false });
    expect(compareAnswers([cls('a', Number.NaN, 1)], [cls('a', Number.NaN, 1)], 1).passed).toBe(false);
    const noAnswer = compareAnswers([num(1)], [{ ok: false, error: 'the model output is NaN' }], 1e-6);
    expect(noAnswer.examples).toEqual(['row 1: app 1, bundle no answer (the model output is NaN)']);
    const short = compareAnswers([num(1), num(2)], [num(1)], 1e-6);
    expect(short).toMatchObject({ rows: 2, mismatches: 1, passed: false });
    expect(short.examples[0]).toBe('the app answered 2 rows, the bundle 1');
    expect(compareAnswers([cls('a', 0.5, 0.5)], [cls('a', 1)], 1e-6).passed).toBe(false);
  });

  it('fails when there is nothing to compare, and refuses a meaningless tolerance', () => {
    expect(compareAnswers([], [], 1e-6)).toMatchObject({ rows: 0, passed: false, examples: ['no example rows to compare'] });
    expect(() => compareAnswers([], [], Number.NaN)).toThrow(/tolerance must be a number of at least 0/);
  });
});
