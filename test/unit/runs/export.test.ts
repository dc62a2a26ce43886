import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvField, runsCsv } from '../../../src/core/evaluate/runs/export-csv';
import { buildMlflowExport, mlflowExportJson } from '../../../src/core/evaluate/runs/export-mlflow';
import { exportFileName, seedOf } from '../../../src/core/evaluate/runs/records';
import type { Project } from '../../../src/core/shared/types';
import { makeRun, point } from './fixtures';

const project: Project = { id: 'sample-penguins', name: 'Penguin species', task: 'classification', target: 'species', goal: { metric: 'accuracy', bar: 0.9 }, createdAt: 1_600_000_000_000 };

const finished = makeRun('run-a', {
  name: 'lr 0.01',
  history: [point('loss', 1, 0.9, 1_700_000_001_000), point('accuracy', 1, 0.5, 1_700_000_001_000), point('loss', 2, 0.4, 1_700_000_002_000), point('accuracy', 2, 0.75, 1_700_000_002_000)],
  metrics: { accuracy: 0.93, f1: NaN },
  tags: { sweep: 'lr', 'mlflow.note.content': 'first try' },
});
const failed = makeRun('run-b', {
  name: 'nested',
  status: 'failed',
  note: 'Interrupted: the page was closed or reloaded during training.',
  params: { model: { layers: [{ units: 8 }] }, training: { seed: 3, learningRate: -0.5 } },
  startedAt: 1_700_000_010_000,
  endedAt: null,
  versions: {},
});

describe('MLflow JSON export', () => {
  it('writes experiment and runs with MLflow entity field names', () => {
    const out = buildMlflowExport(project, [finished, failed], 1_800_000_000_000);
    expect(out.experiment).toEqual({
      experiment_id: 'sample-penguins',
      name: 'Penguin species',
      artifact_location: 'loopbench:/projects/sample-penguins',
      lifecycle_stage: 'active',
      tags: [
        { key: 'loopbench.task', value: 'classification' },
        { key: 'loopbench.target', value: 'species' },
        { key: 'loopbench.goal.metric', value: 'accuracy' },
        { key: 'loopbench.goal.bar', value: '0.9' },
      ],
      creation_time: 1_600_000_000_000,
      last_update_time: 1_700_000_010_000,
    });
    const [a, b] = out.runs;
    expect(a.info).toEqual({
      run_id: 'run-a',
      run_name: 'lr 0.01',
      experiment_id: 'sample-penguins',
      status: 'FINISHED',
      start_time: 1_700_000_000_000,
      end_time: 1_700_000_004_000,
      lifecycle_stage: 'active',
      artifact_uri: 'loopbench:/projects/sample-penguins/runs/run-a/artifacts',
    });
    expect(a.data.params).toContainEqual({ key: 'hyper.learningRate', value: '0.01' });
    expect(a.data.params).toContainEqual({ key: 'spec.layers.0.units', value: '16' });
    expect(a.data.params.every((p) => typeof p.value === 'string')).toBe(true);
    // Full history with step and timestamp, then the test figures at the last step (NaN as proto3 JSON writes it).
    expect(a.data.metrics).toEqual([
      { key: 'loss', value: 0.9, step: 1, timestamp: 1_700_000_001_000 },
      { key: 'accuracy', value: 0.5, step: 1, timestamp: 1_700_000_001_000 },
      { key: 'loss', value: 0.4, step: 2, timestamp: 1_700_000_002_000 },
      { key: 'accuracy', value: 0.75, step: 2, timestamp: 1_700_000_002_000 },
      { key: 'test_accuracy', value: 0.93, step: 2, timestamp: 1_700_000_004_000 },
      { key: 'test_f1', value: 'NaN', step: 2, timestamp: 1_700_000_004_000 },
    ]);
    expect(a.data.tags).toEqual([
      { key: 'sweep', value: 'lr' },
      { key: 'mlflow.note.content', value: 'first try' },
      { key: 'mlflow.runName', value: 'lr 0.01' },
      { key: 'loopbench.datasetVersion', value: 'd'.repeat(64) },
      { key: 'loopbench.backend', value: 'wasm' },
      { key: 'loopbench.seed', value: '7' },
      { key: 'loopbench.library.tfjs', value: '4.22.0' },
    ]);
    expect(b.info).toMatchObject({ status: 'FAILED', end_time: null });
    expect(b.data.params).toEqual([
      { key: 'model.layers.0.units', value: '8' },
      { key: 'training.seed', value: '3' },
      { key: 'training.learningRate', value: '-0.5' },
    ]);
    expect(b.data.tags).toContainEqual({ key: 'loopbench.statusNote', value: failed.note });
    expect(b.data.tags).toContainEqual({ key: 'loopbench.seed', value: '3' });
  });

  it('is valid JSON that round-trips', () => {
    const text = mlflowExportJson(project, [finished], 1);
    expect(JSON.parse(text)).toEqual(buildMlflowExport(project, [finished], 1));
  });
});

describe('CSV export', () => {
  it('quotes commas, quotes and newlines, and defuses formulas in text only', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@sum')).toBe("'@sum");
    expect(csvField(-0.5)).toBe('-0.5');
    expect(csvField(NaN)).toBe('NaN');
    expect(csvField(undefined)).toBe('');
  });

  it('writes one row per run with params.*, metrics.* and tags.* that a CSV reader reads back', () => {
    const odd = makeRun('run-c', {
      name: 'odd, "quoted"\nname',
      // JSON.parse makes __proto__ an own key, as a stored record could have it.
      params: JSON.parse('{"a,b": 1, "__proto__": 2, "constructor": "c"}') as never,
      tags: { 'line\nbreak': 'x', '=cmd': '-1' },
      metrics: {},
    });
    const text = runsCsv(project, [finished, failed, odd]);
    expect(text.endsWith('\r\n')).toBe(true);
    const parsed = Papa.parse<string[]>(text.trimEnd(), { newline: '\r\n' });
    expect(parsed.errors).toEqual([]);
    const [header, ...rows] = parsed.data;
    expect(rows).toHaveLength(3);
    expect(header.slice(0, 7)).toEqual(['run_id', 'experiment_id', 'run_name', 'status', 'start_time', 'end_time', 'duration_ms']);
    const col = (name: string) => header.indexOf(name);
    expect(col('params.hyper.learningRate')).toBeGreaterThan(6);
    expect(col('params.training.seed')).toBeGreaterThan(6);
    expect(col('params.a,b')).toBeGreaterThan(6);
    expect(col('metrics.loss')).toBeGreaterThan(6);
    expect(col('tags.line\nbreak')).toBeGreaterThan(6);
    expect(col("tags.'=cmd")).toBe(-1);
    expect(header).toContain("tags.=cmd");
    const [a, b, c] = rows;
    expect(a[col('run_name')]).toBe('lr 0.01');
    expect(a[col('status')]).toBe('FINISHED');
    expect(a[col('start_time')]).toBe(new Date(1_700_000_000_000).toISOString());
    expect(a[col('duration_ms')]).toBe('4000');
    expect(a[col('metrics.loss')]).toBe('0.4');
    expect(a[col('metrics.test_accuracy')]).toBe('0.93');
    expect(a[col('metrics.test_f1')]).toBe('NaN');
    expect(a[col('tags.mlflow.note.content')]).toBe('first try');
    expect(a[col('params.training.seed')]).toBe('');
    expect(b[col('status')]).toBe('FAILED');
    expect(b[col('end_time')]).toBe('');
    expect(b[col('params.training.learningRate')]).toBe('-0.5');
    expect(c[col('run_name')]).toBe('odd, "quoted"\nname');
    expect(c[col('tags.=cmd')]).toBe("'-1");
    expect(c[col('params.__proto__')]).toBe('2');
    expect(c[col('params.constructor')]).toBe('c');
    expect(c[col('params.a,b')]).toBe('1');
  });
});

describe('names', () => {
  it('makes safe file names and finds the seed', () => {
    expect(exportFileName('Penguin species', 'runs.json')).toBe('penguin-species-runs.json');
    expect(exportFileName('../../etc/passwd', 'runs.csv')).toBe('etc-passwd-runs.csv');
    expect(exportFileName('…', 'runs.csv')).toBe('project-runs.csv');
    expect(seedOf(finished)).toBe('7');
    expect(seedOf(makeRun('x', { params: {} }))).toBeUndefined();
  });
});

describe('environment tags', () => {
  it('say where a run trained, and nothing for runs stored before it was recorded', () => {
    const env = { browser: 'Chromium 156 on Linux', backend: 'wasm' as const, device: null, tfjs: '4.22.0', cores: 2 };
    const [withEnv, without] = buildMlflowExport(project, [makeRun('run-e', { environment: env }), finished], 1).runs;
    expect(withEnv.data.tags).toEqual(
      expect.arrayContaining([
        { key: 'loopbench.env.browser', value: 'Chromium 156 on Linux' },
        { key: 'loopbench.env.tfjs', value: '4.22.0' },
        { key: 'loopbench.env.cores', value: '2' },
      ]),
    );
    // An unknown device is left out rather than written as "null".
    expect(withEnv.data.tags.some((t) => t.key === 'loopbench.env.device')).toBe(false);
    expect(without.data.tags.some((t) => t.key.startsWith('loopbench.env.'))).toBe(false);
  });
});
