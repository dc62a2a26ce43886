// An exact key for a row's cells, so rows can be found in a hash map (Map) without hash collisions: every cell is
// tagged by type and strings are length-prefixed, so no two different rows share a key ('1' and 1, 'a|b' and 'a','b').

export type Cell = string | number | null;

export interface NamedColumn {
  name: string;
  values: ArrayLike<Cell>;
}

function cellKey(v: Cell): string {
  if (v === null) return 'z';
  if (typeof v === 'number') return `n${Number.isNaN(v) ? 'NaN' : String(v)}`;
  return `s${v.length}:${v}`;
}

export function rowKey(columns: readonly NamedColumn[], row: number): string {
  let key = '';
  for (const c of columns) key += cellKey(c.values[row]) + '|';
  return key;
}

export function rowCells(columns: readonly NamedColumn[], row: number): Record<string, Cell> {
  const cells: Record<string, Cell> = {};
  for (const c of columns) cells[c.name] = c.values[row];
  return cells;
}
