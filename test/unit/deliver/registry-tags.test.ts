import { describe, expect, it } from 'vitest';
import { parseTags } from '../../../src/core/deliver/registry';

describe('parseTags', () => {
  it('reads key=value pairs separated by commas or new lines, trimming spaces', () => {
    expect(parseTags(' team = risk, stage=pilot\nowner=ada ')).toEqual({ ok: true, tags: { team: 'risk', stage: 'pilot', owner: 'ada' } });
    expect(parseTags('')).toEqual({ ok: true, tags: {} });
    expect(parseTags('url=https://x.test/a=b')).toEqual({ ok: true, tags: { url: 'https://x.test/a=b' } });
  });

  it('refuses a pair without a key or an equals sign, saying which one', () => {
    expect(parseTags('team=risk, pilot')).toEqual({ ok: false, message: 'tag 2 ("pilot") must be written key=value' });
    expect(parseTags('=x')).toMatchObject({ ok: false, message: expect.stringMatching(/tag 1/) });
    expect(parseTags(`k=${"v".repeat(5001)}`)).toMatchObject({ ok: false, message: expect.stringMatching(/longer than/) });
  });
});
