// One sheet's cells as rows of text, the way a CSV export of it reads: numbers as Excel stores them, dates as ISO
// text, booleans as TRUE and FALSE, error values as shown (#N/A ...), formulas by their last computed value. Rows
// with no value at all are left out, as blank lines of a CSV are.

import { walkXml } from './xml';

export interface SheetContext {
  sharedStrings: readonly string[];
  dateStyles: readonly boolean[];
  date1904: boolean;
}

export interface SheetRows {
  /** Rows that hold a value, each as long as it needs to be. */
  rows: string[][];
  /** The sheet's row number (1-based) of each kept row, for messages. */
  rowNumbers: number[];
}

const DAY_MS = 86_400_000;
/** Day 0 of the 1900 date system is 1899-12-30 (which absorbs Lotus 1-2-3's leap day 1900-02-29). */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/** A day count as ISO text: the date alone when it has no time of day, else date and time to the second. */
export function serialDate(serial: number, date1904: boolean): string {
  const ms = Math.round(serial * DAY_MS) + (date1904 ? EPOCH_1904 : EPOCH_1900);
  const iso = new Date(ms).toISOString();
  return ms % DAY_MS === 0 ? iso.slice(0, 10) : iso.slice(0, 19);
}

/** "BC12" → 54 (0-based column), or -1 when the reference has no letters. */
function columnOf(ref: string): number {
  let column = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code < 65 || code > 90) break;
    column = column * 26 + (code - 64);
  }
  return i === 0 ? -1 : column - 1;
}

export function readSheetRows(xml: string, part: string, context: SheetContext): SheetRows {
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  let row: string[] = [];
  let rowNumber = 0;
  let column = -1;
  let cell: { type: string; style: number } | null = null;
  let value: string[] = [];
  let collect = false;
  let inline = false;

  function cellText(): string {
    const raw = value.join('');
    if (!cell) return raw;
    switch (cell.type) {
      case 's': {
        const text = context.sharedStrings[Number(raw)];
        if (text === undefined) throw new Error(`its ${part} refers to shared string ${raw}, which the workbook does not have`);
        return text;
      }
      case 'b':
        return raw === '1' ? 'TRUE' : raw === '0' ? 'FALSE' : raw;
      case 'n':
      case '': {
        const n = Number(raw);
        return raw !== '' && Number.isFinite(n) && context.dateStyles[cell.style] ? serialDate(n, context.date1904) : raw;
      }
      default:
        // str (a formula's text), inlineStr, e (an error value such as #N/A), d (ISO date text).
        return raw;
    }
  }

  walkXml(xml, part, {
    open(name, attrs) {
      if (name === 'row') {
        const r = Number(attrs().r);
        rowNumber = Number.isInteger(r) && r > 0 ? r : rowNumber + 1;
        row = [];
        column = -1;
      } else if (name === 'c') {
        const a = attrs();
        const at = a.r ? columnOf(a.r) : -1;
        column = at >= 0 ? at : column + 1;
        cell = { type: a.t ?? '', style: Number(a.s ?? 0) };
        value = [];
        inline = false;
      } else if (name === 'v' && cell) {
        collect = true;
      } else if (name === 'is' && cell) {
        inline = true;
      } else if (name === 't' && inline) {
        collect = true;
      }
    },
    close(name) {
      if (name === 'v' || name === 't') collect = false;
      else if (name === 'is') inline = false;
      else if (name === 'c' && cell) {
        const text = cellText();
        if (text !== '') {
          while (row.length < column) row.push('');
          row[column] = text;
        }
        cell = null;
      } else if (name === 'row') {
        if (row.length > 0) {
          rows.push(row);
          rowNumbers.push(rowNumber);
        }
        row = [];
      }
    },
    text(text) {
      if (collect) value.push(text);
    },
  });
  return { rows, rowNumbers };
}
