import { describe, expect, it } from 'vitest';
import {
  aliasesOf,
  aliasTarget,
  createModel,
  describeModel,
  findModel,
  linkEvaluation,
  moveAlias,
  recordGate,
  registerVersion,
  rollbackAlias,
  rollbackTarget,
  tagModel,
  type RegistryModel,
  type RegistryResult,
  type VersionLinks,
} from '../../../src/core/deliver/registry';

function ok<T>(r: RegistryResult<T>): T {
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

function reason<T>(r: RegistryResult<T>): string {
  if (r.ok) throw new Error('expected a refusal');
  return r.reason;
}

const links = (runId: string): VersionLinks => ({
  runId,
  datasetVersionId: 'ds-1',
  recipeHash: 'abc',
  environment: null,
  evaluationId: null,
});

/** A model with versions 1..n registered at times 1..n. */
function modelWith(n: number): RegistryModel {
  let m = ok(createModel([], { projectId: 'p1', name: 'churn' }, 0));
  for (let i = 1; i <= n; i++) m = ok(registerVersion(m, links(`run-${i}`), i));
  return m;
}

describe('registered models', () => {
  it('makes names unique within a project, ignoring case, but not across projects', () => {
    const first = ok(createModel([], { projectId: 'p1', name: 'Churn', description: 'who leaves', tags: { team: 'ops' } }, 5));
    expect(first).toMatchObject({ projectId: 'p1', name: 'Churn', description: 'who leaves', tags: { team: 'ops' }, versions: [], aliases: {}, audit: [] });
    const clash = createModel([first], { projectId: 'p1', name: 'churn' }, 6);
    expect(clash.ok).toBe(false);
    if (!clash.ok) expect(clash.problems[0]?.path).toBe('name');
    expect(createModel([first], { projectId: 'p2', name: 'churn' }, 6).ok).toBe(true);
    expect(findModel([first], 'p1', 'CHURN')).toBe(first);
    expect(findModel([first], 'p2', 'churn')).toBeNull();
  });

  it('refuses a bad name with located problems', () => {
    const r = createModel([], { projectId: 'p1', name: 'bad/name', tags: { ok: 'x' } }, 0);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.path)).toEqual(['name']);
  });

  it('edits description and tags', () => {
    const m = modelWith(0);
    expect(ok(describeModel(m, 'new')).description).toBe('new');
    const tagged = ok(tagModel(m, 'owner', 'ana'));
    expect(tagged.tags).toEqual({ owner: 'ana' });
    expect(ok(tagModel(tagged, 'owner', null)).tags).toEqual({});
    expect(reason(tagModel(m, 'owner', null))).toMatch(/no tag/);
  });
});

describe('versions', () => {
  it('numbers versions 1..n, keeps their links and audits each registration', () => {
    const m = modelWith(3);
    expect(m.versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(m.versions[1]).toMatchObject({ runId: 'run-2', datasetVersionId: 'ds-1', recipeHash: 'abc', createdAt: 2 });
    expect(m.audit).toEqual([1, 2, 3].map((v) => ({ kind: 'register', at: v, version: v })));
  });

  it('refuses the same run twice and empty links', () => {
    const m = modelWith(1);
    expect(reason(registerVersion(m, links('run-1'), 9))).toMatch(/already version 1/);
    expect(registerVersion(m, { ...links('x'), datasetVersionId: '' }, 9).ok).toBe(false);
    expect(registerVersion(m, links(' '), 9).ok).toBe(false);
  });

  it('links an evaluation to an existing version only', () => {
    const m = ok(linkEvaluation(modelWith(2), 2, 'eval-9'));
    expect(m.versions.map((v) => v.evaluationId)).toEqual([null, 'eval-9']);
    expect(reason(linkEvaluation(m, 7, 'e'))).toMatch(/no version 7/);
  });
});

describe('aliases', () => {
  it('points one alias at one version and audits every move with from, to, why and evidence', () => {
    let m = modelWith(2);
    m = ok(moveAlias(m, { alias: 'champion', to: 1, why: 'first model', evidenceId: 'run-p-1' }, 10));
    m = ok(moveAlias(m, { alias: 'champion', to: 2, why: 'gates passed', evidenceId: 'run-p-2' }, 11));
    m = ok(moveAlias(m, { alias: 'challenger', to: 2, why: 'try it' }, 12));
    expect(m.aliases).toEqual({ champion: 2, challenger: 2 });
    expect(aliasesOf(m, 2)).toEqual(['challenger', 'champion']);
    expect(m.audit.slice(2)).toEqual([
      { kind: 'alias', at: 10, alias: 'champion', from: null, to: 1, why: 'first model', evidenceId: 'run-p-1' },
      { kind: 'alias', at: 11, alias: 'champion', from: 1, to: 2, why: 'gates passed', evidenceId: 'run-p-2' },
      { kind: 'alias', at: 12, alias: 'challenger', from: null, to: 2, why: 'try it', evidenceId: null },
    ]);
  });

  it('refuses moves that change nothing, unknown versions, bad names and missing reasons', () => {
    const m = ok(moveAlias(modelWith(1), { alias: 'champion', to: 1, why: 'w' }, 1));
    expect(reason(moveAlias(m, { alias: 'champion', to: 1, why: 'again' }, 2))).toMatch(/already points at version 1/);
    expect(reason(moveAlias(m, { alias: 'champion', to: 5, why: 'w' }, 2))).toMatch(/no version 5/);
    expect(reason(moveAlias(m, { alias: 'latest', to: 1, why: 'w' }, 2))).toMatch(/reserved/);
    expect(reason(moveAlias(m, { alias: 'staging', to: 1, why: '  ' }, 2))).toMatch(/why/);
    expect(reason(moveAlias(m, { alias: 'staging', to: null, why: 'w' }, 2))).toMatch(/points at no version/);
  });

  it('removes an alias, and the removal is audited', () => {
    const m = ok(moveAlias(ok(moveAlias(modelWith(1), { alias: 'staging', to: 1, why: 'w' }, 1)), { alias: 'staging', to: null, why: 'retired' }, 2));
    expect(aliasTarget(m, 'staging')).toBeNull();
    expect(m.audit.at(-1)).toMatchObject({ kind: 'alias', from: 1, to: null, why: 'retired' });
  });
});

describe('rollback', () => {
  const promoted = () => {
    let m = modelWith(3);
    m = ok(moveAlias(m, { alias: 'champion', to: 1, why: 'first' }, 10));
    m = ok(moveAlias(m, { alias: 'challenger', to: 3, why: 'trial' }, 11));
    return ok(moveAlias(m, { alias: 'champion', to: 2, why: 'better' }, 12));
  };

  it('moves the alias back to the version it held before its last move, in one audited action', () => {
    const m = ok(rollbackAlias(promoted(), 'champion', 'v2 drifts', 20, 'alert-4'));
    expect(m.aliases).toEqual({ champion: 1, challenger: 3 });
    expect(m.audit.at(-1)).toEqual({ kind: 'rollback', at: 20, alias: 'champion', from: 2, to: 1, why: 'v2 drifts', evidenceId: 'alert-4' });
  });

  it('reads the alias own history, not moves of other aliases', () => {
    expect(rollbackTarget(promoted(), 'champion')).toEqual({ ok: true, version: 1 });
  });

  it('rolling back a rollback goes forward again', () => {
    const back = ok(rollbackAlias(promoted(), 'champion', 'oops', 20));
    expect(ok(rollbackAlias(back, 'champion', 'undo', 21)).aliases.champion).toBe(2);
  });

  it('restores a removed alias', () => {
    const m = ok(moveAlias(promoted(), { alias: 'champion', to: null, why: 'pull it' }, 13));
    expect(ok(rollbackAlias(m, 'champion', 'back', 14)).aliases.champion).toBe(2);
  });

  it('is refused with the reason when there is nothing before', () => {
    const m = promoted();
    expect(reason(rollbackAlias(m, 'challenger', 'x', 20))).toMatch(/pointed at no version before/);
    expect(reason(rollbackAlias(m, 'staging', 'x', 20))).toMatch(/never moved/);
    expect(reason(rollbackAlias(m, 'champion', '', 20))).toMatch(/why/);
    expect(m.aliases.champion).toBe(2);
  });
});

describe('gate decisions', () => {
  it('are audited without moving any alias', () => {
    const m = ok(recordGate(modelWith(1), { version: 1, passed: false, why: 'accuracy 0.47 < 0.9', evidenceId: 'ev-1' }, 3));
    expect(m.aliases).toEqual({});
    expect(m.audit.at(-1)).toEqual({ kind: 'gate', at: 3, version: 1, passed: false, why: 'accuracy 0.47 < 0.9', evidenceId: 'ev-1' });
    expect(recordGate(m, { version: 2, passed: true, why: '', evidenceId: null }, 4).ok).toBe(false);
  });
});
