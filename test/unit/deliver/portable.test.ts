import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STAGE_OF_KIND, validateStageTest } from '../../../src/core/deliver/gates/stage-tests';
import { checkPipeline } from '../../../src/core/deliver/pipeline/check-pipeline';
import type { PipelineDefinition } from '../../../src/core/deliver/pipeline/types';
import { exportDelivery, readDelivery } from '../../../src/core/deliver/portable';
import type { RegistryModel } from '../../../src/core/deliver/registry/types';
import { pipeline } from './pipeline-fixtures';

function ids(prefix = 'new'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

function model(name: string, audit: RegistryModel['audit']): RegistryModel {
  return { projectId: 'p1', name, description: '', tags: {}, createdAt: 0, versions: [], aliases: {}, audit };
}

const retrain = pipeline({
  id: 'pl-1',
  name: 'retrain churn',
  tests: [
    { kind: 'leakage', maxShare: 0.01 },
    { kind: 'smoke', steps: 20 },
    { kind: 'invariance', name: 'region does not matter', column: 'region', replacements: ['north', 'south'], tolerance: 0.1 },
    { kind: 'parity' },
    { kind: 'value', metric: 'accuracy', lower: 0.9 },
  ],
});
const nightly = pipeline({
  id: 'pl-2',
  name: 'Nightly',
  source: { kind: 'version', versionId: 'v-7' },
  triggers: { newVersion: 'off', alert: 'on' },
  promotion: { mode: 'approval', model: 'churn', alias: 'staging' },
  tests: [{ kind: 'change', metric: 'mae', absolute: 0 }],
});

function exported(pipelines: PipelineDefinition[] = [retrain, nightly], models: RegistryModel[] = []) {
  return exportDelivery({ project: { id: 'p1', name: 'Churn' }, pipelines, models, exportedAt: Date.UTC(2026, 10, 27, 7, 40) });
}

describe('exportDelivery', () => {
  it('writes the file header, the pipelines as stored and every test with its stage', () => {
    const file = exported();
    expect(file).toMatchObject({ format: 'loopbench-delivery', version: 1, exportedAt: '2026-11-27T07:40:00.000Z', project: { id: 'p1', name: 'Churn' } });
    expect(file.pipelines).toEqual([nightly, retrain]);
    expect(file.tests.map((t) => [t.pipeline, t.index, t.kind, t.stage])).toEqual([
      ['Nightly', 0, 'change', 'performance'],
      ['retrain churn', 0, 'leakage', 'data'],
      ['retrain churn', 1, 'smoke', 'training'],
      ['retrain churn', 2, 'invariance', 'behaviour'],
      ['retrain churn', 3, 'parity', 'serving'],
      ['retrain churn', 4, 'value', 'performance'],
    ]);
    expect(file.tests[2].test).toEqual({ kind: 'smoke', steps: 20 });
    // The file is a copy: editing it must not reach the stored definitions.
    file.pipelines[1].tests.length = 0;
    expect(retrain.tests).toHaveLength(5);
  });

  it('merges every model’s audit log oldest first, with ISO times and the evidence id kept', () => {
    const churn = model('churn', [
      { kind: 'register', at: Date.UTC(2026, 0, 1), version: 1 },
      { kind: 'gate', at: Date.UTC(2026, 0, 3), version: 1, passed: true, why: 'accuracy 0.93 ≥ 0.9', evidenceId: 'plr-9' },
      { kind: 'alias', at: Date.UTC(2026, 0, 3), alias: 'champion', from: null, to: 1, why: 'gate passed', evidenceId: 'plr-9' },
    ]);
    const other = model('other', [{ kind: 'rollback', at: Date.UTC(2026, 0, 2), alias: 'champion', from: 2, to: 1, why: 'worse', evidenceId: null }]);
    const { auditLog } = exported([], [churn, other]);
    expect(auditLog).toEqual([
      { model: 'churn', at: '2026-01-01T00:00:00.000Z', kind: 'register', version: 1 },
      { model: 'other', at: '2026-01-02T00:00:00.000Z', kind: 'rollback', alias: 'champion', from: 2, to: 1, why: 'worse', evidenceId: null },
      { model: 'churn', at: '2026-01-03T00:00:00.000Z', kind: 'gate', version: 1, passed: true, why: 'accuracy 0.93 ≥ 0.9', evidenceId: 'plr-9' },
      { model: 'churn', at: '2026-01-03T00:00:00.000Z', kind: 'alias', alias: 'champion', from: null, to: 1, why: 'gate passed', evidenceId: 'plr-9' },
    ]);
  });
});

describe('readDelivery', () => {
  it('reads back the exported definitions, moved to the project with fresh ids', () => {
    const text = JSON.stringify(exported([retrain, nightly], [model('churn', [{ kind: 'register', at: 1, version: 1 }])]));
    const read = readDelivery(text, 'p2', ids());
    expect(read).toEqual({
      ok: true,
      pipelines: [
        { ...nightly, id: 'new-1', projectId: 'p2' },
        { ...retrain, id: 'new-2', projectId: 'p2' },
      ],
    });
  });

  it('accepts one definition on its own, without the id and project it will be given', () => {
    const { id: _id, projectId: _project, ...bare } = retrain;
    const read = readDelivery(JSON.stringify(bare), 'p3', ids('x'));
    expect(read).toEqual({ ok: true, pipelines: [{ ...retrain, id: 'x-1', projectId: 'p3' }] });
  });

  it('refuses a broken pipeline with its path in the file, and imports nothing', () => {
    const file = exported();
    (file.pipelines[1].tests as unknown[])[1] = { kind: 'smoke', steps: 0 };
    (file.pipelines[0] as unknown as Record<string, unknown>).colour = 'blue';
    const read = readDelivery(JSON.stringify(file), 'p1', ids());
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems.map((p) => p.path)).toEqual(['pipelines[0].colour', 'pipelines[1].tests[1].steps']);
    expect(read.problems[1].message).toMatch(/from 1 to 1000/);
  });

  it('locates the problems of a single definition at its own paths', () => {
    const read = readDelivery(JSON.stringify({ ...retrain, promotion: { mode: 'sometimes', model: 'churn', alias: 'champion' } }), 'p1', ids());
    expect(read).toEqual({ ok: false, problems: [expect.objectContaining({ path: 'promotion.mode' })] });
  });

  it('refuses text that is not JSON, with the parser’s message', () => {
    const read = readDelivery('{"format": "loopbench-delivery",', 'p1', ids());
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0].path).toBe('');
    expect(read.problems[0].message).toMatch(/^not valid JSON: .+/);
  });

  it('refuses two pipelines of one name (ignoring case) and a file of another version', () => {
    const twice = exported([retrain, { ...nightly, name: 'RETRAIN churn' }]);
    const read = readDelivery(JSON.stringify(twice), 'p1', ids());
    expect(read).toEqual({ ok: false, problems: [{ path: 'pipelines[1].name', message: expect.stringMatching(/already used by pipelines\[0\]/) }] });

    const newer = readDelivery(JSON.stringify({ ...exported(), version: 2 }), 'p1', ids());
    expect(newer).toEqual({ ok: false, problems: [{ path: 'version', message: expect.stringMatching(/version 2; this Loopbench reads version 1/) }] });
  });
});

describe('docs/delivery-format.md', () => {
  const blocks = [...readFileSync(new URL('../../../docs/delivery-format.md', import.meta.url), 'utf8').matchAll(/```json\n([\s\S]*?)```/g)].map(
    (m) => JSON.parse(m[1]) as Record<string, unknown>,
  );

  it('shows a full pipeline that checks and holds a test of every kind', () => {
    const full = blocks.filter((b) => b.format === 1);
    expect(full).toHaveLength(1);
    const check = checkPipeline(full[0]);
    expect(check.ok ? [] : check.problems).toEqual([]);
    expect(new Set((full[0].tests as { kind: string }[]).map((t) => t.kind))).toEqual(new Set(Object.keys(STAGE_OF_KIND)));
  });

  it('shows one valid example of each kind of test, a valid sweep and an export file that imports', () => {
    const tests = blocks.filter((b) => typeof b.kind === 'string' && b.kind in STAGE_OF_KIND);
    expect(tests.map((t) => t.kind).sort()).toEqual(Object.keys(STAGE_OF_KIND).sort());
    for (const t of tests) expect(validateStageTest(t, 'test')).toEqual([]);

    const sweep = blocks.find((b) => b.kind === 'sweep');
    const check = checkPipeline(pipeline({ training: sweep as PipelineDefinition['training'] }));
    expect(check.ok ? [] : check.problems).toEqual([]);

    const file = blocks.find((b) => b.format === 'loopbench-delivery') as unknown as ReturnType<typeof exportDelivery>;
    expect(readDelivery(JSON.stringify(file), 'p1', ids()).ok).toBe(true);
    // Its views are what the export would write for its pipelines.
    expect(file.tests).toEqual(exported(file.pipelines).tests);
  });
});
