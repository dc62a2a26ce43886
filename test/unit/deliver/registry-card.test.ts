import { describe, expect, it } from 'vitest';
import {
  createModel,
  editedCard,
  MAX_CARD_CHARS,
  registerVersion,
  setCard,
  type RegistryModel,
  type RegistryResult,
} from '../../../src/core/deliver/registry';

function ok<T>(r: RegistryResult<T>): T {
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

function twoVersions(): RegistryModel {
  let m = ok(createModel([], { projectId: 'p1', name: 'churn' }, 0));
  for (const runId of ['run-1', 'run-2']) {
    m = ok(registerVersion(m, { runId, datasetVersionId: 'ds', recipeHash: null, environment: null, evaluationId: null }, 1));
  }
  return m;
}

describe('a version model card', () => {
  it('is generated until edited; the edit is kept on that version only, with when it was made', () => {
    const m = twoVersions();
    expect(editedCard(m, 1)).toBeNull();
    const edited = ok(setCard(m, 2, '# Churn v2\n\nFor the retention team only.', 50));
    expect(edited.versions[1]?.card).toEqual({ text: '# Churn v2\n\nFor the retention team only.', editedAt: 50 });
    expect(editedCard(edited, 2)).toBe('# Churn v2\n\nFor the retention team only.');
    expect(editedCard(edited, 1)).toBeNull();
    // Nothing else of the model changes, and the input is not mutated.
    expect({ ...edited, versions: [] }).toEqual({ ...m, versions: [] });
    expect(m.versions[1]?.card).toBeUndefined();
  });

  it('goes back to the generated card on null or blank text', () => {
    const edited = ok(setCard(twoVersions(), 1, 'mine', 5));
    expect(editedCard(ok(setCard(edited, 1, null, 6)), 1)).toBeNull();
    expect(ok(setCard(edited, 1, '  \n\t ', 6)).versions[0]?.card).toBeNull();
  });

  it('refuses an unknown version and a card longer than the limit, naming the length', () => {
    const m = twoVersions();
    const missing = setCard(m, 3, 'text', 1);
    expect(missing).toMatchObject({ ok: false, reason: '"churn" has no version 3' });
    expect(setCard(m, 1, 'x'.repeat(MAX_CARD_CHARS), 1).ok).toBe(true);
    const long = setCard(m, 1, 'x'.repeat(MAX_CARD_CHARS + 1), 1);
    expect(long.ok).toBe(false);
    if (!long.ok) {
      expect(long.reason).toBe('the model card has 50,001 characters; at most 50,000 are kept');
      expect(long.problems.map((p) => p.path)).toEqual(['card']);
    }
  });
});
