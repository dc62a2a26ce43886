// Class balance limits: a class with too small a share of the training rows is learnt badly or not at all, and its
// metrics on the test rows rest on a handful of examples. Reports every class's count and share, and example rows
// of each class that is too rare.

import type { Cell } from './row-key';

export interface ClassShare {
  label: string;
  count: number;
  share: number;
  passed: boolean;
  /** The first few rows of a class under its limit (none for a class with no rows, or one that passes). */
  examples: number[];
}

export interface ClassBalanceResult {
  passed: boolean;
  /** Rows counted: those in `rows` with a label. */
  counted: number;
  /** Rows in `rows` without a label (null, '' or NaN), left out of the shares. */
  unlabelled: number;
  classes: ClassShare[];
  reason: string;
}

function labelOf(v: Cell): string | null {
  if (v === null || v === '' || (typeof v === 'number' && Number.isNaN(v))) return null;
  return String(v);
}

/**
 * Every class's share of the labelled rows among `rows` (every row when absent). Fails when a class's share is below
 * `minShare`; classes named in `expected` and absent from the rows are reported with 0 rows and fail.
 */
export function checkClassBalance(
  labels: ArrayLike<Cell>,
  minShare: number,
  options: { rows?: ArrayLike<number>; expected?: readonly string[]; examples?: number } = {},
): ClassBalanceResult {
  const keep = options.examples ?? 5;
  const counts = new Map<string, number[]>();
  for (const label of options.expected ?? []) counts.set(label, []);
  let unlabelled = 0;
  const n = options.rows?.length ?? labels.length;
  for (let i = 0; i < n; i++) {
    const r = options.rows ? options.rows[i] : i;
    const label = labelOf(labels[r]);
    if (label === null) {
      unlabelled++;
      continue;
    }
    let rows = counts.get(label);
    if (!rows) counts.set(label, (rows = []));
    rows.push(r);
  }
  const counted = n - unlabelled;
  const classes = [...counts].map(([label, rows]): ClassShare => {
    const share = counted === 0 ? 0 : rows.length / counted;
    const passed = share >= minShare;
    return { label, count: rows.length, share, passed, examples: passed ? [] : rows.slice(0, keep) };
  });
  classes.sort((a, b) => a.share - b.share || a.label.localeCompare(b.label));
  const rare = classes.filter((c) => !c.passed);
  const pct = (x: number) => `${Number((x * 100).toPrecision(3))}%`;
  const reason =
    counted === 0
      ? 'no labelled rows to count'
      : rare.length === 0
        ? `every class has at least ${pct(minShare)} of ${counted} rows`
        : `${rare.map((c) => `${c.label} has ${c.count} row${c.count === 1 ? '' : 's'} (${pct(c.share)})`).join(', ')}: under the ${pct(minShare)} minimum`;
  return { passed: counted > 0 && rare.length === 0, counted, unlabelled, classes, reason };
}
