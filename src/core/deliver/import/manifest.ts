// model.json's weight manifest against the topology and the shipped shards: the dtypes the app trains with, every
// weight the layers own with the shape they imply, shard files that exist, and byte counts that add up.

import type { WeightManifest } from '../../shared/types';
import type { ExpectedWeight } from './topology';
import type { ModelJson } from './schemas';
import { count, refuse } from './refusal';

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4 };

export interface ManifestGroup {
  /** Bundle paths of the group's shards, in order (model/<path>). */
  files: string[];
  /** Bytes the group's weights need. */
  bytes: number;
}

function show(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** The manifest's weights checked against `expected`, and the shard files each group reads. */
export function checkManifest(model: ModelJson, expected: readonly ExpectedWeight[]): { weightSpecs: WeightManifest['weightSpecs']; groups: ManifestGroup[] } {
  if (model.format !== 'layers-model') refuse(`model/model.json: format is ${JSON.stringify(model.format)}; only "layers-model" is imported`);
  const wanted = new Map(expected.map((w) => [w.name, w]));
  const seen = new Set<string>();
  const weightSpecs: WeightManifest['weightSpecs'] = [];
  const groups: ManifestGroup[] = model.weightsManifest.map((group, g) => {
    if (group.paths.length === 0 && group.weights.length > 0) refuse(`model/model.json: weightsManifest[${g}] lists weights but no shard file`);
    let bytes = 0;
    for (const w of group.weights) {
      const size = DTYPE_BYTES[w.dtype];
      if (size === undefined) refuse(`model/model.json: weight ${w.name} has dtype ${w.dtype}; only float32 and int32 are imported`);
      const want = wanted.get(w.name);
      if (!want) refuse(`model/model.json: weight ${w.name} belongs to no layer of the model`);
      if (seen.has(w.name)) refuse(`model/model.json: weight ${w.name} is listed twice`);
      seen.add(w.name);
      if (show(w.shape) !== show(want.shape)) {
        refuse(`model/model.json: weight ${w.name} has shape ${show(w.shape)} but ${want.why} needs ${show(want.shape)}`);
      }
      bytes += w.shape.reduce((a, b) => a * b, 1) * size;
      weightSpecs.push({ name: w.name, shape: w.shape.slice(), dtype: w.dtype as 'float32' | 'int32' });
    }
    const files = group.paths.map((path) => {
      if (!/^[A-Za-z0-9_.-]+$/.test(path) || path === '.' || path === '..') {
        refuse(`model/model.json: weightsManifest[${g}] names shard ${JSON.stringify(path)}; a shard is a plain file name beside model.json`);
      }
      return `model/${path}`;
    });
    return { files, bytes };
  });
  for (const w of expected) if (!seen.has(w.name)) refuse(`model/model.json: the manifest has no weight ${w.name}, which ${w.why} needs`);
  return { weightSpecs, groups };
}

/** The shards of every group joined in manifest order, each group exactly as long as its weights need. */
export function joinShards(groups: readonly ManifestGroup[], shards: ReadonlyMap<string, Uint8Array>): Uint8Array<ArrayBuffer> {
  let total = 0;
  for (const group of groups) {
    const parts = group.files.map((file) => shards.get(file) ?? refuse(`model/model.json's weightsManifest names ${file.slice('model/'.length)}, which the bundle does not hold`));
    const have = parts.reduce((n, p) => n + p.length, 0);
    if (have !== group.bytes) {
      const what = group.files.length === 1 ? `${group.files[0]} is` : `${group.files.join(' + ')} are`;
      refuse(`${what} ${count(have)} bytes but model.json's weights need ${count(group.bytes)}`);
    }
    total += have;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const group of groups) {
    for (const file of group.files) {
      const part = shards.get(file)!;
      out.set(part, offset);
      offset += part.length;
    }
  }
  return out;
}
