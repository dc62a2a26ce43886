import type { ModelVersion, PredictionRecord, Project, RawRow, Run } from '../core/types';
import type { Services } from './services';
import { messageOf } from './services';
import { loadRunModel } from './model-loader';
import { CHAMPION } from './registry.svelte';

const LOG_LIMIT = 100;

/** Serves the project's champion in the page and keeps the log of what it predicted. */
export class MonitorState {
  champion = $state.raw<ModelVersion | null>(null);
  run = $state.raw<Run | null>(null);
  /** Form values: number inputs bind numbers (or null when cleared), selects bind strings. */
  inputs = $state<Record<string, string | number | null>>({});
  last = $state.raw<PredictionRecord | null>(null);
  log = $state.raw<PredictionRecord[]>([]);
  total = $state(0);
  predicting = $state(false);
  error = $state<string | null>(null);

  constructor(private readonly services: Services) {}

  async load(project: Project): Promise<void> {
    this.error = null;
    this.last = null;
    this.champion = (await this.services.registry.byAlias(project.id, CHAMPION)) ?? null;
    this.run = this.champion ? ((await this.services.runs.get(this.champion.runId)) ?? null) : null;
    const features = this.run?.preprocessor?.features ?? [];
    const inputs: Record<string, string | number | null> = {};
    for (const f of features) inputs[f.name] = this.inputs[f.name] ?? '';
    this.inputs = inputs;
    await this.refreshLog(project);
  }

  async refreshLog(project: Project): Promise<void> {
    this.log = await this.services.predictions.recent(project.id, LOG_LIMIT);
    this.total = await this.services.predictions.count(project.id);
  }

  async predict(project: Project): Promise<void> {
    const champion = this.champion;
    const run = this.run;
    const pre = run?.preprocessor;
    if (!champion || !run || !pre) return;
    this.predicting = true;
    this.error = null;
    try {
      const row: RawRow = {};
      for (const f of pre.features) {
        const text = String(this.inputs[f.name] ?? '').trim();
        if (f.kind === 'number' && text !== '' && !Number.isFinite(Number(text))) {
          throw new Error(`"${text}" is not a number (${f.name}).`);
        }
        row[f.name] = text === '' ? null : f.kind === 'number' ? Number(text) : text;
      }
      const { predictions, latencyMs } = await this.services.predictor.predict(
        champion.id,
        () => loadRunModel(this.services, run),
        [row],
      );
      const [prediction] = predictions;
      if (!prediction) throw new Error('the model returned no prediction');
      const record: PredictionRecord = {
        projectId: project.id,
        modelName: champion.name,
        modelVersion: champion.version,
        at: Date.now(),
        inputs: row,
        output: prediction.output,
        probabilities: prediction.probabilities,
        latencyMs,
      };
      await this.services.predictions.add(record);
      this.last = record;
      await this.refreshLog(project);
    } catch (e) {
      this.error = `Prediction failed: ${messageOf(e)}`;
    } finally {
      this.predicting = false;
    }
  }

  async clearLog(project: Project): Promise<void> {
    await this.services.predictions.clear(project.id);
    await this.refreshLog(project);
  }
}
