// One column of a parsed file, kept compactly while it is read: a plain decimal cell is stored as its
// number plus how many fraction digits it was written with (its text is exactly value.toFixed(digits)),
// any other cell as an index into the column's distinct texts, each decoded once. A million-row
// column of numbers then costs 9 MB of typed arrays instead of a million strings for the collector
// to keep and the garbage collector to trace, and every cell's original text can still be given
// back (a number column cast to category keeps "007" and "1.50" as written).

/** Format codes 0..MAX_FIXED_DIGITS: a number whose text is value.toFixed(code) (0: no decimal point). */
export const MAX_FIXED_DIGITS = 15;
/** A number whose text is String(value): how records (JSON, Parquet) print their numbers. */
export const SHORTEST = 16;
/** An empty cell: no value and the text ''. */
export const EMPTY = 17;
/** Any other cell: values[row] is the index of its text in `texts`. */
export const TEXT = 18;

/** Exact powers of ten: every one up to 1e22 is a double without rounding. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const FIRST_CAPACITY = 1024;
/** Entries of the recent-text cache in internRange; a power of two. */
const RECENT = 256;

function hashRange(text: string, start: number, end: number): number {
  let h = 0x811c9dc5 ^ (end - start);
  for (let k = start; k < end; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  // Final mix so short texts that differ in one character spread over the table's low bits.
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

function sameText(stored: string, text: string, start: number, end: number): boolean {
  if (stored.length !== end - start) return false;
  for (let k = 0; k < stored.length; k++) if (stored.charCodeAt(k) !== text.charCodeAt(start + k)) return false;
  return true;
}

export class CellColumn {
  /** The number, NaN when EMPTY, or the text's index when TEXT; valid for rows below `length`. */
  values: Float64Array;
  formats: Uint8Array;
  /** Distinct texts of TEXT cells, in first-seen order. May hold texts of rows later dropped (ragged rows). */
  readonly texts: string[] = [];
  /** Rows written so far (the highest row set, plus one). */
  length = 0;
  /** Open-addressing table of text indices + 1 (0: free), keyed by hashRange. */
  private slots = new Int32Array(64);
  /** The last text index + 1 seen per (length, first and last character) key; 0 for none. */
  private recent = new Int32Array(RECENT);
  private hashes: number[] = [];
  /** Texts handed in as strings (records): the engine's own string hash is faster than hashRange. */
  private byString: Map<string, number> | null = null;

  constructor(capacity = FIRST_CAPACITY) {
    this.values = new Float64Array(Math.max(1, capacity));
    this.formats = new Uint8Array(Math.max(1, capacity));
  }

  /** Makes room for row `row`, doubling so a growing column costs amortised O(1) per cell. */
  private reserve(row: number): void {
    if (row < this.values.length) return;
    let size = this.values.length * 2;
    while (size <= row) size *= 2;
    const values = new Float64Array(size);
    values.set(this.values);
    const formats = new Uint8Array(size);
    formats.set(this.formats);
    this.values = values;
    this.formats = formats;
  }

  private mark(row: number): void {
    if (row >= this.length) this.length = row + 1;
  }

  /**
   * Row `row` is text.slice(start, end), read without making that string when it is a plain decimal:
   * an optional "-", digits without a leading zero (a lone "0" is fine), optionally "." and at least one
   * digit, at most 15 digits in all, and not a negative zero. Exactly those cells give their text
   * back from value.toFixed(fraction digits): 15 digits always survive a double, and the one division
   * of an exact integer by an exact power of ten is correctly rounded. Everything else is kept as text.
   */
  setRange(row: number, text: string, start: number, end: number): void {
    this.reserve(row);
    this.mark(row);
    if (end === start) {
      this.values[row] = NaN;
      this.formats[row] = EMPTY;
      return;
    }
    let i = start;
    let c = text.charCodeAt(i);
    const negative = c === 45;
    if (negative) i++;
    const intStart = i;
    let mantissa = 0;
    for (; i < end; i++) {
      c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      mantissa = mantissa * 10 + (c - 48);
    }
    const intDigits = i - intStart;
    let fraction = 0;
    let plain = intDigits > 0 && (intDigits === 1 || text.charCodeAt(intStart) !== 48);
    if (plain && i < end) {
      if (c !== 46) plain = false;
      else {
        const fracStart = ++i;
        for (; i < end; i++) {
          c = text.charCodeAt(i);
          if (c < 48 || c > 57) break;
          mantissa = mantissa * 10 + (c - 48);
        }
        fraction = i - fracStart;
        plain = fraction > 0 && i === end;
      }
    }
    if (plain && intDigits + fraction <= MAX_FIXED_DIGITS && !(negative && mantissa === 0)) {
      const value = fraction === 0 ? mantissa : mantissa / POW10[fraction];
      this.values[row] = negative ? -value : value;
      this.formats[row] = fraction;
      return;
    }
    this.values[row] = this.internRange(text, start, end);
    this.formats[row] = TEXT;
  }

  /** Row `row` is the text `s` (a quoted CSV cell, or one read across chunks). */
  setString(row: number, s: string): void {
    this.setRange(row, s, 0, s.length);
  }

  /** Row `row` is a record's number, printed the way records print it (String(value)). */
  setNumber(row: number, value: number): void {
    if (!Number.isFinite(value)) {
      // "NaN", "Infinity": kept as the text a record would give, which typing then reads as missing or bad.
      this.setText(row, String(value));
      return;
    }
    this.reserve(row);
    this.mark(row);
    this.values[row] = value;
    this.formats[row] = SHORTEST;
  }

  /** Row `row` is a record's text, used as it is. */
  setText(row: number, s: string): void {
    this.reserve(row);
    this.mark(row);
    if (s === '') {
      this.values[row] = NaN;
      this.formats[row] = EMPTY;
      return;
    }
    this.byString ??= new Map();
    let index = this.byString.get(s);
    if (index === undefined) {
      index = this.texts.length;
      this.texts.push(s);
      this.hashes.push(0);
      this.byString.set(s, index);
    }
    this.values[row] = index;
    this.formats[row] = TEXT;
  }

  /** The text of row `row` exactly as it was read. */
  textAt(row: number): string {
    const f = this.formats[row];
    const v = this.values[row];
    if (f <= MAX_FIXED_DIGITS) return v.toFixed(f);
    if (f === SHORTEST) return String(v);
    if (f === EMPTY) return '';
    return this.texts[v];
  }

  /** Ends reading at `rows` rows: views of that length, without a copy. */
  trim(rows: number): void {
    this.values = this.values.subarray(0, rows);
    this.formats = this.formats.subarray(0, rows);
    this.length = rows;
  }

  private internRange(text: string, start: number, end: number): number {
    // Most category cells repeat a few values: a text with the same length and end characters as the
    // last one seen is usually that one, and one comparison then saves hashing it.
    const key = (Math.imul(end - start, 31) + Math.imul(text.charCodeAt(start), 7) + text.charCodeAt(end - 1)) & (RECENT - 1);
    const recent = this.recent[key] - 1;
    if (recent >= 0 && sameText(this.texts[recent], text, start, end)) return recent;
    const index = this.internHashed(text, start, end);
    this.recent[key] = index + 1;
    return index;
  }

  private internHashed(text: string, start: number, end: number): number {
    const h = hashRange(text, start, end);
    let mask = this.slots.length - 1;
    let at = h & mask;
    for (;;) {
      const slot = this.slots[at];
      if (slot === 0) break;
      const index = slot - 1;
      if (this.hashes[index] === h && sameText(this.texts[index], text, start, end)) return index;
      at = (at + 1) & mask;
    }
    const index = this.texts.length;
    this.texts.push(text.slice(start, end));
    this.hashes.push(h);
    this.slots[at] = index + 1;
    if (this.texts.length * 2 > this.slots.length) {
      // Rehash into twice the slots. Texts added by setText carry hash 0 and are not in this table.
      const slots = new Int32Array(this.slots.length * 2);
      mask = slots.length - 1;
      for (let k = 0; k < this.slots.length; k++) {
        const s = this.slots[k];
        if (s === 0) continue;
        let p = this.hashes[s - 1] & mask;
        while (slots[p] !== 0) p = (p + 1) & mask;
        slots[p] = s;
      }
      this.slots = slots;
    }
    return index;
  }
}

/** A column of strings (records, tests) as a CellColumn, reading each cell the way a CSV cell is read. */
export function cellColumnOf(cells: readonly string[], rowCount: number): CellColumn {
  const column = new CellColumn(rowCount);
  for (let r = 0; r < rowCount; r++) column.setString(r, cells[r]);
  return column;
}
