import type { DatasetVersion, FeatureEncoding, ModelVersion, PredictionRecord, Project, RawRow, Run } from '../../core/shared/types';
import type { FittedRecipe } from '../../core/recipe/types';
import { setCell } from '../../core/train/preprocess';
import type { Services } from '../shared/services';
import { messageOf } from '../shared/services';
import { loadRunModel } from '../shared/model-loader';
import { CHAMPION } from '../deliver/registry.svelte';
import { parseLabelsText, rowOf, type RequestChunk } from '../../core/monitor/log';
import { csvRecords, readCsv } from '../../core/serving/csv.js';
import { newId } from '../../core/shared/ids';
import { downloadText } from '../../platform/download';
import { servedModel } from './replay.svelte';
import { recipeChain } from '../data/recipe-chain';

const LOG_LIMIT = 100;
const SCORE_FILE_MAX = 100_000;

/** Row `i` of a chunk as the log table shows it. */
function recordOf(project: Project, chunk: RequestChunk, i: number): PredictionRecord {
  const row = rowOf(chunk, i);
  const record: PredictionRecord = {
    id: row.id,
    projectId: project.id,
    modelName: chunk.modelName,
    modelVersion: chunk.modelVersion,
    at: row.at,
    inputs: row.inputs,
    output: row.output,
    probabilities: row.probabilities,
    latencyMs: row.latencyMs,
    warnings: row.warnings,
  };
  if (row.error !== undefined) record.error = row.error;
  return record;
}

/** One input of the live form. */
export interface InputField {
  name: string;
  kind: 'number' | 'category' | 'date';
  /** Known category values; for a number, empty. */
  values: string[];
  /**
   * true: any text may be typed (values are suggestions): a raw column read by a recipe, where an unseen value is
   * still meaningful to the recipe. false: one of `values` or missing, as the preprocessor knows no other.
   */
  free: boolean;
  placeholder: string;
}

/** A number as the run's imported file wrote them, so the placeholder is something the form reads back. */
function written(value: number, run: Run): string {
  const text = value.toFixed(2);
  return run.format?.number.decimal === ',' ? text.replace('.', ',') : text;
}

/** The preprocessor's own features: what the model reads when it trained on imported data as it was. */
function featureFields(run: Run): InputField[] {
  return (run.preprocessor?.features ?? []).map((f): InputField => {
    if (f.kind === 'category') return { name: f.name, kind: 'category', values: f.categories.slice(), free: false, placeholder: '' };
    if (f.kind === 'number') return { name: f.name, kind: 'number', values: [], free: false, placeholder: written(f.mean, run) };
    // Any other feature is read from text (dates).
    return { name: (f as FeatureEncoding).name, kind: 'date', values: [], free: true, placeholder: 'yyyy-mm-dd' };
  });
}

/**
 * The raw columns the first recipe reads (but the target), with the values known for each category: the root
 * version's most frequent values and the categories the first recipe's encoders learned for that column, as long as
 * no earlier step renamed or cast it.
 */
function rawFields(run: Run, recipes: FittedRecipe[], root: DatasetVersion | null): InputField[] {
  const first = recipes[0];
  if (!first) return [];
  const learned = new Map<string, Set<string>>();
  const touched = new Set<string>();
  for (const step of first.steps) {
    if (step.kind === 'rename') touched.add(step.from);
    if (step.kind === 'cast') touched.add(step.column);
    if ((step.kind === 'onehot' || step.kind === 'ordinal') && !touched.has(step.column)) {
      const set = learned.get(step.column) ?? new Set<string>();
      for (const c of step.categories) set.add(c);
      learned.set(step.column, set);
    }
  }
  return first.input
    .filter((c) => c.role !== 'target')
    .map((c): InputField => {
      const i = root?.schema.findIndex((s) => s.name === c.name) ?? -1;
      const summary = i >= 0 ? root?.summaries[i] : undefined;
      if (c.type === 'number') {
        return { name: c.name, kind: 'number', values: [], free: true, placeholder: summary?.kind === 'number' ? written(summary.mean, run) : '' };
      }
      if (c.type === 'date') return { name: c.name, kind: 'date', values: [], free: true, placeholder: 'yyyy-mm-dd' };
      const values = new Set(learned.get(c.name) ?? []);
      if (summary?.kind === 'category') for (const t of summary.top) values.add(t.value);
      return { name: c.name, kind: 'category', values: [...values].sort(), free: true, placeholder: '' };
    });
}

/** Serves the project's champion in the page and keeps the log of what it predicted. */
export class MonitorState {
  champion = $state.raw<ModelVersion | null>(null);
  run = $state.raw<Run | null>(null);
  /** The live form's inputs: raw columns when the champion trained through recipes, its features otherwise. */
  fields = $state.raw<InputField[]>([]);
  /** Form values: number inputs bind numbers (or null when cleared), selects and text inputs bind strings. */
  inputs = $state<Record<string, string | number | null>>({});
  last = $state.raw<PredictionRecord | null>(null);
  log = $state.raw<PredictionRecord[]>([]);
  total = $state(0);
  predicting = $state(false);
  /** Set while a file is scored. */
  scoring = $state<string | null>(null);
  error = $state<string | null>(null);
  message = $state<string | null>(null);

  constructor(private readonly services: Services) {}

  async load(project: Project): Promise<void> {
    this.error = null;
    this.last = null;
    this.champion = (await this.services.registry.byAlias(project.id, CHAMPION)) ?? null;
    this.run = this.champion ? ((await this.services.runs.get(this.champion.runId)) ?? null) : null;
    this.fields = this.run ? await this.#fieldsOf(this.run) : [];
    const inputs: Record<string, string | number | null> = {};
    // setCell: a feature may be called "__proto__"; plain assignment would not make it a key.
    for (const f of this.fields) setCell(inputs, f.name, (Object.hasOwn(this.inputs, f.name) ? this.inputs[f.name] : null) ?? '');
    this.inputs = inputs;
    await this.refreshLog(project);
  }

  async #fieldsOf(run: Run): Promise<InputField[]> {
    const recipes = run.recipes ?? [];
    if (recipes.length === 0) return featureFields(run);
    let root: DatasetVersion | null = null;
    try {
      root = (await recipeChain((id) => this.services.datasets.get(id), run.datasetId)).root;
    } catch {
      // The versions may have been deleted since; the recipes alone still name every raw column.
    }
    return rawFields(run, recipes, root);
  }

  /** The newest served requests, newest first, read from the columnar request log after the worker stored its rows. */
  async refreshLog(project: Project): Promise<void> {
    await this.services.predictor.flushLog(this.services.datasets.databaseName, project.id);
    const heads = await this.services.requestLog.heads(project.id, { role: 'serving' });
    const log: PredictionRecord[] = [];
    for (let h = heads.length - 1; h >= 0 && log.length < LOG_LIMIT; h--) {
      const chunk = await this.services.requestLog.chunk(heads[h]!.id);
      if (!chunk) continue;
      for (let i = chunk.rows - 1; i >= 0 && log.length < LOG_LIMIT; i--) log.push(recordOf(project, chunk, i));
    }
    this.log = log;
    this.total = heads.reduce((n, h) => n + h.rows, 0);
  }

  async predict(project: Project): Promise<void> {
    const champion = this.champion;
    const run = this.run;
    const pre = run?.preprocessor;
    if (!champion || !run || !pre) return;
    this.predicting = true;
    this.error = null;
    try {
      // Raw text, as typed: the predictor reads it in the run's format (a decimal comma included) and reports what
      // it cannot read instead of the form refusing or guessing; the log keeps what was typed.
      const row: RawRow = {};
      for (const f of this.fields) {
        const text = String((Object.hasOwn(this.inputs, f.name) ? this.inputs[f.name] : null) ?? '').trim();
        setCell(row, f.name, text === '' ? null : text);
      }
      const { prediction, latencyMs, requestId } = await this.services.predictor.serveOne(champion.id, () => loadRunModel(this.services, run), row, {
        projectId: project.id,
        databaseName: this.services.datasets.databaseName,
        model: servedModel(project, champion, run),
      });
      const record: PredictionRecord = {
        id: requestId,
        projectId: project.id,
        modelName: champion.name,
        modelVersion: champion.version,
        at: Date.now(),
        inputs: row,
        // A NaN answer is logged as the error it is, never as a class or a number.
        output: prediction.ok ? prediction.output : null,
        probabilities: prediction.ok ? prediction.probabilities : null,
        latencyMs,
        warnings: prediction.warnings,
      };
      if (!prediction.ok) record.error = prediction.error;
      this.last = record;
      await this.refreshLog(project);
    } catch (e) {
      this.error = `Prediction failed: ${messageOf(e)}`;
    } finally {
      this.predicting = false;
    }
  }

  /**
   * Scores a CSV file of raw rows in the predictor worker (logged like live traffic) and downloads the answers: one
   * line per row with its request id, prediction, probabilities, error and warnings.
   */
  async scoreFile(project: Project, file: File): Promise<void> {
    const champion = this.champion;
    const run = this.run;
    if (!champion || !run) return;
    this.scoring = `Scoring ${file.name}…`;
    this.error = null;
    this.message = null;
    try {
      const table = readCsv(new Uint8Array(await file.arrayBuffer()), file.name);
      const rows = csvRecords(table) as RawRow[];
      if (rows.length > SCORE_FILE_MAX) throw new Error(`${file.name} has ${rows.length.toLocaleString('en')} rows; at most ${SCORE_FILE_MAX.toLocaleString('en')} are scored at once`);
      const result = await this.services.predictor.scoreFile(champion.id, () => loadRunModel(this.services, run), {
        jobId: newId('score'),
        projectId: project.id,
        databaseName: this.services.datasets.databaseName,
        model: servedModel(project, champion, run),
        rows,
      });
      downloadText(file.name.replace(/\.[^.]*$/, '') + '-predictions.csv', result.csv, 'text/csv');
      this.message = `Scored ${result.requests} rows of ${file.name} (${result.errors} without an answer, ${result.warned} with input warnings); the answers were downloaded and the requests logged.`;
      await this.refreshLog(project);
    } catch (e) {
      this.error = `Scoring ${file.name} failed: ${messageOf(e)}`;
    } finally {
      this.scoring = null;
    }
  }

  /** Joins late ground truth (a CSV or JSON file of request_id,label) to the logged requests by id. */
  async importLabels(project: Project, file: File): Promise<void> {
    this.error = null;
    this.message = null;
    try {
      const parsed = parseLabelsText(await file.text(), file.name, Date.now());
      await this.services.predictor.flushLog(this.services.datasets.databaseName, project.id);
      const joined = await this.services.requestLog.joinLabels(project.id, parsed.labels);
      const c = joined.counts;
      const notes = [...parsed.problems, ...joined.messages].slice(0, 5);
      this.message = `Labels from ${file.name}: ${c.joined} joined, ${c.alreadyLabelled} already there, ${c.unknownId} with an unknown request id, ${c.conflicting} conflicting (kept the first), ${parsed.skipped} rows skipped.${notes.length > 0 ? ` ${notes.join(' ')}` : ''}`;
    } catch (e) {
      this.error = `The labels could not be read: ${messageOf(e)}`;
    }
  }

  async clearLog(project: Project): Promise<void> {
    await this.services.predictor.flushLog(this.services.datasets.databaseName, project.id);
    await this.services.requestLog.clear(project.id);
    await this.refreshLog(project);
  }
}
