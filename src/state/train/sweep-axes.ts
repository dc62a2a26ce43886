// The parameters the sweep form offers for a model spec, with starting values and ranges, and how the form's text
// becomes sweep axes.

import type { ModelSpec } from '../../core/train/spec/types';
import type { SweepAxis, SweepAxisKind } from '../../core/train/sweep/types';

export interface AxisChoice {
  path: string;
  label: string;
  /** Text parameters (the optimizer) take a list of values only. */
  numeric: boolean;
}

/** One parameter as the form edits it: values as comma-separated text, a range as two numbers. */
export interface AxisDraft {
  enabled: boolean;
  kind: SweepAxisKind;
  values: string;
  min: number;
  max: number;
}

/** Learning rate first: the parameter most worth searching. Layer units and dropout only where the family has them. */
export function axisChoices(spec: ModelSpec): AxisChoice[] {
  const out: AxisChoice[] = [
    { path: 'hyper.learningRate', label: 'Learning rate', numeric: true },
    { path: 'hyper.batchSize', label: 'Batch size', numeric: true },
    { path: 'hyper.epochs', label: 'Epochs', numeric: true },
  ];
  if (spec.family === 'mlp') spec.layers.forEach((_, i) => out.push({ path: `spec.layers.${i}.units`, label: `Units of layer ${i + 1}`, numeric: true }));
  if (spec.family === 'cnn') spec.dense.forEach((_, i) => out.push({ path: `spec.dense.${i}.units`, label: `Units of dense layer ${i + 1}`, numeric: true }));
  if (spec.family !== 'linear') out.push({ path: 'spec.dropout', label: 'Dropout', numeric: true });
  out.push({ path: 'hyper.l2', label: 'L2', numeric: true }, { path: 'hyper.optimizer', label: 'Optimizer', numeric: false });
  return out;
}

/** Starting values a user can run as they are: two grid values, and a range around the family defaults. */
export function defaultDraft(path: string): AxisDraft {
  const d = (kind: SweepAxisKind, values: string, min: number, max: number): AxisDraft => ({ enabled: false, kind, values, min, max });
  if (path === 'hyper.learningRate') return d('log-uniform', '0.003, 0.03', 0.001, 0.1);
  if (path === 'hyper.batchSize') return d('integer', '16, 64', 8, 128);
  if (path === 'hyper.epochs') return d('integer', '10, 20', 5, 40);
  if (path.endsWith('.units')) return d('integer', '8, 32', 4, 64);
  if (path === 'spec.dropout') return d('uniform', '0, 0.2', 0, 0.5);
  if (path === 'hyper.l2') return d('log-uniform', '0, 0.001', 0.00001, 0.01);
  return d('values', 'adam, sgd, rmsprop', 0, 0);
}

/** The axis a draft describes; a grid always lists values (a range only makes sense for random search). */
export function axisOf(choice: AxisChoice, draft: AxisDraft, method: 'grid' | 'random'): SweepAxis {
  const kind = method === 'grid' || !choice.numeric ? 'values' : draft.kind;
  if (kind === 'values') {
    const parts = draft.values.split(',').map((t) => t.trim()).filter((t) => t !== '');
    // Text that is not a number stays NaN, which validation reports at its index.
    return { path: choice.path, kind, values: choice.numeric ? parts.map(Number) : parts };
  }
  return { path: choice.path, kind, min: draft.min, max: draft.max };
}
