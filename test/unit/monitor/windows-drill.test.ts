// A window's drill-down: reference vs current histograms over shared edges, category bars with unseen categories
// marked, the prediction's bars, and the column's drift beside them.

import { describe, expect, it } from 'vitest';
import { drillColumn, MAX_BARS } from '../../../src/core/monitor/windows/drill';
import { windowSignals } from '../../../src/core/monitor/windows/signals';
import { referenceProfile } from '../../../src/core/monitor/windows/reference';
import { build } from '../../fixtures/recipe-tables';
import { chunksOf } from '../../../src/core/monitor/log/chunk-builder';
import { splitWindows } from '../../../src/core/monitor/windows/windows';
import { classifierReference, oneWindow, request, TRAIN_ROWS } from './windows-fixtures';
import { regressor } from './log-fixtures';

const ref = classifierReference();

describe('drillColumn', () => {
  it('bins reference and current numbers over the same edges, with the drift the signals report', () => {
    // Live bills 40..59: half inside the reference's 30..49.
    const { chunks, window } = oneWindow(Array.from({ length: 20 }, (_, id) => request(id, { inputs: { bill_length_mm: 40 + id, island: 'Dream', sex: 'male' } })));
    const drill = drillColumn(window, chunks, ref, 'bill_length_mm');
    if (drill.kind !== 'numeric') throw new Error('bill is numeric');
    expect(drill.edges[0]).toBe(30);
    expect(drill.edges[drill.edges.length - 1]).toBe(59);
    expect(drill.reference).toHaveLength(drill.edges.length - 1);
    expect(drill.reference.reduce((a, b) => a + b, 0)).toBe(TRAIN_ROWS);
    expect(drill.current.reduce((a, b) => a + b, 0)).toBe(20);
    // No live value below 40; no reference value of 50 or more.
    const below40 = drill.edges.findIndex((e) => e >= 40);
    expect(drill.current.slice(0, below40 - 1).every((c) => c === 0)).toBe(true);
    expect(drill.reference[drill.reference.length - 1]).toBe(0);
    expect(drill.drift).toEqual(windowSignals(window, chunks, ref).features[0]);
  });

  it('draws category bars, most frequent first, marking those training never saw', () => {
    const islands = ['Dream', 'Dream', 'Dream', 'Atlantis', 'Biscoe', null];
    const { chunks, window } = oneWindow(islands.map((island, id) => request(id, { inputs: { bill_length_mm: 31, island, sex: 'male' } })));
    const drill = drillColumn(window, chunks, ref, 'island');
    if (drill.kind !== 'categorical') throw new Error('island is categorical');
    // Reference: 7 Biscoe, 7 Dream, 6 Torgersen of 20.
    expect(drill.bars).toEqual([
      { category: 'Dream', reference: 7, current: 3, unseen: false },
      { category: 'Biscoe', reference: 7, current: 1, unseen: false },
      { category: 'Torgersen', reference: 6, current: 0, unseen: false },
      { category: 'Atlantis', reference: 0, current: 1, unseen: true },
    ]);
    expect(drill.other).toBeNull();
    expect(drill.missing).toEqual({ reference: 0, current: 1 });
  });

  it('sums the categories beyond the bar limit into one', () => {
    const n = MAX_BARS + 5;
    const { schema, table } = build([{ name: 'city', values: Array.from({ length: n }, (_, i) => `c${i}`) }]);
    const cities = referenceProfile({ schema, table, rows: Int32Array.from({ length: n }, (_, i) => i), task: 'regression', classes: [] });
    const chunks = chunksOf(
      regressor(),
      Array.from({ length: 3 }, (_, id) => ({ id, at: id, inputs: { city: 'c0' }, output: 1, probabilities: null, latencyMs: 1, warnings: [] })),
    );
    const [window] = splitWindows(chunks, { kind: 'count', size: 3 });
    const drill = drillColumn(window, chunks, cities, 'city');
    if (drill.kind !== 'categorical') throw new Error('city is categorical');
    expect(drill.bars).toHaveLength(MAX_BARS);
    expect(drill.bars[0]).toEqual({ category: 'c0', reference: 1, current: 3, unseen: false });
    expect(drill.other).toEqual({ categories: 5, reference: 5, current: 0 });
  });

  it('drills into the prediction when no column is named, and says what it cannot drill', () => {
    const { chunks, window } = oneWindow(Array.from({ length: 9 }, (_, id) => request(id, { output: 'Gentoo' })));
    const drill = drillColumn(window, chunks, ref, null);
    expect(drill).toMatchObject({ kind: 'categorical', column: null, bars: [{ category: 'Gentoo', current: 9 }, { current: 0 }, { current: 0 }] });
    expect(drill.drift.drifted).toBe(true);
    expect(() => drillColumn(window, chunks, classifierReference(null), null)).toThrow(/no predictions on the reference/);
    expect(() => drillColumn(window, chunks, ref, 'beak')).toThrow(/"beak" is not a monitored input column/);
  });
});
