import { describe, expect, it } from 'vitest';
import { checkRow, closestName, inputColumns, predictionOf } from '../../src/core/serving/check.js';
import type { FittedRecipe } from '../../src/core/recipe/types';
import type { InputWarning, Preprocessor, ReadFormat } from '../../src/core/shared/types';

const pre: Preprocessor = {
  version: 1,
  task: 'classification',
  target: 'species',
  features: [
    { kind: 'number', name: 'body_mass_g', mean: 4200, std: 800, min: 2700, max: 6300 },
    { kind: 'category', name: 'island', categories: ['Biscoe', 'Dream', 'Torgersen'] },
  ],
  labels: ['Adelie', 'Gentoo'],
  targetMean: 0,
  targetStd: 1,
  inputSize: 4,
};
const comma: ReadFormat = { number: { decimal: ',', thousands: '.' }, dayFirst: true };

const kinds = (warnings: InputWarning[]) => warnings.map((w) => `${w.kind}:${w.column}`);

describe('input warnings without recipes', () => {
  it('says nothing about an ordinary row, missing values written as missing, or the target', () => {
    expect(checkRow(pre, [], { body_mass_g: '4000', island: 'Dream' })).toEqual([]);
    expect(checkRow(pre, [], { body_mass_g: 4000, island: ' Biscoe ', species: 'Adelie' })).toEqual([]);
    expect(checkRow(pre, [], { body_mass_g: 'NA', island: '' })).toEqual([]);
    expect(checkRow(pre, [], { body_mass_g: null, island: null })).toEqual([]);
  });

  it('names an unseen category and what the model knows', () => {
    const [w] = checkRow(pre, [], { body_mass_g: '4000', island: 'Atlantis' });
    expect(w).toMatchObject({ kind: 'unseen-category', column: 'island', value: 'Atlantis' });
    expect(w!.message).toMatch(/"Atlantis" never appeared in island in training \(known: "Biscoe", "Dream", "Torgersen"\)/);
  });

  it('warns about text in a number field instead of reading it as missing', () => {
    const [w] = checkRow(pre, [], { body_mass_g: 'heavy', island: 'Dream' });
    expect(w).toMatchObject({ kind: 'unparseable-number', column: 'body_mass_g', value: 'heavy' });
    expect(w!.message).toMatch(/"heavy" is not a number \(body_mass_g\); it was read as missing/);
  });

  it('reads numbers in the run format, and says which format when a number does not fit it', () => {
    expect(checkRow(pre, [], { body_mass_g: '4.250,5', island: 'Dream' }, comma)).toEqual([]);
    expect(kinds(checkRow(pre, [], { body_mass_g: '4250,5', island: 'Dream' }))).toEqual(['unparseable-number:body_mass_g']);
    const [w] = checkRow(pre, [], { body_mass_g: '4250.5', island: 'Dream' }, comma);
    expect(w!.message).toMatch(/decimal mark ','/);
  });

  it('flags values outside the training range, and beyond float32, in any spelling', () => {
    const [low] = checkRow(pre, [], { body_mass_g: '-500', island: 'Dream' });
    expect(low).toMatchObject({ kind: 'out-of-range', column: 'body_mass_g' });
    expect(low!.message).toMatch(/outside the training range \(2700 to 6300\)/);
    expect(kinds(checkRow(pre, [], { body_mass_g: 1e39, island: 'Dream' }))).toEqual(['beyond-float32:body_mass_g']);
    expect(kinds(checkRow(pre, [], { body_mass_g: '1e39', island: 'Dream' }))).toEqual(['beyond-float32:body_mass_g']);
    expect(kinds(checkRow(pre, [], { body_mass_g: 'Infinity', island: 'Dream' }))).toEqual(['beyond-float32:body_mass_g']);
    expect(kinds(checkRow(pre, [], { body_mass_g: '-inf', island: 'Dream' }))).toEqual(['beyond-float32:body_mass_g']);
    expect(kinds(checkRow(pre, [], { body_mass_g: '1e400', island: 'Dream' }))).toEqual(['beyond-float32:body_mass_g']);
  });

  it('skips the range check for runs fitted before ranges were recorded', () => {
    const old: Preprocessor = { ...pre, features: [{ kind: 'number', name: 'body_mass_g', mean: 4200, std: 800 }, pre.features[1]!] };
    expect(checkRow(old, [], { body_mass_g: '-500', island: 'Dream' })).toEqual([]);
  });

  it('reports unknown columns with the likely meant one, and missing columns', () => {
    const warnings = checkRow(pre, [], { body_mass: '4000', Island: 'Dream', colour: 'red' });
    expect(kinds(warnings)).toEqual(['unknown-column:body_mass', 'unknown-column:Island', 'unknown-column:colour', 'missing-column:body_mass_g', 'missing-column:island']);
    expect(warnings[0]!.message).toMatch(/did you mean "body_mass_g"\?/);
    expect(warnings[1]!.message).toMatch(/did you mean "island"\?/);
    expect(warnings[2]!.message).not.toMatch(/did you mean/);
    expect(warnings[3]!.message).toMatch(/"body_mass_g" is missing from the row/);
  });

  it('matches names ignoring case, spaces and punctuation, or a few letters off', () => {
    expect(closestName('Body Mass G', ['body_mass_g', 'island'])).toBe('body_mass_g');
    expect(closestName('islnd', ['body_mass_g', 'island'])).toBe('island');
    expect(closestName('xyz', ['body_mass_g', 'island'])).toBeNull();
  });

  it('refuses a row that is not an object', () => {
    expect(() => checkRow(pre, [], null as unknown as Record<string, unknown>)).toThrow(/object/);
  });
});

describe('input warnings through recipes', () => {
  const col = (name: string, type: 'number' | 'category', role: 'feature' | 'target' | 'ignore' = 'feature') => ({ name, type, role });
  const recipe: FittedRecipe = {
    version: 1,
    input: [col('mass', 'number'), col('isle', 'category'), col('code', 'category'), col('note', 'category'), col('species', 'category', 'target')],
    output: [col('grams', 'number'), col('isle=Biscoe', 'number'), col('isle=Dream', 'number'), col('code', 'number'), col('species', 'category', 'target')],
    steps: [
      { kind: 'rename', from: 'mass', to: 'grams' },
      { kind: 'scale', column: 'grams', method: 'standard', offset: 4000, factor: 500 },
      { kind: 'onehot', column: 'isle', categories: ['Biscoe', 'Dream'] },
      { kind: 'cast', column: 'code', to: 'number' },
      { kind: 'drop', columns: ['note'] },
    ],
  };
  const through: Preprocessor = {
    ...pre,
    features: [
      // Scaled units: -1..2 is 3500..5000 grams.
      { kind: 'number', name: 'grams', mean: 0, std: 1, min: -1, max: 2 },
      { kind: 'number', name: 'isle=Biscoe', mean: 0.5, std: 0.5, min: 0, max: 1 },
      { kind: 'number', name: 'isle=Dream', mean: 0.5, std: 0.5, min: 0, max: 1 },
      { kind: 'number', name: 'code', mean: 2, std: 1, min: 1, max: 3 },
    ],
  };

  it('knows the raw columns, the categories the recipe learned and the range in raw units', () => {
    const columns = inputColumns(through, [recipe]);
    expect(columns.map((c) => c.name)).toEqual(['mass', 'isle', 'code', 'note']);
    expect(columns[0]).toMatchObject({ numeric: true, range: { min: 3500, max: 5000 } });
    expect(columns[1]).toMatchObject({ categories: ['Biscoe', 'Dream'] });
    expect(columns[2]).toMatchObject({ numeric: true });
    expect(columns[3]).toMatchObject({ used: false });
  });

  it('warns in raw terms, and not about a column the recipe drops', () => {
    expect(checkRow(through, [recipe], { mass: '4200', isle: 'Dream', code: '2', note: 'anything' })).toEqual([]);
    expect(checkRow(through, [recipe], { mass: '4200', isle: 'Dream', code: '2' })).toEqual([]);
    const warnings = checkRow(through, [recipe], { mass: '9000', isle: 'Torgersen', code: 'x2' });
    expect(kinds(warnings)).toEqual(['out-of-range:mass', 'unseen-category:isle', 'unparseable-number:code']);
    expect(warnings[0]!.message).toMatch(/mass = 9000 is outside the training range \(3500 to 5000\)/);
  });
});

describe('a model output', () => {
  it('is an answer when finite and an error when NaN or infinite, never a class', () => {
    const ok = predictionOf(pre, [0.2, 0.8], []);
    expect(ok).toEqual({ ok: true, output: 'Gentoo', probabilities: [0.2, 0.8], warnings: [] });
    const odd: InputWarning[] = [{ kind: 'beyond-float32', column: 'body_mass_g', value: '1e39', message: '...' }];
    const nan = predictionOf(pre, [Number.NaN, Number.NaN], odd);
    expect(nan).toMatchObject({ ok: false, warnings: odd });
    expect(nan).not.toHaveProperty('output');
    expect(!nan.ok && nan.error).toMatch(/output is NaN.*no prediction; look at body_mass_g/);
    const regression: Preprocessor = { ...pre, task: 'regression', labels: [], targetMean: 10, targetStd: 2 };
    expect(predictionOf(regression, [Number.POSITIVE_INFINITY], [])).toMatchObject({ ok: false });
    expect(predictionOf(regression, [1], [])).toMatchObject({ ok: true, output: 12 });
  });
});
