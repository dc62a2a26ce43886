// The tests a pipeline ran on a registered version, as the model card lists them: one row per test with its stage,
// whether it passed, and the numbers behind it. Read off the run's outputs, so the card says what the run found.

import type { CardEvidence } from '../export/model-card';
import type { PipelineRun } from './run-types';

const num = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : Math.abs(v) >= 1000 ? v.toFixed(0) : v.toFixed(4));

/** The run that produced `model` version `version`, among `runs`, or null. */
export function runOfVersion(runs: readonly PipelineRun[], model: string, version: number): PipelineRun | null {
  return runs.find((r) => r.outputs.figures?.model.toLowerCase() === model.toLowerCase() && r.outputs.figures.version === version) ?? null;
}

export function cardEvidenceOf(run: PipelineRun, pipeline: string, number: number): CardEvidence {
  const o = run.outputs;
  const results: CardEvidence['results'] = [];
  if (o.validation) {
    const failing = o.validation.results.filter((r) => !r.passed).length;
    results.push({ stage: 'data', name: 'expectation suite', passed: o.validation.passed, detail: `${o.validation.results.length - failing} of ${o.validation.results.length} expectations held on ${o.validation.rowCount} rows` });
  }
  for (const { test, result } of o.data ?? []) {
    results.push({ stage: 'data', name: test.kind === 'leakage' ? 'train/test leakage' : 'class balance', passed: result.passed, detail: result.reason });
  }
  if (o.smoke) results.push({ stage: 'training', name: 'smoke test', passed: o.smoke.passed, detail: o.smoke.reason });
  if (o.reproduction) {
    const r = o.reproduction;
    results.push({ stage: 'training', name: 'reproducibility', passed: r.passed, detail: `${r.metric} ${num(r.original)} vs replay ${num(r.replay)} (tolerance ${r.tolerance})` });
  }
  for (const b of o.behaviour ?? []) results.push({ stage: 'behaviour', name: `${b.kind}: ${b.name}`, passed: b.passed, detail: b.reason });
  if (o.parity) {
    const p = o.parity;
    results.push({ stage: 'serving', name: 'bundle parity', passed: p.passed, detail: `${p.mismatches} of ${p.rows} rows differ; largest difference ${num(p.maxDifference)}` });
  }
  for (const e of o.gate?.evidence ?? []) {
    if (e.skipped) continue;
    const name = `${e.kind} threshold on ${e.metric}${e.slice ? ` [${e.slice}]` : ''}`;
    results.push({ stage: 'performance', name, passed: e.passed, detail: `candidate ${num(e.candidate)}${e.baseline === null ? '' : `, baseline ${num(e.baseline)}`}` });
  }
  return { pipeline, run: number, results };
}
