import { describe, expect, it } from 'vitest';
import { checkTag, NOTE_TAG, noteOf, userTags, withNote, withoutTag, withTag } from '../../../src/core/evaluate/runs/tags';

describe('run tags and notes', () => {
  it('keeps the note in mlflow.note.content and apart from the user tags', () => {
    const tags = withNote({ sweep: 'lr' }, '  tried a lower rate  ');
    expect(tags).toEqual({ sweep: 'lr', [NOTE_TAG]: 'tried a lower rate' });
    expect(noteOf(tags)).toBe('tried a lower rate');
    expect(userTags({ ...tags, 'loopbench.x': '1' })).toEqual([['sweep', 'lr']]);
    expect(withNote(tags, '   ')).toEqual({ sweep: 'lr' });
    expect(noteOf({})).toBe('');
  });

  it('sets and removes tags without touching the others, even with odd keys', () => {
    const tags = withTag({ a: '1' }, '__proto__', 'x');
    expect(Object.keys(tags)).toEqual(['a', '__proto__']);
    expect(tags.__proto__).toBe('x');
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
    expect(withoutTag(tags, 'a')).toEqual(JSON.parse('{"__proto__": "x"}'));
  });

  it('checks tag names and values', () => {
    expect(checkTag('  sweep ', ' lr ')).toEqual({ ok: true, key: 'sweep', value: 'lr' });
    expect(checkTag(' ', 'x')).toMatchObject({ ok: false, message: 'A tag needs a name.' });
    expect(checkTag('mlflow.runName', 'x')).toMatchObject({ ok: false });
    expect(checkTag('loopbench.seed', 'x')).toMatchObject({ ok: false });
    expect(checkTag('k'.repeat(251), '')).toMatchObject({ ok: false });
    expect(checkTag('k', 'v'.repeat(5001))).toMatchObject({ ok: false });
  });
});
