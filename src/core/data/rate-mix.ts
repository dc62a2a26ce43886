// A number column where some cells carry a percent sign and others do not reads "45%" as 0.45 and "45" as 45: a
// hundredfold difference that hand typing or exports stitched together produce, and that no model can tell from the
// data. The import says so, with the first cell of each kind.

import type { NumberFormat } from '../shared/types';
import { CellColumn, EMPTY, TEXT } from './cell-column';
import { isMissing } from './missing';
import { readNumber } from './number-format';

const PLAIN = 1;
const RATE = 2;

/** A note when the column's number cells mix rates ("45%") and plain numbers ("45"), or null. */
export function rateMixNote(cells: CellColumn, rowCount: number, format: NumberFormat, place: (row: number) => string): string | null {
  // Most columns have no percent sign at all: they are not read again.
  if (!cells.texts.some((text) => text.trimEnd().endsWith('%'))) return null;
  // Each distinct text is judged once: 0 not a number, PLAIN or RATE.
  const kinds = cells.texts.map((text) => {
    if (isMissing(text)) return 0;
    const t = text.trim();
    if (readNumber(t, format) === null) return 0;
    return t.endsWith('%') ? RATE : PLAIN;
  });
  let rates = 0;
  let plains = 0;
  let firstRate = -1;
  let firstPlain = -1;
  for (let row = 0; row < rowCount; row++) {
    const code = cells.formats[row];
    if (code === EMPTY) continue;
    const kind = code === TEXT ? kinds[cells.values[row]] : PLAIN;
    if (kind === RATE) {
      if (rates++ === 0) firstRate = row;
    } else if (kind === PLAIN) {
      if (plains++ === 0) firstPlain = row;
    }
  }
  if (rates === 0 || plains === 0) return null;
  return (
    `${rates} cell${rates === 1 ? ' is a rate' : 's are rates'} with a percent sign (read as fractions: 45% is 0.45; first at ${place(firstRate)}) ` +
    `and ${plains} ${plains === 1 ? 'is a plain number' : 'are plain numbers'} (45 is 45; first at ${place(firstPlain)}). ` +
    'If they are all percentages, write them one way in the file.'
  );
}
