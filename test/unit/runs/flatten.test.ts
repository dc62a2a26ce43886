import { describe, expect, it } from 'vitest';
import { flattenParams } from '../../../src/core/evaluate/runs/flatten';

describe('flattenParams', () => {
  it('keeps flat params as they are', () => {
    expect({ ...flattenParams({ units: 16, activation: 'relu', dropout: false }) }).toEqual({ units: 16, activation: 'relu', dropout: false });
  });

  it('flattens a nested model spec with dotted keys and array indices', () => {
    const spec = { model: { kind: 'mlp', layers: [{ units: 64, activation: 'relu' }, { units: 32 }] }, training: { learningRate: 0.001, seed: 7 } };
    expect({ ...flattenParams(spec) }).toEqual({
      'model.kind': 'mlp',
      'model.layers.0.units': 64,
      'model.layers.0.activation': 'relu',
      'model.layers.1.units': 32,
      'training.learningRate': 0.001,
      'training.seed': 7,
    });
  });

  it('lists null and empty containers, leaves out undefined, and survives cycles', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect({ ...flattenParams({ x: null, y: undefined, e: [], o: {}, big: 10n }) }).toEqual({ x: 'null', e: '[]', o: '{}', big: '10' });
    expect({ ...flattenParams(cyclic) }).toEqual({ a: 1, self: '[cycle]' });
    expect({ ...flattenParams(5) }).toEqual({ value: 5 });
  });

  it('treats __proto__ and constructor as ordinary keys', () => {
    const params = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": "x"}') as unknown;
    const flat = flattenParams(params);
    expect(Object.keys(flat).sort()).toEqual(['__proto__.polluted', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
