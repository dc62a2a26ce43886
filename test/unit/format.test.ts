import { describe, expect, it } from 'vitest';
import { checkStoredFormat, FORMAT_VERSION } from '../../src/core/shared/storage-format';

describe('checkStoredFormat', () => {
  it('accepts data with no version, the current one, or an older one', () => {
    expect(checkStoredFormat(undefined)).toEqual({ ok: true });
    expect(checkStoredFormat(FORMAT_VERSION)).toEqual({ ok: true });
    expect(checkStoredFormat(FORMAT_VERSION - 1)).toEqual({ ok: true });
  });

  it('refuses data written by a newer Loopbench and says what to do', () => {
    const check = checkStoredFormat(FORMAT_VERSION + 1);
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.message).toMatch(/newer version of Loopbench/);
      expect(check.message).toMatch(/Reload/);
    }
  });
});
