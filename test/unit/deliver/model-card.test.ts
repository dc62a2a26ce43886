import { describe, expect, it } from 'vitest';
import { modelCard, type CardEvidence, type CardInput } from '../../../src/core/deliver/export/model-card';
import { generatedModelCard } from '../../../src/core/deliver/export/bundle';
import { DEFAULT_PARAMS, DEFAULT_SPLIT } from '../../../src/core/shared/defaults';
import type { FittedRecipe } from '../../../src/core/recipe/types';
import type { ClassificationReport, Preprocessor } from '../../../src/core/shared/types';

const pre: Preprocessor = {
  version: 1,
  task: 'classification',
  target: 'Species',
  features: [
    { kind: 'number', name: 'Body Mass (g)', mean: 4200, std: 800, min: 2700, max: 6300 },
    { kind: 'number', name: 'Beak Depth (mm)', mean: 17, std: 2 },
    { kind: 'date', name: 'Observed', mean: 14_000, std: 300, min: 13_880, max: 14_610 },
    { kind: 'category', name: 'Island', categories: ['Biscoe', 'Dream'] },
  ],
  labels: ['Adelie', 'Chinstrap', 'Gentoo'],
  targetMean: 0,
  targetStd: 1,
  inputSize: 5,
};

const report: ClassificationReport = {
  task: 'classification',
  accuracy: 0.93,
  precision: 0.9,
  recall: 0.9,
  f1: 0.9,
  perClass: [],
  labels: pre.labels,
  confusion: [],
  count: 52,
};

function input(overrides: Partial<CardInput> = {}): CardInput {
  return {
    project: { id: 'p', name: 'Penguin species', task: 'classification', target: 'Species', goal: { metric: 'accuracy', bar: 0.9 }, createdAt: 1 },
    dataset: {
      id: 'ds1',
      projectId: 'p',
      name: 'penguins',
      createdAt: 1,
      rowCount: 344,
      schema: [],
      summaries: [],
      split: { ...DEFAULT_SPLIT, counts: { train: 240, validation: 52, test: 52 } },
      source: { kind: 'sample', fileName: 'penguins.json', byteLength: 1 },
      parents: [],
      chunkRows: 65536,
      chunkCount: 1,
    },
    run: {
      id: 'run-1',
      projectId: 'p',
      datasetId: 'ds1',
      name: 'mlp',
      status: 'finished',
      params: DEFAULT_PARAMS,
      backend: 'cpu',
      versions: { tfjs: '4.22.0' },
      startedAt: 1,
      endedAt: 2,
      history: [],
      metrics: { accuracy: 0.93 },
      evaluation: report,
      preprocessor: pre,
      model: null,
      note: '',
      tags: {},
    },
    model: { id: 'penguin-species@2', name: 'penguin-species', version: 2, runId: 'run-1', createdAt: 3 },
    ...overrides,
  };
}

/** The body of one `## ` section of the card. */
function section(card: string, title: string): string {
  const start = card.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`the card has no "${title}" section:\n${card}`);
  const body = card.slice(start + title.length + 5);
  const end = body.indexOf('\n## ');
  return (end < 0 ? body : body.slice(0, end)).trim();
}

const evidence: CardEvidence = {
  pipeline: 'nightly',
  run: 7,
  results: [
    { stage: 'data', name: 'no leakage', passed: true, detail: '0 test rows in train' },
    { stage: 'serving', name: 'parity', passed: false, detail: 'row 3: app 0.81 | bundle 0.79' },
  ],
};

describe('the generated model card', () => {
  it('states the intended use from the registered description, the project, its task and goal', () => {
    const use = section(modelCard(input({ description: 'Field guide helper for the survey team' }), pre, 'h'), 'Intended use');
    expect(use).toContain('Registered as: Field guide helper for the survey team');
    expect(use).toContain('Made in project **Penguin species** to predict `Species` (classification), with the goal accuracy at least 0.9.');
    expect(section(modelCard(input(), pre, 'h'), 'Intended use')).not.toContain('Registered as');
  });

  it('lists limits: the training range of each number and date input, the classes seen, the worst slices', () => {
    const card = modelCard(
      input({
        slices: {
          evaluated: '"penguins", test split',
          tables: [
            { column: 'Island', by: 'value', metric: 'accuracy', omitted: 0, slices: [{ value: 'Dream', count: 18, metric: 0.83 }, { value: 'Biscoe', count: 30, metric: 1 }] },
            { column: 'Body Mass (g)', by: 'quantile', metric: 'accuracy', omitted: 0, slices: [{ value: '[2700, 3550)', count: 13, metric: 0.77 }] },
            { column: 'Sex', by: 'value', metric: 'accuracy', omitted: 0, slices: [] },
          ],
        },
      }),
      pre,
      'h',
    );
    const limits = section(card, 'Limitations');
    expect(limits).toContain('  - `Body Mass (g)`: 2700.0 to 6300.0');
    expect(limits).toContain('  - `Beak Depth (mm)`: not recorded for this run');
    expect(limits).toContain('  - `Observed`: 2008-01-02 to 2010-01-01');
    expect(limits).toContain('Classes seen in training: `Adelie`, `Chinstrap`, `Gentoo`.');
    expect(limits).toContain('Slices where the model does worst (evaluated on "penguins", test split):');
    // Worst first across columns; a column without slices says nothing.
    expect(limits.indexOf('`Body Mass (g)` in [2700, 3550): accuracy 0.7700 on 13 rows')).toBeLessThan(limits.indexOf('`Island` = Dream: accuracy 0.8300 on 18 rows'));
    expect(limits).not.toContain('Biscoe: accuracy');
    expect(limits).not.toContain('`Sex`');
    expect(section(modelCard(input(), pre, 'h'), 'Limitations')).not.toContain('Slices where');
  });

  it("warns that the bundle answers rows the recipe's filters kept out of training", () => {
    const recipe: FittedRecipe = {
      version: 1,
      input: [],
      output: [],
      steps: [
        { kind: 'filter', condition: { kind: 'all', conditions: [{ kind: 'compare', column: 'Body Mass (g)', op: 'gt', value: 3000 }, { kind: 'missing', column: 'Sex', negate: true }] } },
        { kind: 'drop', columns: ['Sex'] },
      ],
    };
    const withRecipe = input({ chain: ['ds0', 'ds1'] });
    withRecipe.run = { ...withRecipe.run, recipes: [recipe] };
    const limits = section(modelCard(withRecipe, pre, 'h'), 'Limitations');
    expect(limits).toContain('Training kept only some rows (recipe 1 kept rows where (`Body Mass (g)` > 3000) and (`Sex` is not missing)).');
    expect(limits).toContain('(as the model reads it, after the recipes)');
    expect(section(modelCard(input(), pre, 'h'), 'Limitations')).not.toContain('Training kept only some rows');
  });

  it('shows the tests a pipeline ran as a table, or says no pipeline tested the version', () => {
    const tested = section(modelCard(input({ evidence }), pre, 'h'), 'Tests passed');
    expect(tested.split('\n')).toEqual([
      'Pipeline **nightly**, run 7: 1 of 2 test(s) passed.',
      '',
      '| stage | test | result | detail |',
      '| --- | --- | --- | --- |',
      '| data | no leakage | passed | 0 test rows in train |',
      // A pipe inside a cell is escaped so it does not split the row.
      '| serving | parity | **failed** | row 3: app 0.81 \\| bundle 0.79 |',
    ]);
    expect(section(modelCard(input(), pre, 'h'), 'Tests passed')).toBe(
      'No pipeline has tested this version: the figures above come from the evaluation of its training run only.',
    );
  });

  it('is generated with the hash of the preprocessing the bundle ships', async () => {
    const card = await generatedModelCard(input());
    expect(card).toMatch(/recipe SHA-256 `[0-9a-f]{64}`/);
    expect(card.startsWith('# Model card: penguin-species v2\n')).toBe(true);
  });
});
