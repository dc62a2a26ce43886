// The import bench's CSV: 1,000,000 rows x 20 columns, seeded so every run parses the same bytes.
// Written once into .tmp/ (never committed) and reused while its name, which carries the shape and
// seed, still matches. Mixed columns as real exports have them: floats, integers, categories, a few
// empty cells, and a categorical target with no missing values so a stratified split is possible.

import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export const CSV_ROWS = 1_000_000;
export const CSV_SEED = 20_240_601;
export const CSV_TARGET = 'label';

const FLOATS = 10;
const INTS = 4;
const CATEGORIES = ['red', 'green', 'blue', 'amber', 'violet', 'teal', 'coral', 'slate'];
const CITIES = ['Lisbon', 'Oslo', 'Quito', 'Hanoi', 'Accra', 'Perth', 'Lima', 'Riga', 'Pune', 'Cork', 'Austin', 'Graz'];
const LABELS = ['alpha', 'beta', 'gamma', 'delta'];
/** Share of empty cells in the feature columns (never in the target). */
const MISSING = 0.02;

/** Same generator as src/core/shared/rng.ts (mulberry32), copied because Node cannot import the TypeScript file. */
function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function csvHeader() {
  return [
    ...Array.from({ length: FLOATS }, (_, i) => `f${i}`),
    ...Array.from({ length: INTS }, (_, i) => `n${i}`),
    'color',
    'city',
    'flag',
    'grade',
    'segment',
    CSV_TARGET,
  ];
}

function rowText(random) {
  const cells = [];
  const maybe = (text) => (random() < MISSING ? '' : text);
  for (let i = 0; i < FLOATS; i++) cells.push(maybe(((random() - 0.5) * 200).toFixed(3)));
  for (let i = 0; i < INTS; i++) cells.push(maybe(String(Math.floor(random() * 10_000))));
  cells.push(maybe(CATEGORIES[Math.floor(random() * CATEGORIES.length)]));
  cells.push(maybe(CITIES[Math.floor(random() * CITIES.length)]));
  cells.push(maybe(random() < 0.5 ? 'yes' : 'no'));
  cells.push(maybe(String.fromCharCode(65 + Math.floor(random() * 5))));
  cells.push(maybe(`s${Math.floor(random() * 40)}`));
  cells.push(LABELS[Math.floor(random() * LABELS.length)]);
  return cells.join(',');
}

/** Writes the CSV to `path` unless it is already there; returns its size in bytes. */
export async function ensureCsv(path) {
  const existing = await stat(path).catch(() => null);
  if (existing) return existing.size;
  await mkdir(dirname(path), { recursive: true });
  // Written under a temporary name and renamed, so an interrupted run never leaves a short file to reuse.
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  const random = mulberry32(CSV_SEED);
  out.write(`${csvHeader().join(',')}\n`);
  const BATCH = 10_000;
  for (let start = 0; start < CSV_ROWS; start += BATCH) {
    const lines = [];
    for (let r = start; r < Math.min(CSV_ROWS, start + BATCH); r++) lines.push(rowText(random));
    if (!out.write(`${lines.join('\n')}\n`)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  await rename(partial, path);
  return (await stat(path)).size;
}
