import { describe, expect, it } from 'vitest';
import { checkPipeline, type PipelineProblem } from '../../../src/core/deliver/pipeline';
import { pipeline } from './pipeline-fixtures';
import { defaultHyper, defaultSpec } from '../../../src/core/train/spec/defaults';

function problems(def: unknown): PipelineProblem[] {
  const r = checkPipeline(def);
  return r.ok ? [] : r.problems;
}

const paths = (def: unknown) => problems(def).map((p) => p.path);

/** The fixture as JSON, with changes applied, as a file on disk would be. */
function edited(change: (d: Record<string, any>) => void): unknown {
  const d = JSON.parse(JSON.stringify(pipeline()));
  change(d);
  return d;
}

describe('checkPipeline', () => {
  it('accepts a full definition, a sweep, a fixed version and no recipe', () => {
    expect(checkPipeline(pipeline())).toEqual({ ok: true, pipeline: pipeline() });
    const base = { spec: defaultSpec('mlp'), hyper: defaultHyper('mlp') };
    const sweep = { base, method: 'grid' as const, axes: [{ path: 'hyper.learningRate', kind: 'values' as const, values: [0.01, 0.1] }], maxRuns: 4, seed: 1 };
    expect(problems(pipeline({ training: { kind: 'sweep', sweep } }))).toEqual([]);
    expect(problems(pipeline({ source: { kind: 'version', versionId: 'v9' }, triggers: { newVersion: 'off', alert: 'on' } }))).toEqual([]);
    expect(problems(edited((d) => delete d.recipe))).toEqual([]);
    expect(problems(pipeline({ recipe: { version: 1, steps: [] } }))).toEqual([]);
    expect(problems(pipeline({ promotion: { mode: 'approval', model: 'churn', alias: 'staging' } }))).toEqual([]);
  });

  it('refuses what is not an object', () => {
    expect(paths(null)).toEqual(['']);
    expect(paths([])).toEqual(['']);
  });

  it('locates top-level problems, unknown fields included', () => {
    const p = paths(edited((d) => { d.format = 2; d.id = ''; d.name = '  '; d.stages = []; delete d.projectId; }));
    expect(p.sort()).toEqual(['format', 'id', 'name', 'projectId', 'stages']);
  });

  it('locates source problems', () => {
    expect(paths(edited((d) => { d.source = { kind: 'newest' }; }))).toEqual(['source.kind']);
    expect(paths(edited((d) => { d.source = { kind: 'lineage', rootVersionId: '' }; }))).toEqual(['source.rootVersionId']);
    expect(paths(edited((d) => { d.source = { kind: 'version', versionId: 'v', extra: 1 }; d.triggers.newVersion = 'off'; }))).toEqual(['source.extra']);
    expect(paths(edited((d) => { d.source = 'raw'; }))).toEqual(['source']);
  });

  it('refuses a new-version trigger on a fixed version, which could never fire', () => {
    const p = problems(pipeline({ source: { kind: 'version', versionId: 'v9' } }));
    expect(p).toEqual([{ path: 'triggers.newVersion', message: expect.stringMatching(/never sees new data/) }]);
  });

  it('prefixes the spec, hyperparameter and recipe checkers with where they sit', () => {
    const p = paths(edited((d) => { d.training.spec.layers[0].units = 0; d.training.hyper.epochs = -1; }));
    expect(p).toContain('training.spec.layers[0].units');
    expect(p.some((x) => x.startsWith('training.hyper.'))).toBe(true);
    expect(paths(edited((d) => { d.recipe = { version: 1, steps: [{ kind: 'nope' }] }; }))[0]).toMatch(/^recipe\.steps\[0\]/);
    expect(paths(edited((d) => { d.recipe = { version: 3, steps: [] }; }))).toEqual(['recipe.version']);
    expect(paths(edited((d) => { d.training = { kind: 'sweep' }; }))[0]).toMatch(/^training\.sweep/);
    expect(paths(edited((d) => { d.training = { kind: 'automl' }; }))).toEqual(['training.kind']);
  });

  it('checks every test where it sits, by the rules of its stage', () => {
    expect(paths(edited((d) => { d.tests = ['a', { kind: 'thing' }, { kind: 'smoke', steps: 0 }, { kind: 'leakage', maxShare: 2 }, { kind: 'parity' }]; }))).toEqual([
      'tests[0].kind',
      'tests[1].kind',
      'tests[2].steps',
      'tests[3].maxShare',
    ]);
    expect(paths(edited((d) => { d.tests = 'a'; }))).toEqual(['tests']);
    expect(paths(edited((d) => { d.tests = Array.from({ length: 201 }, () => ({ kind: 'parity' })); }))).toEqual(['tests']);
  });

  it('checks the promotion rule with the registry naming rules', () => {
    expect(paths(edited((d) => { d.promotion = { mode: 'always', model: 'a/b', alias: 'latest' }; }))).toEqual([
      'promotion.mode',
      'promotion.model',
      'promotion.alias',
    ]);
    expect(paths(edited((d) => { d.promotion.approver = 'x'; }))).toEqual(['promotion.approver']);
  });

  it('checks trigger states', () => {
    expect(paths(edited((d) => { d.triggers = { newVersion: true, alert: 'on', cron: '* *' }; }))).toEqual(['triggers.cron', 'triggers.newVersion']);
    expect(paths(edited((d) => { delete d.triggers; }))).toEqual(['triggers']);
  });
});
