// The table path of a fitted recipe: columnar, on typed arrays. Every value is computed by the cell functions of
// serving/recipe.js (per row for numbers, once per dictionary entry for categories), so a table transformed here and
// a row transformed at serving time cannot disagree.

import type { ColumnData, ColumnSchema, Table } from '../shared/types';
import type { FittedRecipe, FittedStep, StepStats } from './types';
import type { CategoryColumn, TableResult, TabularColumn, Work } from './work';
import { categoryColumn, columnIndex, conditionMask, dateColumn, finishWork, numberColumn, startWork } from './work';
import { isoDate, parseDateText } from '../serving/dates.js';
import {
  bucketIndex,
  bucketLabels,
  categoryIndex,
  categoryToNumber,
  clipValue,
  datePart,
  datePartName,
  hashBucket,
  hashBucketName,
  numberToCategory,
  OTHER_CATEGORY,
  onehotName,
  parseDate,
  scaleValue,
  topkValue,
} from '../serving/recipe.js';

export type { TableResult };
function emptyStats(step: number, kind: FittedStep['kind'], rows: number): StepStats {
  return { step, kind, rowsBefore: rows, rowsAfter: rows, filtered: 0, imputed: 0, clipped: 0, unparseable: 0, unseen: 0, columnsAdded: [], columnsRemoved: [] };
}

function withColumn(work: Work, name: string, type: ColumnSchema['type'], data: TabularColumn): Work {
  const i = columnIndex(work, name);
  const schema = work.schema.slice();
  const columns = work.columns.slice();
  schema[i] = { ...schema[i], type };
  columns[i] = data;
  return { ...work, schema, columns };
}

/** Replaces column `name` by `added` (keeping it first when `keep`). */
function spliceColumns(work: Work, name: string, keep: boolean, added: { schema: ColumnSchema; data: TabularColumn }[]): Work {
  const i = columnIndex(work, name);
  const schema = work.schema.slice();
  const columns = work.columns.slice();
  const at = keep ? i + 1 : i;
  schema.splice(at, keep ? 0 : 1, ...added.map((a) => a.schema));
  columns.splice(at, keep ? 0 : 1, ...added.map((a) => a.data));
  return { ...work, schema, columns };
}

function filterRows(work: Work, keep: Uint8Array): Work {
  let count = 0;
  for (const k of keep) count += k;
  if (count === work.rowCount) return work;
  const rows = new Int32Array(count);
  let j = 0;
  for (let r = 0; r < work.rowCount; r++) if (keep[r]) rows[j++] = r;
  // Plain loops: TypedArray.from with a mapping function goes through the iterator protocol and is many times slower.
  const gather = <A extends Float64Array | Int32Array | Uint8Array>(from: A, to: A): A => {
    for (let i = 0; i < count; i++) to[i] = from[rows[i]];
    return to;
  };
  const columns = work.columns.map((col): TabularColumn =>
    col.kind === 'number' || col.kind === 'date'
      ? { kind: col.kind, values: gather(col.values, new Float64Array(count)) }
      : { kind: 'category', codes: gather(col.codes, new Int32Array(count)), dictionary: col.dictionary },
  );
  const assignment = gather(work.assignment, new Uint8Array(count));
  const origin = work.origin ? gather(work.origin, new Int32Array(count)) : rows;
  return { ...work, columns, rowCount: count, assignment, origin };
}

/** Codes for `labels` given per row as indices into them (-1 missing): the dictionary is `labels` itself. */
function categoryFromLabels(index: Int32Array, labels: string[]): CategoryColumn {
  return { kind: 'category', codes: index, dictionary: labels };
}

/**
 * Distinct numbers give distinct texts (String gives the shortest text that reads back as the same number), except
 * -0 and 0, which are equal here too: so each distinct value is turned into text once, and rows find theirs by
 * binary search in the sorted distinct values (a Map of a million texts is far slower).
 */
function castToCategory(values: Float64Array, text: (v: number) => string | null = numberToCategory): CategoryColumn {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort();
  let k = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[k - 1]) sorted[k++] = sorted[i];
  const distinct = sorted.subarray(0, k);
  const dictionary = Array.from(distinct, (v) => text(v) ?? '');
  const codes = new Int32Array(values.length);
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (Number.isNaN(v)) {
      codes[r] = -1;
      continue;
    }
    let lo = 0;
    let hi = k - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (distinct[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    codes[r] = lo;
  }
  return { kind: 'category', codes, dictionary };
}

/** Applies one fitted step to the whole table. */
export function applyStepToWork(step: FittedStep, index: number, work: Work): { work: Work; stats: StepStats } {
  const stats = emptyStats(index, step.kind, work.rowCount);
  const n = work.rowCount;
  let next: Work;
  switch (step.kind) {
    case 'drop': {
      const drop = new Set(step.columns);
      for (const c of step.columns) columnIndex(work, c);
      const keep = work.schema.map((c) => !drop.has(c.name));
      next = { ...work, schema: work.schema.filter((_, i) => keep[i]), columns: work.columns.filter((_, i) => keep[i]) };
      stats.columnsRemoved = step.columns.slice();
      break;
    }
    case 'rename': {
      const i = columnIndex(work, step.from);
      const schema = work.schema.slice();
      schema[i] = { ...schema[i], name: step.to };
      next = { ...work, schema };
      stats.columnsRemoved = [step.from];
      stats.columnsAdded = [step.to];
      break;
    }
    case 'cast': {
      const source = work.columns[columnIndex(work, step.column)];
      if (step.to === 'category' && source.kind === 'date') {
        // A date's ISO text, as the row path carries it (isoDate): distinct dates give distinct texts.
        next = withColumn(work, step.column, 'category', castToCategory(source.values, isoDate));
      } else if (step.to === 'category') {
        next = withColumn(work, step.column, 'category', castToCategory(numberColumn(work, step.column)));
      } else if (step.to === 'date') {
        const col = categoryColumn(work, step.column);
        const byCode = col.dictionary.map((text) => parseDateText(text, step.dayFirst === true));
        const values = new Float64Array(n);
        for (let r = 0; r < n; r++) {
          const c = col.codes[r];
          values[r] = c < 0 ? NaN : byCode[c];
          if (c >= 0 && Number.isNaN(values[r])) stats.unparseable++;
        }
        next = withColumn(work, step.column, 'date', { kind: 'date', values });
      } else {
        const col = categoryColumn(work, step.column);
        const byCode = col.dictionary.map((text) => categoryToNumber(text, step.format));
        const values = new Float64Array(n);
        for (let r = 0; r < n; r++) {
          const c = col.codes[r];
          values[r] = c < 0 ? NaN : byCode[c];
          if (c >= 0 && Number.isNaN(values[r])) stats.unparseable++;
        }
        next = withColumn(work, step.column, 'number', { kind: 'number', values });
      }
      break;
    }
    case 'filter': {
      next = filterRows(work, conditionMask(step.condition, work));
      stats.filtered = n - next.rowCount;
      break;
    }
    case 'impute': {
      const fill = step.fill;
      if (typeof fill === 'number') {
        const v = numberColumn(work, step.column);
        const values = new Float64Array(n);
        for (let r = 0; r < n; r++) {
          if (Number.isNaN(v[r])) {
            values[r] = fill;
            stats.imputed++;
          } else values[r] = v[r];
        }
        next = withColumn(work, step.column, 'number', { kind: 'number', values });
      } else {
        const col = categoryColumn(work, step.column);
        let fillCode = col.dictionary.indexOf(fill);
        const dictionary = fillCode < 0 ? [...col.dictionary, fill] : col.dictionary;
        if (fillCode < 0) fillCode = col.dictionary.length;
        const codes = new Int32Array(n);
        for (let r = 0; r < n; r++) {
          if (col.codes[r] < 0) {
            codes[r] = fillCode;
            stats.imputed++;
          } else codes[r] = col.codes[r];
        }
        next = withColumn(work, step.column, 'category', { kind: 'category', codes, dictionary });
      }
      break;
    }
    case 'scale': {
      const v = numberColumn(work, step.column);
      const values = new Float64Array(n);
      for (let r = 0; r < n; r++) values[r] = scaleValue(v[r], step.offset, step.factor);
      next = withColumn(work, step.column, 'number', { kind: 'number', values });
      break;
    }
    case 'clip': {
      const v = numberColumn(work, step.column);
      const values = new Float64Array(n);
      for (let r = 0; r < n; r++) {
        values[r] = clipValue(v[r], step.min, step.max);
        if (values[r] !== v[r] && !Number.isNaN(v[r])) stats.clipped++;
      }
      next = withColumn(work, step.column, 'number', { kind: 'number', values });
      break;
    }
    case 'onehot': {
      const col = categoryColumn(work, step.column);
      const slot = col.dictionary.map((d) => categoryIndex(d, step.categories));
      const outs = step.categories.map(() => new Float64Array(n));
      for (let r = 0; r < n; r++) {
        const c = col.codes[r];
        const at = c < 0 ? -1 : slot[c];
        if (at >= 0) outs[at][r] = 1;
        else if (c >= 0) stats.unseen++;
      }
      const added = step.categories.map((cat, i) => ({
        schema: { name: onehotName(step.column, cat), type: 'number' as const, role: 'feature' as const },
        data: { kind: 'number' as const, values: outs[i] },
      }));
      next = spliceColumns(work, step.column, false, added);
      stats.columnsRemoved = [step.column];
      stats.columnsAdded = added.map((a) => a.schema.name);
      break;
    }
    case 'ordinal': {
      const col = categoryColumn(work, step.column);
      const slot = col.dictionary.map((d) => categoryIndex(d, step.categories));
      const values = new Float64Array(n);
      for (let r = 0; r < n; r++) {
        const c = col.codes[r];
        const at = c < 0 ? -1 : slot[c];
        values[r] = at < 0 ? NaN : at;
        if (at < 0 && c >= 0) stats.unseen++;
      }
      next = withColumn(work, step.column, 'number', { kind: 'number', values });
      break;
    }
    case 'bucketize': {
      const v = numberColumn(work, step.column);
      const codes = new Int32Array(n);
      for (let r = 0; r < n; r++) codes[r] = bucketIndex(v[r], step.boundaries);
      next = withColumn(work, step.column, 'category', categoryFromLabels(codes, bucketLabels(step.boundaries)));
      break;
    }
    case 'hash': {
      // Decided once per dictionary entry; the new dictionary is every bucket's label, unused ones compacted away.
      const col = categoryColumn(work, step.column);
      const byCode = col.dictionary.map((d) => hashBucket(d, step.buckets));
      const codes = new Int32Array(n);
      for (let r = 0; r < n; r++) codes[r] = col.codes[r] < 0 ? -1 : byCode[col.codes[r]];
      const labels = Array.from({ length: step.buckets }, (_, i) => hashBucketName(i));
      next = withColumn(work, step.column, 'category', categoryFromLabels(codes, labels));
      break;
    }
    case 'topk': {
      const col = categoryColumn(work, step.column);
      const labels = step.categories.includes(OTHER_CATEGORY) ? step.categories.slice() : [...step.categories, OTHER_CATEGORY];
      const byCode = col.dictionary.map((d) => labels.indexOf(topkValue(d, step.categories) ?? ''));
      const codes = new Int32Array(n);
      for (let r = 0; r < n; r++) codes[r] = col.codes[r] < 0 ? -1 : byCode[col.codes[r]];
      next = withColumn(work, step.column, 'category', categoryFromLabels(codes, labels));
      break;
    }
    case 'dateparts': {
      if (work.columns[columnIndex(work, step.column)].kind === 'date') {
        const values = dateColumn(work, step.column);
        // UTC fields, as the row path reads the date's ISO text (which always ends in Z or is a plain date).
        const fields = Array.from(values, (ms) => {
          if (Number.isNaN(ms)) return null;
          const d = new Date(ms);
          return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours() };
        });
        const added = step.parts.map((part) => ({
          schema: { name: datePartName(step.column, part), type: 'number' as const, role: 'feature' as const },
          data: { kind: 'number' as const, values: Float64Array.from(fields, (d) => datePart(d, part)) },
        }));
        next = spliceColumns(work, step.column, step.keep === true, added);
        if (!step.keep) stats.columnsRemoved = [step.column];
        stats.columnsAdded = added.map((a) => a.schema.name);
        break;
      }
      const col = categoryColumn(work, step.column);
      const dates = col.dictionary.map(parseDate);
      for (let r = 0; r < n; r++) {
        const c = col.codes[r];
        if (c >= 0 && dates[c] === null) stats.unparseable++;
      }
      const added = step.parts.map((part) => {
        const byCode = dates.map((d) => datePart(d, part));
        const values = new Float64Array(n);
        for (let r = 0; r < n; r++) values[r] = col.codes[r] < 0 ? NaN : byCode[col.codes[r]];
        return {
          schema: { name: datePartName(step.column, part), type: 'number' as const, role: 'feature' as const },
          data: { kind: 'number' as const, values },
        };
      });
      next = spliceColumns(work, step.column, step.keep === true, added);
      if (!step.keep) stats.columnsRemoved = [step.column];
      stats.columnsAdded = added.map((a) => a.schema.name);
      break;
    }
    default: {
      const never: never = step;
      throw new Error(`unknown recipe step ${JSON.stringify(never)}`);
    }
  }
  stats.rowsAfter = next.rowCount;
  return { work: next, stats };
}

/**
 * Applies a fitted recipe to a table: the columns the recipe was fitted on (with their roles then) are read from
 * `table`, which `schema` describes; other columns are left out, as at serving time. Filters drop rows from the
 * table and the split assignment together. Throws when a needed column is missing or has another type.
 */
export function applyRecipeToTable(
  fitted: FittedRecipe,
  schema: ColumnSchema[],
  table: Table,
  assignment: Uint8Array,
): TableResult & { stats: StepStats[] } {
  for (const col of fitted.input) {
    const own = schema.find((c) => c.name === col.name);
    if (!own) throw new Error(`the recipe needs a column "${col.name}"`);
    if (own.type !== col.type) throw new Error(`the recipe reads "${col.name}" as ${col.type} but it is ${own.type} here`);
  }
  let work = startWork(fitted.input, table, assignment);
  const stats: StepStats[] = [];
  fitted.steps.forEach((step, i) => {
    const out = applyStepToWork(step, i, work);
    work = out.work;
    stats.push(out.stats);
  });
  return { ...finishWork(work), stats };
}
