// The evaluation's slice tables (src/core/evaluate) as the slice gate reads them: one figure per slice, named by the
// table's metric (accuracy for classification, MAE for regression).

import type { SliceTable } from '../../evaluate/types';
import type { SliceFigures } from './types';

export function sliceFiguresOf(tables: readonly SliceTable[]): SliceFigures[] {
  return tables.flatMap((t) =>
    t.slices.map((s) => ({ column: t.column, value: s.value, count: s.count, metrics: { [t.metric]: s.metric } })),
  );
}
