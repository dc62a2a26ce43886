// Which dataset versions a pipeline's source covers, read off the lineage graph of ../../data/lineage.ts, and which
// one a run trains on: for a lineage source, the newest version derived (at any depth) from its root.

import { buildLineage, versionKey, type LineageGraph, type LineageVersion } from '../../data/lineage';
import type { PipelineSource } from './types';

/** Ids of the root and every version derived from it, following "derived" edges. */
export function lineageMembers(graph: LineageGraph, rootVersionId: string): Set<string> {
  const root = versionKey(rootVersionId);
  if (!graph.nodes.some((n) => n.key === root)) return new Set();
  const children = new Map<string, string[]>();
  for (const e of graph.edges) if (e.kind === 'derived') children.set(e.from, [...(children.get(e.from) ?? []), e.to]);
  const seen = new Set([root]);
  const stack = [root];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop() as string) ?? []) {
      if (!seen.has(child)) {
        seen.add(child);
        stack.push(child);
      }
    }
  }
  const ids = new Set<string>();
  for (const n of graph.nodes) if (seen.has(n.key) && n.kind === 'version') ids.add(n.id);
  return ids;
}

/** Whether a version belongs to the source: the fixed version itself, or a member of the lineage. */
export function sourceCovers(source: PipelineSource, graph: LineageGraph, versionId: string): boolean {
  return source.kind === 'version' ? source.versionId === versionId : lineageMembers(graph, source.rootVersionId).has(versionId);
}

/** The dataset version a run of this source trains on, or why there is none. Ties in time go to the larger id, so the answer is stable. */
export function resolveSource(
  source: PipelineSource,
  versions: readonly LineageVersion[],
): { ok: true; versionId: string } | { ok: false; reason: string } {
  if (source.kind === 'version') {
    return versions.some((v) => v.id === source.versionId)
      ? { ok: true, versionId: source.versionId }
      : { ok: false, reason: `dataset version ${source.versionId} does not exist in this project` };
  }
  const members = lineageMembers(buildLineage(versions, []), source.rootVersionId);
  if (members.size === 0) return { ok: false, reason: `the lineage root ${source.rootVersionId} does not exist in this project` };
  const newest = versions
    .filter((v) => members.has(v.id))
    .reduce((best, v) => (v.createdAt > best.createdAt || (v.createdAt === best.createdAt && v.id > best.id) ? v : best));
  return { ok: true, versionId: newest.id };
}
