import { describe, expect, it } from 'vitest';
import { defaultHyper, defaultSpec, familiesFor } from '../../src/core/train/spec/defaults';
import { layerView, parameterCount } from '../../src/core/train/spec/layers';
import type { ModelInput, ModelSpec } from '../../src/core/train/spec/types';
import { validateHyper } from '../../src/core/train/spec/check-hyper';
import { validateSpec } from '../../src/core/train/spec/check-spec';
import { backendProblem, fastestFor } from '../../src/core/train/spec/backend';
import { describeHyper, describeSpec } from '../../src/core/train/spec/describe';

const tabular: ModelInput = { kind: 'tabular', features: 6 };
const mnist: ModelInput = { kind: 'image', width: 28, height: 28, channels: 1 };

describe('validateSpec', () => {
  it('accepts every family default for the input it reads', () => {
    expect(validateSpec(defaultSpec('linear'), tabular)).toEqual([]);
    expect(validateSpec(defaultSpec('mlp'), tabular)).toEqual([]);
    expect(validateSpec(defaultSpec('cnn'), mnist)).toEqual([]);
  });

  it('locates each problem by its path', () => {
    const spec = { family: 'mlp', layers: [{ units: 8, activation: 'relu' }, { units: 0, activation: 'relu' }, { units: 2.5, activation: 'swish' }], dropout: 1 };
    expect(validateSpec(spec)).toEqual([
      { path: 'layers[1].units', message: 'layers[1].units must be an integer from 1 to 4096' },
      { path: 'layers[2].units', message: 'layers[2].units must be an integer from 1 to 4096' },
      { path: 'layers[2].activation', message: 'layers[2].activation must be one of relu, tanh, sigmoid, elu' },
      { path: 'dropout', message: 'dropout must be a number from 0 to 0.9' },
    ]);
  });

  it('refuses what is not a spec at all, and unknown families', () => {
    expect(validateSpec(null)[0].message).toMatch(/must be an object/);
    expect(validateSpec({ family: 'transformer' })).toEqual([{ path: 'family', message: 'family must be one of linear, mlp, cnn' }]);
    expect(validateSpec({ family: 'mlp', layers: [], dropout: 0 })[0]).toEqual({ path: 'layers', message: 'layers must be a list of 1 to 8 items' });
    expect(validateSpec({ family: 'cnn', conv: [{ filters: 8, kernel: 9, pool: 2, activation: 'relu' }], dense: 'x', dropout: 0 }).map((p) => p.path)).toEqual([
      'conv[0].kernel',
      'dense',
    ]);
  });

  it('allows the CNN for images only, and linear/MLP for tables only, with a clear message', () => {
    expect(validateSpec(defaultSpec('cnn'), tabular)).toEqual([{ path: 'family', message: expect.stringMatching(/CNN reads images.*no image column/) }]);
    expect(validateSpec(defaultSpec('mlp'), mnist)).toEqual([{ path: 'family', message: expect.stringMatching(/MLP reads numbers and categories.*Choose the CNN/) }]);
    expect(validateSpec(defaultSpec('linear'), mnist)[0].message).toMatch(/linear model reads numbers/);
    expect(familiesFor(mnist)).toEqual(['cnn']);
    expect(familiesFor(tabular)).toEqual(['linear', 'mlp']);
  });

  it('refuses pooling that shrinks the image below one pixel', () => {
    const spec: ModelSpec = { family: 'cnn', conv: [{ filters: 4, kernel: 3, pool: 4, activation: 'relu' }, { filters: 4, kernel: 3, pool: 4, activation: 'relu' }], dense: [], dropout: 0 };
    expect(validateSpec(spec, { kind: 'image', width: 8, height: 8, channels: 1 })).toEqual([
      { path: 'conv[1].pool', message: 'conv[1].pool shrinks the 8×8 images below one pixel: use fewer or smaller pools' },
    ]);
    expect(validateSpec(spec, { kind: 'image', width: 16, height: 16, channels: 1 })).toEqual([]);
  });
});

describe('parameterCount and layerView', () => {
  it('counts the linear model: (inputs + 1) x outputs', () => {
    expect(parameterCount(defaultSpec('linear'), tabular, 3)).toBe(21);
    expect(parameterCount(defaultSpec('linear'), tabular, 1, 'regression')).toBe(7);
    expect(layerView(defaultSpec('linear'), tabular, 2, 'classification')[0].description).toMatch(/logistic regression/);
  });

  it('counts an MLP by hand, and dropout adds layers but no parameters', () => {
    const spec: ModelSpec = { family: 'mlp', layers: [{ units: 16, activation: 'relu' }, { units: 8, activation: 'tanh' }], dropout: 0 };
    // (6+1)*16 + (16+1)*8 + (8+1)*3
    expect(parameterCount(spec, tabular, 3)).toBe(112 + 136 + 27);
    const rows = layerView({ ...spec, dropout: 0.2 }, tabular, 3, 'classification');
    expect(rows.map((r) => r.name)).toEqual(['dense_1', 'dropout_2', 'dense_2', 'dropout_out', 'output']);
    expect(rows.map((r) => r.params)).toEqual([112, 0, 136, 0, 27]);
    expect(rows.map((r) => r.outputShape)).toEqual([[16], [16], [8], [8], [3]]);
  });

  it('counts a CNN by hand, with the shapes after each pool', () => {
    const rows = layerView(defaultSpec('cnn'), mnist, 10, 'classification');
    expect(rows.map((r) => [r.name, r.outputShape, r.params])).toEqual([
      ['conv_1', [28, 28, 8], (3 * 3 * 1 + 1) * 8],
      ['pool_1', [14, 14, 8], 0],
      ['conv_2', [14, 14, 16], (3 * 3 * 8 + 1) * 16],
      ['pool_2', [7, 7, 16], 0],
      ['flatten', [784], 0],
      ['dense_1', [32], (784 + 1) * 32],
      ['output', [10], (32 + 1) * 10],
    ]);
    expect(parameterCount(defaultSpec('cnn'), mnist, 10)).toBe(80 + 1168 + 25120 + 330);
  });
});

describe('validateHyper', () => {
  it('accepts the defaults and locates each problem', () => {
    expect(validateHyper(defaultHyper('mlp'))).toEqual([]);
    const bad = {
      ...defaultHyper('mlp'),
      learningRate: 0,
      batchSize: 0.5,
      schedule: { kind: 'step', every: 0, factor: 2 },
      earlyStopping: { enabled: true, monitor: 'val_loss', patience: 0, minDelta: -1, restoreBest: true },
    };
    expect(validateHyper(bad).map((p) => p.message)).toEqual([
      'learningRate must be a number above 0 to 10',
      'schedule.every must be an integer from 1 to 10000',
      'schedule.factor must be a number above 0 to 1',
      'batchSize must be an integer from 1 to 65536',
      'earlyStopping.patience must be an integer from 1 to 1000',
      'earlyStopping.minDelta must be a number from 0 to 1000000',
    ]);
    expect(validateHyper({ ...defaultHyper('cnn'), schedule: { kind: 'cosine', minLearningRate: 1 } })[0].path).toBe('schedule.minLearningRate');
    expect(validateHyper({ ...defaultHyper('cnn'), optimizer: 'lbfgs', epochs: null }).map((p) => p.path)).toEqual(['optimizer', 'epochs']);
  });
});

describe('backends per family', () => {
  it('refuses the CNN on wasm and picks the fastest backend that can train it', () => {
    expect(backendProblem('cnn', 'wasm')).toMatch(/Conv2DBackpropFilter/);
    expect(backendProblem('mlp', 'wasm')).toBeNull();
    const probe = {
      best: 'wasm' as const,
      measurements: [
        { backend: 'wasm' as const, ok: true, msPerStep: 1 },
        { backend: 'webgl' as const, ok: true, msPerStep: 5 },
        { backend: 'cpu' as const, ok: true, msPerStep: 3 },
        { backend: 'webgpu' as const, ok: false, msPerStep: null },
      ],
    };
    expect(fastestFor('mlp', probe)).toBe('wasm');
    expect(fastestFor('cnn', probe)).toBe('cpu');
    expect(fastestFor('cnn', { best: 'wasm', measurements: [{ backend: 'wasm', ok: true, msPerStep: 1 }] })).toBe('cpu');
  });
});

describe('describe', () => {
  it('summarises a spec and its training in one line', () => {
    expect(describeSpec(defaultSpec('cnn'))).toBe('CNN 8@3×3/2 → 16@3×3/2 → 32');
    expect(describeHyper({ ...defaultHyper('mlp'), optimizer: 'sgd', momentum: 0.9, l2: 0.001 })).toBe(
      'sgd (momentum 0.9) lr 0.01, 40 ep, batch 32, L2 0.001, seed 7',
    );
  });
});
