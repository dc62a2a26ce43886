// Side-by-side parameters of the runs being compared, with which ones differ.

import type { Run } from '../../shared/types';
import { flattenParams, type FlatValue } from './flatten';

export interface ParamRow {
  key: string;
  /** One per run, in the order given; undefined where a run has no such parameter. */
  values: (FlatValue | undefined)[];
  differs: boolean;
}

export function paramRows(runs: readonly Run[]): ParamRow[] {
  const flats = runs.map((r) => flattenParams(r.params));
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const flat of flats) for (const k of Object.keys(flat)) if (!seen.has(k)) (seen.add(k), keys.push(k));
  return keys.map((key) => {
    const values = flats.map((f) => (Object.hasOwn(f, key) ? f[key] : undefined));
    // 0.1 and "0.1" differ in type only when a params shape changed between runs: count it as different.
    const differs = values.some((v) => !Object.is(v, values[0]));
    return { key, values, differs };
  });
}

/** Same as paramRows, the rows that differ only when `onlyDifferences`. */
export function visibleParamRows(runs: readonly Run[], onlyDifferences: boolean): ParamRow[] {
  const rows = paramRows(runs);
  return onlyDifferences ? rows.filter((r) => r.differs) : rows;
}
