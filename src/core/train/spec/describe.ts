// One-line descriptions of a run's model and training, for the runs table and the model card.

import type { Hyperparams, ModelSpec, Schedule } from './types';

export function describeSpec(spec: ModelSpec): string {
  switch (spec.family) {
    case 'linear':
      return 'linear';
    case 'mlp': {
      const layers = spec.layers.map((l) => `${l.units} ${l.activation}`).join(' → ');
      return `MLP ${layers}${spec.dropout > 0 ? `, dropout ${spec.dropout}` : ''}`;
    }
    case 'cnn': {
      const conv = spec.conv.map((b) => `${b.filters}@${b.kernel}×${b.kernel}${b.pool > 1 ? `/${b.pool}` : ''}`).join(' → ');
      const dense = spec.dense.map((l) => `${l.units}`).join(' → ');
      return `CNN ${conv}${dense ? ` → ${dense}` : ''}${spec.dropout > 0 ? `, dropout ${spec.dropout}` : ''}`;
    }
  }
}

function describeSchedule(s: Schedule): string {
  switch (s.kind) {
    case 'constant':
      return '';
    case 'step':
      return ` ×${s.factor} every ${s.every} ep`;
    case 'exponential':
      return ` ×${s.rate}/ep`;
    case 'cosine':
      return ` cosine to ${s.minLearningRate}`;
  }
}

export function describeHyper(h: Hyperparams): string {
  const optimizer = h.optimizer === 'sgd' && h.momentum > 0 ? `sgd (momentum ${h.momentum})` : h.optimizer;
  const parts = [`${optimizer} lr ${h.learningRate}${describeSchedule(h.schedule)}`, `${h.epochs} ep`, `batch ${h.batchSize}`];
  if (h.l2 > 0) parts.push(`L2 ${h.l2}`);
  if (h.classWeights !== 'none') parts.push(`${h.classWeights} class weights`);
  if (h.earlyStopping.enabled) parts.push(`early stop (${h.earlyStopping.monitor}, patience ${h.earlyStopping.patience})`);
  parts.push(`seed ${h.seed}`);
  return parts.join(', ');
}
