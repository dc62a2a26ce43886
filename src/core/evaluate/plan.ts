// Can a run's model be evaluated on a dataset version, and which recipes must its rows go through first?
// A model reads rows shaped like its own version's. The rows of another version of the project reach that shape by
// replaying the part of the model's recipe chain that lies between them: nothing for the model's own version or a
// version derived from it, the later recipes for a version derived from an earlier link of the chain, and the whole
// chain for a separate import. The version must have the columns (with their types) that the first replayed recipe
// or the model reads; otherwise the plan says which are missing or of another type.

import type { FittedRecipe } from '../recipe/types';
import type { ColumnSchema, ColumnType, DatasetVersion } from '../shared/types';
import type { EvalMode } from './types';
import { startsOwnRows } from '../data/provenance';

export interface ModelChain {
  /** The model's version and its ancestors, oldest first (the import first, the model's version last). */
  versionIds: readonly string[];
  /** recipes[i] made versionIds[i + 1] from versionIds[i]. */
  recipes: readonly FittedRecipe[];
  /** Schema of the model's own version. */
  schema: readonly ColumnSchema[];
  /**
   * The target's column type is not known (a model imported without its data): a classification model reads its
   * labels as text, so a number or a category target column both serve.
   */
  looseClassTarget?: boolean;
}

export interface EvalTarget {
  id: string;
  schema: readonly ColumnSchema[];
  /** The target version and its ancestors through parents[0], oldest first (the version itself last). */
  lineage: readonly string[];
}

export interface TypeMismatch {
  name: string;
  expected: ColumnType;
  actual: ColumnType;
}

export type EvalPlan =
  | { ok: true; mode: EvalMode; recipes: FittedRecipe[] }
  | { ok: false; missing: string[]; wrongType: TypeMismatch[]; message: string };

/** Columns `needed` (but ignored ones) that `schema` lacks or holds with another type. */
export function schemaGaps(needed: readonly ColumnSchema[], schema: readonly ColumnSchema[]): { missing: string[]; wrongType: TypeMismatch[] } {
  const missing: string[] = [];
  const wrongType: TypeMismatch[] = [];
  for (const col of needed) {
    if (col.role === 'ignore') continue;
    const found = schema.find((c) => c.name === col.name);
    if (!found) missing.push(col.name);
    else if (found.type !== col.type) wrongType.push({ name: col.name, expected: col.type, actual: found.type });
  }
  return { missing, wrongType };
}

function describeGaps(missing: readonly string[], wrongType: readonly TypeMismatch[]): string {
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`missing ${missing.map((m) => `"${m}"`).join(', ')}`);
  for (const w of wrongType) parts.push(`"${w.name}" is ${w.actual}, the model reads ${w.expected}`);
  return parts.join('; ');
}

export function planEvaluation(chain: ModelChain, target: EvalTarget): EvalPlan {
  const last = chain.versionIds.length - 1;
  // The latest link of the chain the target descends from (or is): its rows start from that link's shape.
  let at = -1;
  for (const id of target.lineage) {
    const i = chain.versionIds.indexOf(id);
    if (i > at) at = i;
  }
  const start = at < 0 ? 0 : at;
  const recipes = chain.recipes.slice(start);
  const needed = start === last || recipes.length === 0 ? chain.schema : recipes[0].input;
  const gaps = schemaGaps(needed, target.schema);
  const { missing } = gaps;
  const wrongType = chain.looseClassTarget ? gaps.wrongType.filter((w) => !isLooseTarget(needed, w)) : gaps.wrongType;
  if (missing.length > 0 || wrongType.length > 0) {
    const from = recipes.length > 0 ? "the columns the model's first recipe reads" : 'the columns the model reads';
    return { ok: false, missing, wrongType, message: `This version does not have ${from}: ${describeGaps(missing, wrongType)}.` };
  }
  const mode: EvalMode = target.id === chain.versionIds[last] ? 'own' : recipes.length > 0 ? 'chain' : 'direct';
  return { ok: true, mode, recipes };
}

function isLooseTarget(needed: readonly ColumnSchema[], w: TypeMismatch): boolean {
  const role = needed.find((c) => c.name === w.name)?.role;
  return role === 'target' && (w.actual === 'number' || w.actual === 'category');
}

/**
 * The target lineage planEvaluation reads: like lineageOf, but it stops at a version whose rows are raw rows of their
 * own (production traffic: its parent names the lineage it joins, yet its cells are raw requests, not that parent's
 * columns), so such a version is reached through the model's whole recipe chain, as a separate import is.
 */
export function rowsLineageOf(versions: readonly Pick<DatasetVersion, 'id' | 'parents' | 'recipe' | 'source'>[], id: string): string[] {
  const byId = new Map(versions.map((v) => [v.id, v]));
  const out: string[] = [];
  let current = byId.get(id);
  while (current && !out.includes(current.id)) {
    out.unshift(current.id);
    current = !startsOwnRows(current) && current.parents[0] ? byId.get(current.parents[0]) : undefined;
  }
  return out;
}

/** A version and its ancestors through parents[0], oldest first, from the project's versions (a cycle ends the walk). */
export function lineageOf(versions: readonly Pick<DatasetVersion, 'id' | 'parents'>[], id: string): string[] {
  const byId = new Map(versions.map((v) => [v.id, v]));
  const out: string[] = [];
  let current = byId.get(id);
  while (current && !out.includes(current.id)) {
    out.unshift(current.id);
    current = current.parents[0] ? byId.get(current.parents[0]) : undefined;
  }
  return out;
}
