import { describe, expect, it } from 'vitest';
import { pickCandidate } from '../../../src/core/deliver/pipeline';

const point = (key: string, value: number, step = 1) => ({ key, value, step, timestamp: 0 });

describe('pickCandidate', () => {
  it('takes the best last validation figure of the goal, in its direction', () => {
    const runs = [
      { id: 'a', history: [point('val_accuracy', 0.95, 1), point('val_accuracy', 0.8, 2)] },
      { id: 'b', history: [point('val_accuracy', 0.9)] },
    ];
    expect(pickCandidate(runs, 'accuracy')).toEqual({ id: 'b', by: 'val_accuracy', value: 0.9 });
    const errors = [
      { id: 'a', history: [point('val_mae', 2)] },
      { id: 'b', history: [point('val_mae', 1)] },
    ];
    expect(pickCandidate(errors, 'mae')?.id).toBe('b');
  });

  it('keeps the earlier run on a tie, falls back to validation loss, and gives null without figures', () => {
    expect(pickCandidate([{ id: 'a', history: [point('val_f1', 0.5)] }, { id: 'b', history: [point('val_f1', 0.5)] }], 'f1')?.id).toBe('a');
    const byLoss = pickCandidate([{ id: 'a', history: [point('val_loss', 0.3)] }, { id: 'b', history: [point('val_loss', 0.2)] }], 'f1');
    expect(byLoss).toEqual({ id: 'b', by: 'val_loss', value: 0.2 });
    expect(pickCandidate([{ id: 'a', history: [point('loss', 0.1), point('val_loss', Number.NaN)] }], 'accuracy')).toBeNull();
  });
});
