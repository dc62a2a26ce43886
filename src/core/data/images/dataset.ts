// From decoded images and their labels to a typed, split, hashed dataset: the image counterpart of
// src/core/data/build-dataset.ts. Two columns: the images (feature) and the label (a category, the target).

import { hashDataset } from '../hash';
import { checkSplitSpec, countSplit, splitRows } from '../split';
import { checkSplitSizes } from '../split-sanity';
import { summarizeColumn } from '../summary';
import type { ColumnData, ColumnSchema, ImageColumnData, ImageShape, SplitSpec, Table } from '../../shared/types';
import type { BuiltDataset } from '../../contracts/dataset';

export const IMAGE_COLUMN = 'image';
export const LABEL_COLUMN = 'label';

export type ImageBuildOutcome = { ok: true; dataset: BuiltDataset } | { ok: false; message: string };

/**
 * `pixels` holds `labels.length` images of `shape`, row after row. The label dictionary is sorted so
 * the encoding does not depend on the order files arrived in; the split is stratified by label
 * unless the spec says random (a time split has no time column here and is refused).
 */
export async function buildImageDataset(
  pixels: Uint8Array,
  labels: readonly string[],
  shape: ImageShape,
  split: SplitSpec,
): Promise<ImageBuildOutcome> {
  const rowCount = labels.length;
  const size = shape.width * shape.height * shape.channels;
  if (rowCount === 0) return { ok: false, message: 'There are no images to make a version from.' };
  if (pixels.length !== rowCount * size) {
    return { ok: false, message: `Expected ${rowCount} images of ${size} bytes, got ${pixels.length} bytes.` };
  }
  const splitProblem = checkSplitSpec(split);
  if (splitProblem) return { ok: false, message: splitProblem };
  if (split.method === 'time') return { ok: false, message: 'Images have no date column: choose a random or stratified split.' };
  const dictionary = [...new Set(labels)].sort();
  if (dictionary.length < 2) {
    return { ok: false, message: `All images have the label "${dictionary[0]}"; classification needs at least two classes.` };
  }
  const index = new Map(dictionary.map((label, i) => [label, i]));
  const codes = Int32Array.from(labels, (label) => index.get(label) as number);
  const image: ImageColumnData = { kind: 'image', pixels, ...shape };
  const label: ColumnData = { kind: 'category', codes, dictionary };
  const schema: ColumnSchema[] = [
    { name: IMAGE_COLUMN, type: 'image', role: 'feature' },
    { name: LABEL_COLUMN, type: 'category', role: 'target' },
  ];
  const table: Table = { names: [IMAGE_COLUMN, LABEL_COLUMN], columns: [image, label], rowCount };
  const spec: SplitSpec = { method: split.method, seed: split.seed, fractions: [...split.fractions] };
  const assignment = splitRows(spec, rowCount, () => true, codes);
  const tooSmall = checkSplitSizes(spec, assignment, codes, dictionary, 'images');
  if (tooSmall) return { ok: false, message: tooSmall };
  return {
    ok: true,
    dataset: {
      id: await hashDataset(schema, spec, table),
      schema,
      summaries: table.columns.map(summarizeColumn),
      table,
      assignment,
      counts: countSplit(assignment),
    },
  };
}

/** Images per label, most first (ties by label), for the class counts of the Data stage. */
export function classCounts(labels: Int32Array, dictionary: readonly string[]): { label: string; count: number }[] {
  const counts = new Array<number>(dictionary.length).fill(0);
  for (const code of labels) if (code >= 0) counts[code]++;
  return dictionary
    .map((label, i) => ({ label, count: counts[i] }))
    .sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}
