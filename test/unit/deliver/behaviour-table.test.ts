import { describe, expect, it } from 'vitest';
import type { BehaviourTest } from '../../../src/core/deliver/gates';
import { validateBehaviourSuite } from '../../../src/core/deliver/gates';
import {
  behaviourFieldOf,
  formatValues,
  newBehaviourRow,
  parseCases,
  parseValues,
  rowsToTests,
  testsToRows,
  withKind,
  type BehaviourRow,
} from '../../../src/state/deliver/behaviour-table';

const row = (patch: Partial<BehaviourRow>): BehaviourRow => ({ ...newBehaviourRow('invariance', 'island', 'island does not matter'), ...patch });

describe('values as typed', () => {
  it('turns numbers into numbers, null into null, and keeps quoted text exactly', () => {
    const parsed = parseValues(' Biscoe, 3, -0.5, 1e3, null, "02134", "a, b", Dream Island ');
    expect(parsed).toEqual({ ok: true, value: ['Biscoe', 3, -0.5, 1000, null, '02134', 'a, b', 'Dream Island'] });
  });

  it('writes values back so they read the same', () => {
    const values = ['Biscoe', 3, null, '02134', 'a, b', 'null', '', ' padded', 'say "hi"'];
    expect(parseValues(formatValues(values))).toEqual({ ok: true, value: values });
  });

  it('reports an empty value and an unclosed quote', () => {
    expect(parseValues('a,,b')).toEqual({ ok: false, message: 'value 2: a value is empty (write "" for empty text)' });
    expect(parseValues('a, "b')).toEqual({ ok: false, message: 'a quoted text is not closed with "' });
  });
});

describe('minimum functionality cases', () => {
  it('reads one case a line, numbers parsed, labels kept as classes for a classifier', () => {
    const { cases, problems } = parseCases('bill_length_mm=39.1; island=Biscoe => Adelie\n\n  flipper = 230 ; sex = null => "Gentoo"', ['Adelie', 'Gentoo']);
    expect(problems).toEqual([]);
    expect(cases).toEqual([
      { row: { bill_length_mm: 39.1, island: 'Biscoe' }, label: 'Adelie' },
      { row: { flipper: 230, sex: null }, label: 'Gentoo' },
    ]);
  });

  it('keeps a numeric class as text for a classifier and needs a number for a regression', () => {
    expect(parseCases('x=1 => 1', ['0', '1']).cases[0].label).toBe('1');
    expect(parseCases('x=1 => 2.5', null).cases[0].label).toBe(2.5);
    expect(parseCases('x=1 => high', null).problems).toEqual([{ line: 1, message: 'the label high must be a number: the model is a regression' }]);
  });

  it('locates each malformed line by its number and keeps the good ones', () => {
    const { cases, problems } = parseCases('x=1 => a\nx=2 a\n\nx 3 => b\n=4 => c\nx=1; x=2 => d\nx=5 =>', ['a', 'b', 'c', 'd']);
    expect(cases).toEqual([{ row: { x: 1 }, label: 'a' }]);
    expect(problems.map((p) => p.line)).toEqual([2, 4, 5, 6, 7]);
    expect(problems[0].message).toBe('expected "column=value; column=value => label"');
    expect(problems[1].message).toBe('"x 3" has no "=": expected "column=value; column=value => label"');
    expect(problems[2].message).toBe('"=4" names no column');
    expect(problems[3].message).toBe('column x is given twice');
    expect(problems[4].message).toBe('the label: a value is empty (write "" for empty text)');
  });

  it('reads a quoted column name with an "=" in it', () => {
    expect(parseCases('"a=b"=1 => x', ['x']).cases).toEqual([{ row: { 'a=b': 1 }, label: 'x' }]);
  });
});

describe('rows and tests', () => {
  const tests: BehaviourTest[] = [
    { kind: 'invariance', name: 'island does not matter', column: 'island', replacements: ['Biscoe', 'Dream', 3, null], tolerance: 0.05, maxRows: 100 },
    { kind: 'directional', name: 'longer flippers', column: 'flipper_length_mm', delta: 10, expect: 'up', class: 'Gentoo', tolerance: 0.01 },
    { kind: 'directional', name: 'no class', column: 'x', delta: -2, expect: 'down' },
    { kind: 'minimum', name: 'obvious ones', cases: [{ row: { island: 'Torgersen', bill_length_mm: 38 }, label: 'Adelie' }, { row: { 'a;b': '=>' }, label: 'Gentoo' }] },
  ];

  it('turns rows into the tests they show, and tests into rows and back unchanged', () => {
    const rows = testsToRows(tests);
    expect(rows[0]).toMatchObject({ kind: 'invariance', column: 'island', replacements: 'Biscoe, Dream, 3, null', tolerance: '0.05', maxRows: 100 });
    expect(rows[1]).toMatchObject({ kind: 'directional', delta: '10', expect: 'up', className: 'Gentoo', tolerance: '0.01' });
    expect(rows[3].cases).toBe('island=Torgersen; bill_length_mm=38 => Adelie\n"a;b"="=>" => Gentoo');
    expect(rowsToTests(rows, ['Adelie', 'Gentoo'])).toEqual({ tests, problems: [] });
  });

  it('makes tests the core accepts from rows typed by hand', () => {
    const rows: BehaviourRow[] = [
      row({ replacements: 'Biscoe, Dream', tolerance: ' 0.1 ' }),
      row({ kind: 'directional', name: 'heavier', column: 'body_mass_g', delta: '500', expect: 'down', className: 'Adelie', tolerance: '' }),
      row({ kind: 'minimum', name: 'small Adelie', cases: 'island=Torgersen; body_mass_g=3000 => Adelie', tolerance: '' }),
    ];
    const { tests: made, problems } = rowsToTests(rows, ['Adelie', 'Gentoo']);
    expect(problems).toEqual([]);
    expect(made[0]).toEqual({ kind: 'invariance', name: 'island does not matter', column: 'island', replacements: ['Biscoe', 'Dream'], tolerance: 0.1 });
    expect(made[1]).toEqual({ kind: 'directional', name: 'heavier', column: 'body_mass_g', delta: 500, expect: 'down', class: 'Adelie' });
    expect(made[2]).toEqual({ kind: 'minimum', name: 'small Adelie', cases: [{ row: { island: 'Torgersen', body_mass_g: 3000 }, label: 'Adelie' }] });
    expect(validateBehaviourSuite({ tests: made }, { columns: ['island', 'body_mass_g'], labels: ['Adelie', 'Gentoo'] })).toEqual([]);
  });

  it('keeps every kind’s fields in a row, so switching kind and back loses nothing', () => {
    const r = row({ replacements: 'a, b', delta: '3', cases: 'x=1 => y' });
    const back = rowsToTests([{ ...r, kind: 'directional' }], undefined);
    expect(back.tests[0]).toMatchObject({ kind: 'directional', delta: 3 });
    expect(rowsToTests([r], undefined).tests[0]).toMatchObject({ kind: 'invariance', replacements: ['a', 'b'] });
  });

  it('starts the tolerance again when a row changes kind, since it means something else for each', () => {
    const r = row({ tolerance: '0.3', delta: '2', cases: 'x=1 => y' });
    const directional = withKind(r, 'directional');
    expect(directional).toMatchObject({ kind: 'directional', tolerance: '', delta: '2', cases: 'x=1 => y', replacements: r.replacements });
    expect(withKind(directional, 'invariance').tolerance).toBe('0.05');
    expect(withKind(r, 'invariance')).toBe(r);
  });

  it('leaves out a row with a problem and locates the problem by row, field and line', () => {
    const rows: BehaviourRow[] = [
      row({ tolerance: 'abc' }),
      row({ name: 'fine', replacements: 'x' }),
      row({ kind: 'directional', delta: '' }),
      row({ kind: 'minimum', cases: 'x=1 => Adelie\nnot a case' }),
      row({ replacements: 'a,,b' }),
    ];
    const { tests: made, problems } = rowsToTests(rows, ['Adelie']);
    expect(made.map((t) => t.name)).toEqual(['fine']);
    expect(problems).toEqual([
      { row: 0, field: 'tolerance', message: 'Behaviour test 1, Tolerance: "abc" is not a number' },
      { row: 2, field: 'delta', message: 'Behaviour test 3, Delta: a number is needed' },
      { row: 3, field: 'cases', line: 2, message: 'Behaviour test 4, Cases line 2: expected "column=value; column=value => label"' },
      { row: 4, field: 'replacements', message: 'Behaviour test 5, Replacement values: value 2: a value is empty (write "" for empty text)' },
    ]);
  });

  it('needs a tolerance for invariance only', () => {
    expect(rowsToTests([row({ tolerance: '' })], undefined).problems[0]).toMatchObject({ field: 'tolerance', message: 'Behaviour test 1, Tolerance: a number is needed' });
    expect(rowsToTests([row({ kind: 'directional', tolerance: '' })], undefined).tests[0]).not.toHaveProperty('tolerance');
    expect(rowsToTests([row({ kind: 'minimum', tolerance: '', cases: 'x=1 => 2' })], null).tests[0]).toEqual({ kind: 'minimum', name: 'island does not matter', cases: [{ row: { x: 1 }, label: 2 }] });
  });

  it('shows a hand-edited test with missing or mistyped fields as empty cells instead of failing', () => {
    const broken = [{ kind: 'invariance', name: 7, replacements: 'x' }, { kind: 'minimum', cases: [null, { row: { a: 1 }, label: 'y' }] }] as unknown as BehaviourTest[];
    const rows = testsToRows(broken);
    expect(rows[0]).toMatchObject({ name: '', column: '', replacements: '', tolerance: '' });
    expect(rows[1].cases).toBe('a=1 => y');
  });
});

describe('behaviourFieldOf', () => {
  it('maps the rest of a saved test’s problem path onto the row field', () => {
    expect(behaviourFieldOf('replacements[2]')).toBe('replacements');
    expect(behaviourFieldOf('cases[0].label')).toBe('cases');
    expect(behaviourFieldOf('class')).toBe('className');
    expect(behaviourFieldOf('name')).toBe('name');
    expect(behaviourFieldOf('maxRows')).toBeNull();
    expect(behaviourFieldOf('')).toBeNull();
  });
});
