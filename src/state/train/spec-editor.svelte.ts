import type { DatasetVersion, Project } from '../../core/shared/types';
import type { Hyperparams, LayerRow, ModelFamily, ModelInput, ModelSpec, ScheduleKind, SpecProblem } from '../../core/train/spec';
import {
  ACTIVATIONS,
  defaultFamily,
  defaultHyper,
  defaultSchedule,
  defaultSpec,
  FAMILIES,
  FAMILY_NAMES,
  familiesFor,
  layerView,
  LIMITS,
  OPTIMIZERS,
  SCHEDULES,
  validateHyper,
  validateSpec,
} from '../../core/train/spec';
import type { InputSummary } from '../../core/contracts/train';
import type { Services } from '../shared/services';
import { datasetRef } from '../shared/dataset-ref';
import { messageOf } from '../shared/services';

/** What the selected dataset version gives the model: fitted on its training split by the trainer worker. */
export interface InputInfo {
  datasetId: string;
  input: ModelInput;
  outputs: number;
  task: Project['task'];
  features: InputSummary['features'];
}

/** The constants the form needs (the UI may not import values from core). */
export const SPEC_CHOICES = { ACTIVATIONS, FAMILIES, FAMILY_NAMES, LIMITS, OPTIMIZERS, SCHEDULES } as const;

/**
 * The model spec and hyperparameters as the Train form edits them: validation with located messages, the layer
 * view and parameter count for the selected dataset version, and family defaults.
 */
export class SpecEditor {
  spec = $state<ModelSpec>(defaultSpec('mlp'));
  hyper = $state<Hyperparams>(defaultHyper('mlp'));
  info = $state.raw<InputInfo | null>(null);
  inspecting = $state(false);
  inputError = $state<string | null>(null);
  #inspected: string | null = null;

  readonly specProblems: SpecProblem[] = $derived(validateSpec(this.spec, this.info?.input ?? null));
  readonly hyperProblems: SpecProblem[] = $derived(validateHyper(this.hyper));
  readonly layers: LayerRow[] | null = $derived.by(() => {
    const info = this.info;
    if (!info || this.specProblems.length > 0) return null;
    return layerView(this.spec, info.input, info.outputs, info.task);
  });
  readonly parameterCount: number | null = $derived(this.layers ? this.layers.reduce((n, r) => n + r.params, 0) : null);
  readonly families: ModelFamily[] = $derived(familiesFor(this.info?.input ?? null));

  constructor(private readonly services: Services) {}

  /** The message for the field at `path` ("layers[0].units", "learningRate"), if it has a problem. */
  problemAt(path: string): string | undefined {
    return (this.specProblems.find((p) => p.path === path) ?? this.hyperProblems.find((p) => p.path === path))?.message;
  }

  /** Every problem of these settings, as messages (for refusing to start a run). */
  problemsFor(spec: ModelSpec, hyper: Hyperparams): string[] {
    return [...validateSpec(spec, this.info?.input ?? null), ...validateHyper(hyper)].map((p) => p.message);
  }

  /** Switches family with that family's default layers and training settings (the seed and the rest stay). */
  setFamily(family: ModelFamily): void {
    if (family === this.spec.family) return;
    this.spec = defaultSpec(family);
    const d = defaultHyper(family);
    this.hyper.learningRate = d.learningRate;
    this.hyper.epochs = d.epochs;
    this.hyper.batchSize = d.batchSize;
  }

  setSchedule(kind: ScheduleKind): void {
    if (kind !== this.hyper.schedule.kind) this.hyper.schedule = defaultSchedule(kind, this.hyper.learningRate);
  }

  addLayer(list: 'layers' | 'dense'): void {
    const spec = this.spec;
    if (list === 'layers' && spec.family === 'mlp') spec.layers.push({ ...(spec.layers.at(-1) ?? { units: 16, activation: 'relu' }) });
    if (list === 'dense' && spec.family === 'cnn') spec.dense.push({ ...(spec.dense.at(-1) ?? { units: 32, activation: 'relu' }) });
  }

  addConvBlock(): void {
    if (this.spec.family !== 'cnn') return;
    const last = this.spec.conv.at(-1);
    this.spec.conv.push(last ? { ...last, filters: Math.min(last.filters * 2, LIMITS.filters.max) } : { filters: 8, kernel: 3, pool: 2, activation: 'relu' });
  }

  remove(list: 'layers' | 'dense' | 'conv', index: number): void {
    const spec = this.spec;
    if (list === 'layers' && spec.family === 'mlp') spec.layers.splice(index, 1);
    if (list === 'dense' && spec.family === 'cnn') spec.dense.splice(index, 1);
    if (list === 'conv' && spec.family === 'cnn') spec.conv.splice(index, 1);
  }

  /**
   * Asks the trainer worker for the selected version's inputs (it fits the preprocessor there, once, and keeps it for
   * the version's runs) to count parameters before training. A change between image and tabular data switches to
   * that kind's default family.
   */
  async inspect(project: Project, dataset: DatasetVersion): Promise<void> {
    const key = `${project.id}:${project.task}:${dataset.id}`;
    if (this.#inspected === key) return;
    this.#inspected = key;
    this.inspecting = true;
    this.inputError = null;
    try {
      const summary = await this.services.trainer.describeInput(datasetRef(this.services, dataset.id), project.task);
      if (this.#inspected !== key) return;
      this.info = { datasetId: dataset.id, input: summary.input, outputs: summary.outputs, task: project.task, features: summary.features };
      if (!this.families.includes(this.spec.family)) this.setFamily(defaultFamily(summary.input));
    } catch (e) {
      if (this.#inspected !== key) return;
      this.info = null;
      this.inputError = `Cannot read this version's inputs: ${messageOf(e)}`;
    } finally {
      if (this.#inspected === key) this.inspecting = false;
    }
  }
}
