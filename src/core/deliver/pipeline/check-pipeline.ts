// Checks a pipeline definition read as JSON (from storage, an import or a hand edit) and reports every problem
// located by path, reusing the spec, hyperparameter, recipe and registry-name checkers so a rule is stated once.
// The recipe is checked for shape only: its columns depend on the source version, known only when the run starts.

import { recipeShapeProblems } from '../../recipe/check-recipe';
import { validateHyper } from '../../train/spec/check-hyper';
import { validateSpec } from '../../train/spec/check-spec';
import { validateSweep } from '../../train/sweep/check-sweep';
import { validateStageTest } from '../gates/stage-tests';
import { aliasProblems, modelNameProblems } from '../registry/names';
import { PIPELINE_FORMAT, type PipelineDefinition, type PipelineProblem } from './types';

export const PIPELINE_NAME_MAX = 100;
export const PIPELINE_TESTS_MAX = 200;
const TRIGGER_STATES = ['on', 'paused', 'off'] as const;

type Fields = Record<string, unknown>;

function isRecord(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const join = (at: string, field: string) => (at === '' ? field : `${at}.${field}`);

/** An unknown field would be silently ignored: most often a typo of a real one. */
function extraFields(v: Fields, allowed: readonly string[], at: string, out: PipelineProblem[]): void {
  for (const key of Object.keys(v)) if (!allowed.includes(key)) out.push({ path: join(at, key), message: `unknown field "${key}"` });
}

function needId(v: Fields, key: string, at: string, out: PipelineProblem[]): void {
  if (typeof v[key] !== 'string' || (v[key] as string).trim() === '') out.push({ path: join(at, key), message: `"${key}" must be a non-empty id` });
}

function needObject(v: Fields, key: string, at: string, out: PipelineProblem[], what: string): Fields | null {
  if (isRecord(v[key])) return v[key];
  out.push({ path: join(at, key), message: `"${key}" must be an object: ${what}` });
  return null;
}

const prefixed = (at: string, problems: { path: string; message: string }[]): PipelineProblem[] =>
  problems.map((p) => ({ path: p.path === '' ? at : join(at, p.path), message: p.message }));

function checkSource(def: Fields, out: PipelineProblem[]): void {
  const source = needObject(def, 'source', '', out, '{"kind": "version", "versionId"} or {"kind": "lineage", "rootVersionId"}');
  if (!source) return;
  if (source.kind === 'version') {
    extraFields(source, ['kind', 'versionId'], 'source', out);
    needId(source, 'versionId', 'source', out);
  } else if (source.kind === 'lineage') {
    extraFields(source, ['kind', 'rootVersionId'], 'source', out);
    needId(source, 'rootVersionId', 'source', out);
  } else {
    out.push({ path: 'source.kind', message: '"kind" must be "version" (one fixed version) or "lineage" (the newest of a lineage)' });
  }
}

function checkRecipe(def: Fields, out: PipelineProblem[]): void {
  // Optional: absent or null both mean "train on the source version as it is".
  if (def.recipe === null || def.recipe === undefined) return;
  for (const p of recipeShapeProblems(def.recipe)) {
    const step = p.step < 0 ? 'recipe' : `recipe.steps[${p.step}]`;
    out.push({ path: p.field === '' ? step : join(step, p.field), message: p.message });
  }
}

function checkTraining(def: Fields, out: PipelineProblem[]): void {
  const training = needObject(def, 'training', '', out, '{"kind": "model", "spec", "hyper"} or {"kind": "sweep", "sweep"}');
  if (!training) return;
  if (training.kind === 'model') {
    extraFields(training, ['kind', 'spec', 'hyper'], 'training', out);
    out.push(...prefixed('training.spec', validateSpec(training.spec)));
    out.push(...prefixed('training.hyper', validateHyper(training.hyper)));
  } else if (training.kind === 'sweep') {
    extraFields(training, ['kind', 'sweep'], 'training', out);
    out.push(...prefixed('training.sweep', validateSweep(training.sweep)));
  } else {
    out.push({ path: 'training.kind', message: '"kind" must be "model" (one spec and its hyperparameters) or "sweep" (a saved sweep)' });
  }
}

function checkTests(def: Fields, out: PipelineProblem[]): void {
  if (!Array.isArray(def.tests)) {
    out.push({ path: 'tests', message: '"tests" must be a list of test objects' });
    return;
  }
  if (def.tests.length > PIPELINE_TESTS_MAX) out.push({ path: 'tests', message: `a pipeline holds at most ${PIPELINE_TESTS_MAX} tests` });
  def.tests.forEach((t, i) => out.push(...validateStageTest(t, `tests[${i}]`)));
}

function checkPromotion(def: Fields, out: PipelineProblem[]): void {
  const rule = needObject(def, 'promotion', '', out, '{"mode": "auto" | "approval", "model", "alias"}');
  if (!rule) return;
  extraFields(rule, ['mode', 'model', 'alias'], 'promotion', out);
  if (rule.mode !== 'auto' && rule.mode !== 'approval') {
    out.push({ path: 'promotion.mode', message: '"mode" must be "auto" (move the alias when every gate passes) or "approval" (then wait for a person)' });
  }
  out.push(...modelNameProblems(rule.model, 'promotion.model'));
  out.push(...aliasProblems(rule.alias, 'promotion.alias'));
}

function checkTriggers(def: Fields, out: PipelineProblem[]): void {
  const triggers = needObject(def, 'triggers', '', out, '{"newVersion", "alert"}, each "on", "paused" or "off"');
  if (!triggers) return;
  extraFields(triggers, ['newVersion', 'alert'], 'triggers', out);
  for (const key of ['newVersion', 'alert']) {
    if (!TRIGGER_STATES.includes(triggers[key] as never)) out.push({ path: `triggers.${key}`, message: `"${key}" must be one of ${TRIGGER_STATES.join(', ')}` });
  }
  if (triggers.newVersion !== 'off' && triggers.newVersion !== undefined && isRecord(def.source) && def.source.kind === 'version') {
    out.push({ path: 'triggers.newVersion', message: 'a pipeline on one fixed version never sees new data: use a lineage source, or set this trigger "off"' });
  }
}

export type PipelineCheck = { ok: true; pipeline: PipelineDefinition } | { ok: false; problems: PipelineProblem[] };

/** Every problem of `def`, located; the typed definition when there are none. */
export function checkPipeline(def: unknown): PipelineCheck {
  if (!isRecord(def)) return { ok: false, problems: [{ path: '', message: 'a pipeline must be an object' }] };
  const out: PipelineProblem[] = [];
  extraFields(def, ['format', 'id', 'projectId', 'name', 'source', 'recipe', 'training', 'tests', 'promotion', 'triggers'], '', out);
  if (def.format !== PIPELINE_FORMAT) out.push({ path: 'format', message: `only pipeline format ${PIPELINE_FORMAT} is known` });
  needId(def, 'id', '', out);
  needId(def, 'projectId', '', out);
  if (typeof def.name !== 'string' || def.name.trim() === '' || def.name.length > PIPELINE_NAME_MAX) {
    out.push({ path: 'name', message: `the name must be 1 to ${PIPELINE_NAME_MAX} characters, not only spaces` });
  }
  checkSource(def, out);
  checkRecipe(def, out);
  checkTraining(def, out);
  checkTests(def, out);
  checkPromotion(def, out);
  checkTriggers(def, out);
  return out.length === 0 ? { ok: true, pipeline: def as unknown as PipelineDefinition } : { ok: false, problems: out };
}
