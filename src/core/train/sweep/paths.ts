// Reading and writing run params by the dotted keys the runs table uses (`spec.layers.0.units`).

import type { RunParams } from '../spec/types';
import type { SweepValue } from './types';

type Leaf = number | string | boolean;

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return typeof v === 'object' && v !== null;
}

/** The leaf value at `path`, or undefined when the path does not reach a number, text or boolean. */
export function leafAt(params: RunParams, path: string): Leaf | undefined {
  let node: unknown = params;
  for (const key of path.split('.')) {
    // Own keys only: `constructor` or `__proto__` must not resolve to something inherited.
    if (!isContainer(node) || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'number' || typeof node === 'string' || typeof node === 'boolean' ? node : undefined;
}

/** A deep copy of `params` with the leaf at `path` replaced; the path must exist (checked by validation first). */
export function withLeaf(params: RunParams, path: string, value: SweepValue): RunParams {
  const copy = structuredClone(params);
  const keys = path.split('.');
  let node = copy as unknown as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
  return copy;
}
