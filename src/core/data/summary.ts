// Column profiles shown on the data screen and stored with each dataset version.

import { summarizeDates } from './date-summary';
import { summarizeImages } from './images/summary';
import type { CategorySummary, ColumnData, ColumnSummary, NumberSummary } from '../shared/types';

const TOP_CATEGORIES = 10;

export function summarizeColumn(col: ColumnData): ColumnSummary {
  if (col.kind === 'image') return summarizeImages(col);
  if (col.kind === 'date') return summarizeDates(col.values);
  return col.kind === 'number' ? summarizeNumbers(col.values) : summarizeCategories(col.codes, col.dictionary);
}

/**
 * Statistics over the present values; with none present min, max, mean and std are NaN. No copy and
 * no sort: one pass for the count, sum and range with distinct values counted in a hash table that
 * grows with the distinct count (a column of 10,000 distinct values stays in cache), one pass for
 * the spread.
 */
export function summarizeNumbers(values: Float64Array): NumberSummary {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    n++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const missing = values.length - n;
  if (n === 0) return { kind: 'number', missing, unique: 0, min: NaN, max: NaN, mean: NaN, std: NaN };
  const mean = sum / n;
  // Two passes: summing squared deviations is stable where sum-of-squares minus square-of-sum is not.
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) squares += (v - mean) * (v - mean);
  }
  return { kind: 'number', missing, unique: countOnGrid(values, min, max) ?? countDistinct(values), min, max, mean, std: Math.sqrt(squares / n) };
}

/** Decimal grids tried, coarsest first: integers, then one to six decimals. */
const GRID_SCALES = [1, 10, 100, 1e3, 1e4, 1e5, 1e6];
const MIN_GRID_BITS = 1 << 20;

/**
 * Distinct values of a column whose every value sits exactly on one decimal grid (all integers, or
 * all k/1000, as most columns read from text are) within a range small enough for a bitmap: each
 * value sets its grid point's bit, so memory is touched in a small table instead of a hash table
 * twice the distinct count. The check Math.round(v * s) / s === v makes the mapping one-to-one, so
 * the count is exact. Null when no grid fits; the caller then hashes.
 */
function countOnGrid(values: Float64Array, min: number, max: number): number | null {
  const maxBits = Math.max(MIN_GRID_BITS, values.length * 16);
  for (const scale of GRID_SCALES) {
    const low = Math.round(min * scale);
    const span = Math.round(max * scale) - low + 1;
    // Finer grids only widen the range.
    if (!(span <= maxBits)) return null;
    let fits = true;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === v && Math.round(v * scale) / scale !== v) {
        fits = false;
        break;
      }
    }
    if (!fits) continue;
    const bits = new Int32Array(Math.ceil(span / 32));
    let unique = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== v) continue;
      const at = Math.round(v * scale) - low;
      const word = at >>> 5;
      const bit = 1 << (at & 31);
      if ((bits[word] & bit) === 0) {
        bits[word] |= bit;
        unique++;
      }
    }
    return unique;
  }
  return null;
}

const FIRST_LOG2 = 10;

/**
 * Distinct values, NaN (no value) not counted, -0 the same as 0: open addressing over the values'
 * bits, the slot taken from the hash's top bits (which depend on every input bit), kept at most half full.
 */
export function countDistinct(values: Float64Array): number {
  let log2 = FIRST_LOG2;
  let slots = new Float64Array(1 << log2).fill(NaN);
  const scratch = new Float64Array(1);
  const bits = new Uint32Array(scratch.buffer);
  const slotOf = (): number => Math.imul(bits[0] ^ Math.imul(bits[1], 0x9e3779b1), 0x85ebca6b) >>> (32 - log2);
  let unique = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    // 0 and -0 are one value; + 0 turns -0 into 0 and leaves every other value as it is.
    scratch[0] = v + 0;
    let mask = slots.length - 1;
    let at = slotOf();
    for (;;) {
      const s = slots[at];
      if (s === v) break;
      if (s !== s) {
        slots[at] = scratch[0];
        if (++unique * 2 > slots.length) {
          const old = slots;
          log2++;
          slots = new Float64Array(1 << log2).fill(NaN);
          mask = slots.length - 1;
          for (let k = 0; k < old.length; k++) {
            const o = old[k];
            if (o !== o) continue;
            scratch[0] = o;
            let p = slotOf();
            while (slots[p] === slots[p]) p = (p + 1) & mask;
            slots[p] = o;
          }
        }
        break;
      }
      at = (at + 1) & mask;
    }
  }
  return unique;
}

/** The missing count and every value that occurs, most frequent first. */
export function categoryCounts(codes: Int32Array, dictionary: string[]): { missing: number; used: { value: string; count: number }[] } {
  const counts = new Float64Array(dictionary.length);
  let missing = 0;
  for (let r = 0; r < codes.length; r++) {
    const code = codes[r];
    if (code < 0) missing++;
    else counts[code]++;
  }
  const used: { value: string; count: number }[] = [];
  counts.forEach((count, code) => {
    if (count > 0) used.push({ value: dictionary[code], count });
  });
  // Ties broken by value so the result is the same whatever order the dictionary has.
  used.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { missing, used };
}

function summarizeCategories(codes: Int32Array, dictionary: string[]): CategorySummary {
  const { missing, used } = categoryCounts(codes, dictionary);
  return { kind: 'category', missing, unique: used.length, top: used.slice(0, TOP_CATEGORIES) };
}
