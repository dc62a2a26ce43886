// Column names that are also names of Object.prototype's members are ordinary columns end to end:
// import, build, train one epoch, and encode and predict a raw row.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { rawRow } from '../../src/core/train/preprocess';
import { encodeRow } from '../../src/core/serving/transform.js';
import type { DatasetChoices, ParsedFile } from '../../src/core/contracts/parse';
import { createTestParser } from '../../workers/parse/parser';
import { createPredictor } from '../../workers/predict/predictor';
import { trainModel } from '../../workers/train/train-loop';
import { PENGUIN_PARAMS, trainRequest, withHyper } from '../fixtures/tabular';
import { answerOf } from '../fixtures/support';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function csv(): string {
  const lines = ['__proto__,constructor,,target'];
  for (let i = 0; i < 80; i++) {
    const x = (i % 10) - 4.5;
    lines.push(`${x},${i % 3 === 0 ? 'toString' : 'hasOwnProperty'},${(i * 7) % 11},${x > 0 ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}

describe('dangerous column names', () => {
  it('import, build, train and predict with __proto__, constructor and a blank name as columns', async () => {
    const parser = createTestParser();
    const outcome = await parser.parseFile(new Blob([csv()]), 'proto.csv', () => {});
    if (!outcome.ok) throw new Error(outcome.message);
    const file: ParsedFile = outcome.file;
    expect(file.header).toEqual(['__proto__', 'constructor', 'Column 3', 'target']);
    expect(file.guesses.map((g) => g.type)).toEqual(['number', 'category', 'number', 'category']);

    // Choices as the app sends them: records keyed by name, made with fromEntries so "__proto__" is an own key.
    const choices: DatasetChoices = {
      name: 'proto',
      task: 'classification',
      target: 'target',
      types: Object.fromEntries(file.guesses.map((g) => [g.name, g.type])),
      roles: Object.fromEntries(file.header.map((n) => [n, n === 'target' ? 'target' : 'feature'])),
      split: { method: 'stratified', seed: 1, fractions: [0.7, 0.15, 0.15] },
    };
    expect(Object.keys(choices.roles)).toEqual(file.header);
    // A structured clone (what postMessage does) keeps the own "__proto__" key.
    const cloned = structuredClone(choices);
    const built = await parser.build(file.handle, cloned);
    if (!built.ok) throw new Error(built.problems.map((p) => p.message).join('\n'));
    const ds = built.dataset;
    expect(ds.schema.map((c) => [c.name, c.type, c.role])).toEqual([
      ['__proto__', 'number', 'feature'],
      ['constructor', 'category', 'feature'],
      ['Column 3', 'number', 'feature'],
      ['target', 'category', 'target'],
    ]);

    // Empty choices must not read Object.prototype's "constructor" as a role or a type.
    const defaults = await parser.build(file.handle, { ...choices, types: {}, roles: {} });
    if (!defaults.ok) throw new Error(defaults.problems.map((p) => p.message).join('\n'));
    expect(defaults.dataset.schema.map((c) => c.role)).toEqual(['feature', 'feature', 'feature', 'target']);

    const result = await trainModel(trainRequest(ds, 'classification', withHyper({ epochs: 1 })), () => {}, () => false);
    expect(result.epochsCompleted).toBe(1);
    expect(result.preprocessor.features.map((f) => f.name)).toEqual(['__proto__', 'constructor', 'Column 3']);

    const row = rawRow(ds.schema, ds.table, 0);
    expect(Object.keys(row)).toEqual(['__proto__', 'constructor', 'Column 3']);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(row['__proto__']).toBe(-4.5);
    expect(row['constructor']).toBe('toString');

    const encoded = encodeRow(result.preprocessor, row);
    expect(encoded).toHaveLength(result.preprocessor.inputSize);
    // The "__proto__" cell is read (not Object.prototype): it moves the first input off the mean.
    expect(encoded[0]).toBeLessThan(-1);
    // A row that lacks the keys has them missing, not inherited: numbers at the mean, no category set.
    const empty = encodeRow(result.preprocessor, {});
    expect(empty[0]).toBeCloseTo(0, 6);
    expect(empty.slice(1, 3)).toEqual([0, 0]);

    const predictor = createPredictor(['cpu']);
    await predictor.load('m', result.model, result.preprocessor);
    const prediction = answerOf((await predictor.predict('m', [structuredClone(row)]))[0]);
    expect(['yes', 'no']).toContain(prediction.output);
    expect(prediction.probabilities).toHaveLength(2);
    predictor.unload('m');
  });
});
