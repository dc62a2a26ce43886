// The human-readable documents of the export bundle: a model card (what the model is for and how far to trust
// it) and a README (how to run it).

import { flattenReport, higherIsBetter, meetsGoal } from '../../evaluate/run-report';
import type { SliceTable } from '../../evaluate/types';
import type { DatasetVersion, EvaluationReport, ModelVersion, Preprocessor, Project, Run } from '../../shared/types';
import type { Condition, FittedRecipe } from '../../recipe/types';
import type { BundleInput } from './bundle';
import { rawInputColumns } from './raw-inputs';
import { imageReadme } from './image-readme';
import { sourceDetail } from '../../data/provenance';
import { describeHyper, describeSpec } from '../../train/spec/describe';
import type { ModelFamily } from '../../train/spec/types';

/** The tests a pipeline ran on the version, as its run recorded them: the card's "Tests passed" section. */
export interface CardEvidence {
  pipeline: string;
  /** The pipeline run's number. */
  run: number;
  results: { stage: string; name: string; passed: boolean; detail: string }[];
}

/** The slice tables of an evaluation of the version, and which data and split it was (e.g. '"penguins", test split'). */
export interface CardSlices {
  evaluated: string;
  tables: SliceTable[];
}

/** Everything the model card is generated from: no weights, no examples, so it is cheap to show before an export. */
export interface CardInput {
  project: Project;
  dataset: DatasetVersion;
  /** Must carry its preprocessor. */
  run: Run;
  model: ModelVersion;
  /** As in BundleInput: the dataset versions from the import to `dataset`, oldest first. */
  chain?: string[];
  /** The registered model's description: what its owner says it is for. */
  description?: string;
  slices?: CardSlices | null;
  evidence?: CardEvidence | null;
}

const FAMILY_TEXT: Record<ModelFamily, string> = {
  linear: 'A linear model (linear regression, or softmax regression over the classes)',
  mlp: 'A multilayer perceptron',
  cnn: 'A convolutional network',
};

function fmt(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  return Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4);
}

function metricsTable(report: EvaluationReport): string {
  const rows = Object.entries(flattenReport(report)).map(([k, v]) => `| ${k} | ${fmt(v)} |`);
  const lines = ['| metric | value |', '| --- | --- |', ...rows];
  if (report.task === 'classification') {
    lines.push('', '| class | precision | recall | f1 | support |', '| --- | --- | --- | --- | --- |');
    for (const c of report.perClass) lines.push(`| ${c.label} | ${fmt(c.precision)} | ${fmt(c.recall)} | ${fmt(c.f1)} | ${c.support} |`);
  }
  return lines.join('\n');
}

function inputsList(pre: Preprocessor): string {
  if (pre.image) {
    const { column, width, height, channels } = pre.image;
    return `- \`${column}\` (image, ${width} x ${height} pixels, ${channels === 3 ? 'RGB' : 'grey'}; the model reads the pixels / 255)`;
  }
  return pre.features
    .map((f) =>
      f.kind === 'number'
        ? `- \`${f.name}\` (number; training mean ${fmt(f.mean)}, std ${fmt(f.std)})`
        : f.kind === 'date'
          ? `- \`${f.name}\` (date, as text such as 2021-11-18; the model reads days since 1970, training mean ${fmt(f.mean)}, std ${fmt(f.std)})`
          : `- \`${f.name}\` (category: ${f.categories.map((c) => `\`${c}\``).join(', ')})`,
    )
    .join('\n');
}

function stepSummary(recipe: FittedRecipe): string {
  return recipe.steps.map((s) => ('column' in s ? `${s.kind} \`${s.column}\`` : s.kind)).join(', ') || 'no steps';
}

/** How a raw row becomes the model's input: the recipes (if any), then preprocessing, then the model. */
function pipeline(input: CardInput): string {
  const recipes = input.run.recipes ?? [];
  if (recipes.length === 0) {
    return 'The training data was the imported data as it was: a raw row goes through `preprocessing.json` (replayed by `transform.js`), then the model.';
  }
  const chain = input.chain ?? [];
  const lines = recipes.map(
    (r, i) => `${i + 1}. Recipe ${i + 1} (made version \`${chain[i + 1] ?? '?'}\` from \`${chain[i] ?? '?'}\`): ${stepSummary(r)}.`,
  );
  return `The training data was made from the imported data by ${recipes.length} data recipe(s), each fitted on the training
rows of its input. A raw row, with the columns of the import (version \`${chain[0] ?? '?'}\`), goes through:

${lines.join('\n')}
${recipes.length + 1}. \`preprocessing.json\` (scaling, one-hot encoding; replayed by \`transform.js\`).
${recipes.length + 2}. The model.

The recipes are in \`recipes.json\`, oldest first, replayed by \`recipe.js\` exactly as they transformed the training
table, except that row filters are skipped: a deployed model answers every row it is given, so rows a filter kept out
of training still get an answer, a less reliable one.`;
}

/** A table cell: a pipe or a line break would end the cell or the row early. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function isoDay(days: number): string {
  const ms = days * 86_400_000;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString().slice(0, 10) : 'n/a';
}

function conditionText(c: Condition): string {
  switch (c.kind) {
    case 'compare': {
      const op = { eq: '=', ne: '≠', lt: '<', le: '≤', gt: '>', ge: '≥' }[c.op];
      return `\`${c.column}\` ${op} ${JSON.stringify(c.value)}`;
    }
    case 'missing':
      return `\`${c.column}\` is ${c.negate ? 'not ' : ''}missing`;
    case 'in':
      return `\`${c.column}\` is ${c.negate ? 'not ' : ''}one of ${c.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'all':
      return c.conditions.length === 0 ? 'always' : c.conditions.map((x) => `(${conditionText(x)})`).join(' and ');
    case 'any':
      return c.conditions.length === 0 ? 'never' : c.conditions.map((x) => `(${conditionText(x)})`).join(' or ');
  }
}

function intendedUse(input: CardInput, pre: Preprocessor): string {
  const { project } = input;
  const goal = project.goal;
  const described = input.description?.trim();
  return `${described ? `Registered as: ${described}\n\n` : ''}Made in project **${project.name}** to predict \`${pre.target}\` (${pre.task}), with the goal ${goal.metric} ${higherIsBetter(goal.metric) ? 'at least' : 'at most'} ${goal.bar}.

Predictions for new rows that come from the same population as the training data, as a decision aid that a person
reviews. Check \`metrics.json\` against the cost of a wrong answer before relying on it.`;
}

/** Where the model has seen data: beyond these ranges it extrapolates. */
function trainingRanges(pre: Preprocessor, afterRecipes: boolean): string[] {
  const ranged = pre.features.filter((f) => f.kind !== 'category');
  if (ranged.length === 0) return [];
  const lines = ranged.map((f) => {
    if (f.min === undefined || f.max === undefined) return `  - \`${f.name}\`: not recorded for this run`;
    return f.kind === 'date' ? `  - \`${f.name}\`: ${isoDay(f.min)} to ${isoDay(f.max)}` : `  - \`${f.name}\`: ${fmt(f.min)} to ${fmt(f.max)}`;
  });
  return [
    `- Training range of each number and date input${afterRecipes ? ' (as the model reads it, after the recipes)' : ''}; outside it the model extrapolates, and serving warns:`,
    ...lines,
  ];
}

function classesSeen(pre: Preprocessor): string[] {
  if (pre.task !== 'classification') return [];
  return [
    `- Classes seen in training: ${pre.labels.map((l) => `\`${l}\``).join(', ')}. A row of any other class still gets one of these answers.`,
  ];
}

/** The recipe filters that kept rows out of training: the bundle answers those rows anyway. */
function filterCaveats(recipes: readonly FittedRecipe[]): string[] {
  const filters = recipes.flatMap((r, i) => r.steps.flatMap((s) => (s.kind === 'filter' ? [`recipe ${i + 1} kept rows where ${conditionText(s.condition)}`] : [])));
  if (filters.length === 0) return [];
  return [
    `- Training kept only some rows (${filters.join('; ')}). A deployed model answers every row, so rows those filters left out get an answer the model was never trained or tested for.`,
  ];
}

/** The worst slice of each sliced column, worst first: the places where the headline metric flatters the model. */
function worstSlices(slices: CardSlices | null | undefined): string[] {
  const worst = (slices?.tables ?? []).flatMap((t) => {
    const s = t.slices[0];
    return s ? [{ table: t, slice: s }] : [];
  });
  if (worst.length === 0) return [];
  const lowerIsWorse = worst[0]!.table.metric === 'accuracy';
  worst.sort((a, b) => (lowerIsWorse ? a.slice.metric - b.slice.metric : b.slice.metric - a.slice.metric));
  const lines = worst.slice(0, 5).map(({ table, slice }) => {
    const where = table.by === 'quantile' ? `\`${table.column}\` in ${slice.value}` : `\`${table.column}\` = ${slice.value}`;
    return `  - ${where}: ${table.metric} ${fmt(slice.metric)} on ${slice.count} rows`;
  });
  return [`- Slices where the model does worst (evaluated on ${slices!.evaluated}):`, ...lines];
}

function limitations(input: CardInput, pre: Preprocessor): string {
  const recipes = input.run.recipes ?? [];
  return [
    ...trainingRanges(pre, recipes.length > 0),
    ...classesSeen(pre),
    ...filterCaveats(recipes),
    ...worstSlices(input.slices),
    `- It has only seen ${input.dataset.split.counts.train} training rows; rare cases are likely under-represented.`,
    '- A missing number is replaced by its training mean; a missing or unseen category is encoded as all zeros. Both give',
    '  answers, but less reliable ones.',
    '- The model does not know when the world changes: monitor its inputs and accuracy, and retrain on fresh data.',
    '- Metrics come from one random test split of one dataset; they are an estimate, not a guarantee.',
  ].join('\n');
}

function testsPassed(evidence: CardEvidence | null | undefined): string {
  if (!evidence) {
    return 'No pipeline has tested this version: the figures above come from the evaluation of its training run only.';
  }
  const passed = evidence.results.filter((r) => r.passed).length;
  const rows = evidence.results.map((r) => `| ${cell(r.stage)} | ${cell(r.name)} | ${r.passed ? 'passed' : '**failed**'} | ${cell(r.detail)} |`);
  return [
    `Pipeline **${evidence.pipeline}**, run ${evidence.run}: ${passed} of ${evidence.results.length} test(s) passed.`,
    '',
    ...(rows.length === 0 ? ['The run recorded no test results.'] : ['| stage | test | result | detail |', '| --- | --- | --- | --- |', ...rows]),
  ].join('\n');
}

export function modelCard(input: CardInput, pre: Preprocessor, recipeHash: string): string {
  const { project, dataset, run, model } = input;
  const evaluation = run.evaluation;
  const goal = project.goal;
  const met = evaluation ? meetsGoal(flattenReport(evaluation), goal) : false;
  const counts = dataset.split.counts;
  const p = run.params;
  const output =
    pre.task === 'classification'
      ? `one of ${pre.labels.map((l) => `\`${l}\``).join(', ')}, with a probability per class`
      : `a number (\`${pre.target}\`)`;
  return `# Model card: ${model.name} v${model.version}

## Purpose

Project **${project.name}**: predict \`${pre.target}\` (${pre.task}) from ${pre.image ? `${pre.image.width} x ${pre.image.height} images` : `${pre.features.length} input column(s)`}.
The model answers ${output}.

Goal set for the project: ${goal.metric} ${higherIsBetter(goal.metric) ? 'at least' : 'at most'} ${goal.bar}.
On the held-out test split this model ${met ? 'meets' : 'does **not** meet'} that goal.

## Data

- Dataset version \`${dataset.id}\` ("${dataset.name}"), ${dataset.rowCount} rows, from ${sourceDetail(dataset.source)}.
- Split (${dataset.split.method}, seed ${dataset.split.seed}): ${counts.train} train, ${counts.validation} validation, ${counts.test} test rows.
- Preprocessing was fitted on the training rows only (recipe SHA-256 \`${recipeHash}\`).

${pipeline(input)}

Inputs, in the order the model reads them${(run.recipes ?? []).length > 0 ? ' (after the recipes)' : ''}:

${inputsList(pre)}

## Model

${FAMILY_TEXT[p.spec.family]}: ${describeSpec(p.spec)}. Training: ${describeHyper(p.hyper)}. Trained in the browser by
Loopbench on the ${run.backend} backend (${Object.entries(run.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}). Run \`${run.id}\`${run.note ? `: ${run.note}` : ''}.

## Metrics (test split${evaluation ? `, ${evaluation.count} rows` : ''})

${evaluation ? metricsTable(evaluation) : 'No evaluation was recorded.'}

## Intended use

${intendedUse(input, pre)}

## Limitations

${limitations(input, pre)}

## Tests passed

${testsPassed(input.evidence)}

## How to run

See README.md: \`npm install && node predict.mjs rows.json\`, or \`node predict.mjs --verify\` to check this copy
reproduces the recorded answers.
`;
}

export function readme(input: BundleInput, pre: Preprocessor): string {
  if (pre.image) return imageReadme(input, pre, pre.image);
  const { model } = input;
  const recipes = input.run.recipes ?? [];
  const columns = recipes.length > 0 ? rawInputColumns(recipes).map((c) => c.name) : pre.features.map((f) => f.name);
  const example = input.examples[0]?.input ?? Object.fromEntries(columns.map((name) => [name, null]));
  return `# ${model.name} v${model.version}

Exported from Loopbench. Predicts \`${pre.target}\` (${pre.task}) from raw rows.

## Files

- \`model/model.json\`, \`model/group1-shard1of1.bin\`: the TensorFlow.js layers model.
- \`model/model.onnx\`: the same model for ONNX Runtime (opset 13). Input \`features\`: float32 [N, ${pre.inputSize}], a row
  encoded by \`transform.js\` (column order in its metadata \`feature_names\`); output \`${pre.task === 'classification' ? 'probabilities' : 'prediction'}\`.
- \`preprocessing.json\`: the recipe fitted at training time (scaling, one-hot categories, labels), replayed by \`transform.js\`.
- \`schema.json\`: the input columns, their types and allowed category values; \`labels.json\`: output classes.
- \`recipes.json\`, \`recipe.js\`: the data recipes that made the training data from the imported data, oldest first
  (${recipes.length === 0 ? 'none for this model' : `${recipes.length} for this model; give it rows with the imported columns`}).
- \`metrics.json\`, \`lineage.json\`, \`MODEL_CARD.md\`: how good it is, where it came from, what it is for.
- \`examples.json\`: rows with the answers Loopbench gave, to verify a deployment.
- \`predict.mjs\`, \`transform.js\`, \`recipe.js\`, \`dates.js\`, \`check.js\` (input warnings), \`csv.js\` (CSV reading): a small
  runtime for Node and browsers.
${
  input.standaloneRuntime === undefined
    ? ''
    : `- \`standalone/index.html\` (with \`model.js\`, \`runtime.js\`, \`style.css\`): open it from disk in a browser to predict
  offline from a form or a CSV file, with the same warnings as Loopbench; nothing to install, no network.
`
}
A raw row goes through the recipes of \`recipes.json\` in order, then \`preprocessing.json\`, then the model:
\`predict\` does all three.

## Node (20 or newer)

\`\`\`sh
npm install
node predict.mjs --verify       # replays examples.json; exits non-zero on any difference
node predict.mjs rows.csv       # delimited text with a header (separator , ; tab or | detected, quotes, UTF-8/16, Windows-1252)
node predict.mjs rows.json      # a JSON array of objects (.jsonl: one object per line)
\`\`\`

Each answer is \`{ ok: true, output, probabilities, warnings }\`, or \`{ ok: false, error, warnings }\` when the model's
output is NaN. Warnings name unknown and missing columns, unseen categories, text that is no number or date and values
outside the training range; they are also printed on stderr. Numbers are read in \`schema.json\`'s \`format\` (its
decimal mark and thousands separator). Exit code 0: every row answered; 1: a row has no answer; 2: the input cannot
be read (the message says what and where).

A row looks like this (missing values may be \`null\`, absent, or text such as \`NA\`):

\`\`\`json
${JSON.stringify([example], null, 2)}
\`\`\`

From code:

\`\`\`js
import { loadFormat, loadModel, loadPreprocessor, loadRecipes, predict } from './predict.mjs';
const model = await loadModel('.');
const pre = await loadPreprocessor('.');
const recipes = await loadRecipes('.');
const format = await loadFormat('.');
console.log(await predict(model, pre, rows, recipes, format));
\`\`\`

## In a page

Serve this folder over HTTP and map \`@tensorflow/tfjs\` to a browser build:

\`\`\`html
<script type="importmap">
  { "imports": { "@tensorflow/tfjs": "https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@4.22.0/dist/tf.fesm.min.js" } }
</script>
<script type="module">
  import { loadFormat, loadModel, loadPreprocessor, loadRecipes, predict } from './predict.mjs';
  const base = new URL('./', location.href).href;
  const [model, pre, recipes, format] = await Promise.all([loadModel(base), loadPreprocessor(base), loadRecipes(base), loadFormat(base)]);
  console.log(await predict(model, pre, ${JSON.stringify([example])}, recipes, format));
</script>
\`\`\`
`;
}
