// An identifier "explains" any target perfectly (one row per value), so a profile that measured it would rank the
// column the model never sees as the strongest signal. Ignored columns are left out of the association ranking.
import { describe, expect, it } from 'vitest';
import { displayOrder, profileTable } from '../../src/core/data/profile';
import type { ColumnSchema, Table } from '../../src/core/shared/types';

const n = 60;
const table: Table = {
  names: ['id', 'mass', 'grade'],
  rowCount: n,
  columns: [
    { kind: 'number', values: Float64Array.from({ length: n }, (_, i) => 1000 + i) },
    { kind: 'number', values: Float64Array.from({ length: n }, (_, i) => (i % 3) * 10 + (i % 7)) },
    { kind: 'category', codes: Int32Array.from({ length: n }, (_, i) => i % 3), dictionary: ['A', 'B', 'C'] },
  ],
};
const schema = (idRole: ColumnSchema['role']): ColumnSchema[] => [
  { name: 'id', type: 'number', role: idRole },
  { name: 'mass', type: 'number', role: 'feature' },
  { name: 'grade', type: 'category', role: 'target' },
];

describe('associations of ignored columns', () => {
  it('are not measured, so an ignored identifier is never shown as a strong association', () => {
    const asFeature = profileTable(schema('feature'), table);
    expect(asFeature.columns[0].association?.value).toBeGreaterThan(0);

    const ignored = profileTable(schema('ignore'), table);
    expect(ignored.columns[0].association).toBeNull();
    expect(ignored.columns[1].association?.value).toBeGreaterThan(0.9);
    expect(displayOrder(ignored).map((c) => c.name)).toEqual(['grade', 'mass', 'id']);
  });
});
