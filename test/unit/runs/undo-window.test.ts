import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UndoWindow } from '../../../src/state/shared/undo-window';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function make() {
  const committed: string[] = [];
  const changes: (string | null)[] = [];
  const win = new UndoWindow<string>(
    1000,
    async (item) => void committed.push(item),
    (p) => changes.push(p),
  );
  return { win, committed, changes };
}

describe('UndoWindow', () => {
  it('carries the action out when the window ends, not before', async () => {
    const { win, committed, changes } = make();
    await win.start('a');
    expect(win.pending).toBe('a');
    await vi.advanceTimersByTimeAsync(999);
    expect(committed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(committed).toEqual(['a']);
    expect(win.pending).toBeNull();
    expect(changes).toEqual(['a', null]);
  });

  it('takes the action back on undo, for good', async () => {
    const { win, committed } = make();
    await win.start('a');
    expect(win.undo()).toBe('a');
    expect(win.undo()).toBeNull();
    await vi.advanceTimersByTimeAsync(5000);
    expect(committed).toEqual([]);
  });

  it('carries out the open action when another starts, or on flush, exactly once', async () => {
    const { win, committed } = make();
    await win.start('a');
    await win.start('b');
    expect(committed).toEqual(['a']);
    expect(win.pending).toBe('b');
    await win.flush();
    await win.flush();
    await vi.advanceTimersByTimeAsync(5000);
    expect(committed).toEqual(['a', 'b']);
  });
});
