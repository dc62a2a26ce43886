// The human-readable documents of the export bundle: a model card (what the model is for and how far to trust
// it) and a README (how to run it).

import { flattenReport, higherIsBetter, meetsGoal } from '../metrics';
import type { EvaluationReport, Preprocessor } from '../types';
import type { BundleInput } from './bundle';

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
  return pre.features
    .map((f) =>
      f.kind === 'number'
        ? `- \`${f.name}\` (number; training mean ${fmt(f.mean)}, std ${fmt(f.std)})`
        : `- \`${f.name}\` (category: ${f.categories.map((c) => `\`${c}\``).join(', ')})`,
    )
    .join('\n');
}

export function modelCard(input: BundleInput, pre: Preprocessor, recipeHash: string): string {
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

Project **${project.name}**: predict \`${pre.target}\` (${pre.task}) from ${pre.features.length} input column(s).
The model answers ${output}.

Goal set for the project: ${goal.metric} ${higherIsBetter(goal.metric) ? 'at least' : 'at most'} ${goal.bar}.
On the held-out test split this model ${met ? 'meets' : 'does **not** meet'} that goal.

## Data

- Dataset version \`${dataset.id}\` ("${dataset.name}"), ${dataset.rowCount} rows, from ${dataset.source.kind} \`${dataset.source.fileName}\`.
- Split (${dataset.split.method}, seed ${dataset.split.seed}): ${counts.train} train, ${counts.validation} validation, ${counts.test} test rows.
- Preprocessing was fitted on the training rows only (recipe SHA-256 \`${recipeHash}\`).

Inputs, in the order the model reads them:

${inputsList(pre)}

## Model

A multilayer perceptron: ${p.hiddenLayers} hidden layer(s) of ${p.units} units (${p.activation}), ${p.optimizer} at learning
rate ${p.learningRate}, ${p.epochs} epochs planned, batch size ${p.batchSize}, seed ${p.seed}. Trained in the browser by
Loopbench on the ${run.backend} backend (${Object.entries(run.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}). Run \`${run.id}\`${run.note ? `: ${run.note}` : ''}.

## Metrics (test split${evaluation ? `, ${evaluation.count} rows` : ''})

${evaluation ? metricsTable(evaluation) : 'No evaluation was recorded.'}

## Intended use

Predictions for new rows that come from the same population as the training data, as a decision aid that a person
reviews. Check \`metrics.json\` against the cost of a wrong answer before relying on it.

## Limitations

- It has only seen ${counts.train} training rows; rare cases are likely under-represented.
- A missing number is replaced by its training mean; a missing or unseen category is encoded as all zeros. Both give
  answers, but less reliable ones.
- The model does not know when the world changes: monitor its inputs and accuracy, and retrain on fresh data.
- Metrics come from one random test split of one dataset; they are an estimate, not a guarantee.

## How to run

See README.md: \`npm install && node predict.mjs rows.json\`, or \`node predict.mjs --verify\` to check this copy
reproduces the recorded answers.
`;
}

export function readme(input: BundleInput, pre: Preprocessor): string {
  const { model } = input;
  const example = input.examples[0]?.input ?? Object.fromEntries(pre.features.map((f) => [f.name, null]));
  return `# ${model.name} v${model.version}

Exported from Loopbench. Predicts \`${pre.target}\` (${pre.task}) from raw rows.

## Files

- \`model/model.json\`, \`model/group1-shard1of1.bin\`: the TensorFlow.js layers model.
- \`preprocessing.json\`: the recipe fitted at training time (scaling, one-hot categories, labels), replayed by \`transform.js\`.
- \`schema.json\`: the input columns, their types and allowed category values; \`labels.json\`: output classes.
- \`metrics.json\`, \`lineage.json\`, \`MODEL_CARD.md\`: how good it is, where it came from, what it is for.
- \`examples.json\`: rows with the answers Loopbench gave, to verify a deployment.
- \`predict.mjs\`, \`transform.js\`: a small runtime for Node and browsers.

## Node (20 or newer)

\`\`\`sh
npm install
node predict.mjs --verify       # replays examples.json; exits non-zero on any difference
node predict.mjs rows.json      # rows.json: a JSON array of objects; an unquoted .csv with a header works too
\`\`\`

A row looks like this (missing values may be \`null\`, absent, or text such as \`NA\`):

\`\`\`json
${JSON.stringify([example], null, 2)}
\`\`\`

From code:

\`\`\`js
import { loadModel, loadPreprocessor, predict } from './predict.mjs';
const model = await loadModel('.');
const pre = await loadPreprocessor('.');
console.log(await predict(model, pre, rows));
\`\`\`

## In a page

Serve this folder over HTTP and map \`@tensorflow/tfjs\` to a browser build:

\`\`\`html
<script type="importmap">
  { "imports": { "@tensorflow/tfjs": "https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@4.22.0/dist/tf.fesm.min.js" } }
</script>
<script type="module">
  import { loadModel, loadPreprocessor, predict } from './predict.mjs';
  const base = new URL('./', location.href).href;
  const [model, pre] = await Promise.all([loadModel(base), loadPreprocessor(base)]);
  console.log(await predict(model, pre, ${JSON.stringify([example])}));
</script>
\`\`\`
`;
}
