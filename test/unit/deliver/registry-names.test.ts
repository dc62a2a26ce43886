import { describe, expect, it } from 'vitest';
import { aliasProblems, descriptionProblems, modelNameProblems, tagProblems } from '../../../src/core/deliver/registry/names';

describe('registry names', () => {
  it('accepts the usual aliases and refuses reserved, uppercase or odd ones', () => {
    for (const ok of ['champion', 'challenger', 'staging', 'canary-eu_1', 'v']) expect(aliasProblems(ok)).toEqual([]);
    expect(aliasProblems('latest')[0]?.message).toMatch(/reserved/);
    expect(aliasProblems('v3')[0]?.message).toMatch(/reserved/);
    for (const bad of ['Champion', '1st', 'has space', '', 'a'.repeat(65), 'x.y']) expect(aliasProblems(bad)).toHaveLength(1);
    expect(aliasProblems(42, 'promotion.alias')).toEqual([{ path: 'promotion.alias', message: expect.stringMatching(/empty/) }]);
  });

  it('locates model name problems and allows single inner spaces', () => {
    expect(modelNameProblems('Churn model v2.1')).toEqual([]);
    expect(modelNameProblems('a'.repeat(64))).toEqual([]);
    for (const bad of ['', ' lead', 'trail ', 'two  spaces', 'slash/name', 'a'.repeat(65)]) {
      expect(modelNameProblems(bad, 'x.name')[0]?.path).toBe('x.name');
    }
  });

  it('checks tags and descriptions', () => {
    expect(tagProblems({ team: 'ops' })).toEqual([]);
    expect(tagProblems({ ' ': 'x' })[0]?.path).toBe('tags. ');
    expect(tagProblems({ n: 3 })[0]?.message).toMatch(/text value/);
    expect(tagProblems([])).toHaveLength(1);
    expect(descriptionProblems('x'.repeat(5001))).toHaveLength(1);
    expect(descriptionProblems('fine')).toEqual([]);
  });
});
