// Small pipeline fixtures shared by the pipeline tests.

import { defaultHyper, defaultSpec } from '../../../src/core/train/spec/defaults';
import type { PipelineDefinition } from '../../../src/core/deliver/pipeline';

export function pipeline(over: Partial<PipelineDefinition> = {}): PipelineDefinition {
  return {
    format: 1,
    id: 'pl-1',
    projectId: 'p1',
    name: 'retrain churn',
    source: { kind: 'lineage', rootVersionId: 'raw' },
    recipe: null,
    training: { kind: 'model', spec: defaultSpec('mlp'), hyper: defaultHyper('mlp') },
    tests: [{ kind: 'leakage' }, { kind: 'smoke' }, { kind: 'value', metric: 'accuracy', lower: 0.9 }],
    promotion: { mode: 'auto', model: 'churn', alias: 'champion' },
    triggers: { newVersion: 'on', alert: 'paused' },
    ...over,
  };
}
