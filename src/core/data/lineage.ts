// The lineage of a project's data as a graph, from raw imports through derived versions to the runs
// trained on them, and a layered left-to-right layout of it (pure: the UI only draws the result).

import type { DatasetVersion, Run } from '../shared/types';
import { sourceLabel } from './provenance';
import { plural } from '../shared/plural';

/** `source` is optional so callers that only follow edges (pipeline sources) need not carry it; it words the nodes. */
export type LineageVersion = Pick<DatasetVersion, 'id' | 'name' | 'parents' | 'createdAt' | 'rowCount'> & Partial<Pick<DatasetVersion, 'source'>>;
export type LineageRun = Pick<Run, 'id' | 'name' | 'datasetId' | 'startedAt' | 'status'>;

export interface LineageNode {
  /** `version:<dataset id>` or `run:<run id>`, so the two kinds never collide. */
  key: string;
  kind: 'version' | 'run';
  /** Dataset or run id. */
  id: string;
  label: string;
  detail: string;
  /** Versions made from a served model's requests: "from production traffic of <model> v<N>"; null otherwise. */
  production: string | null;
  layer: number;
  order: number;
  x: number;
  y: number;
}

export interface LineageEdge {
  from: string;
  to: string;
  kind: 'derived' | 'trained';
}

export interface LineageGraph {
  nodes: LineageNode[];
  edges: LineageEdge[];
  width: number;
  height: number;
  versionCount: number;
  runCount: number;
}

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 44;
const GAP_X = 56;
const GAP_Y = 14;
const PAD = 8;

export const versionKey = (id: string) => `version:${id}`;
export const runKey = (id: string) => `run:${id}`;

interface Pending {
  key: string;
  kind: 'version' | 'run';
  id: string;
  label: string;
  detail: string;
  production: string | null;
  time: number;
}

/**
 * Nodes for every version and run; edges parent -> child version and version -> run. Parents or
 * datasets outside the given lists (another project's, or missing) have no node and no edge.
 */
export function buildLineage(versions: readonly LineageVersion[], runs: readonly LineageRun[]): LineageGraph {
  const known = new Set(versions.map((v) => v.id));
  const pending: Pending[] = [
    ...versions.map((v) => {
      const production = v.source?.kind === 'production' ? `from ${sourceLabel(v.source)}` : null;
      const origin = production ?? (v.parents.some((p) => known.has(p)) ? null : 'imported');
      return {
        key: versionKey(v.id),
        kind: 'version' as const,
        id: v.id,
        label: v.name,
        detail: `${v.id.slice(0, 8)} · ${v.rowCount} rows${origin ? ` · ${origin}` : ''}`,
        production,
        time: v.createdAt,
      };
    }),
    ...runs.map((r) => ({ key: runKey(r.id), kind: 'run' as const, id: r.id, label: r.name, detail: `run · ${r.status}`, production: null, time: r.startedAt })),
  ];
  const edges: LineageEdge[] = [];
  for (const v of versions) {
    for (const parent of new Set(v.parents)) {
      if (known.has(parent) && parent !== v.id) edges.push({ from: versionKey(parent), to: versionKey(v.id), kind: 'derived' });
    }
  }
  for (const r of runs) if (known.has(r.datasetId)) edges.push({ from: versionKey(r.datasetId), to: runKey(r.id), kind: 'trained' });
  return layout(pending, edges, versions.length, runs.length);
}

function layout(pending: Pending[], edges: LineageEdge[], versionCount: number, runCount: number): LineageGraph {
  const incoming = new Map<string, string[]>();
  for (const e of edges) incoming.set(e.to, [...(incoming.get(e.to) ?? []), e.from]);

  // Layer = longest path from a root. Content-addressed versions cannot form a cycle, but stored
  // data is not trusted: a node met again while its own layer is being computed counts as a root.
  const layers = new Map<string, number>();
  const visiting = new Set<string>();
  const layerOf = (key: string): number => {
    const done = layers.get(key);
    if (done !== undefined) return done;
    if (visiting.has(key)) return -1;
    visiting.add(key);
    let layer = 0;
    for (const from of incoming.get(key) ?? []) layer = Math.max(layer, layerOf(from) + 1);
    visiting.delete(key);
    layers.set(key, layer);
    return layer;
  };
  for (const p of pending) layerOf(p.key);

  const byLayer: Pending[][] = [];
  for (const p of pending) (byLayer[layers.get(p.key) as number] ??= []).push(p);

  // Within a layer, nodes sit near the average position of what they came from (one barycentre
  // pass keeps most edges short); ties go by time, then id, so the picture is stable.
  const orders = new Map<string, number>();
  const nodes: LineageNode[] = [];
  byLayer.forEach((group, layer) => {
    const weight = (p: Pending) => {
      const from = (incoming.get(p.key) ?? []).map((k) => orders.get(k)).filter((o): o is number => o !== undefined);
      return from.length > 0 ? from.reduce((a, b) => a + b, 0) / from.length : Infinity;
    };
    const sorted = group
      .map((p) => ({ p, w: weight(p) }))
      .sort((a, b) => (a.w === b.w ? 0 : a.w < b.w ? -1 : 1) || a.p.time - b.p.time || (a.p.id < b.p.id ? -1 : a.p.id > b.p.id ? 1 : 0));
    sorted.forEach(({ p }, order) => {
      orders.set(p.key, order);
      nodes.push({
        key: p.key,
        kind: p.kind,
        id: p.id,
        label: p.label,
        detail: p.detail,
        production: p.production,
        layer,
        order,
        x: PAD + layer * (NODE_WIDTH + GAP_X),
        y: PAD + order * (NODE_HEIGHT + GAP_Y),
      });
    });
  });
  const layerCount = byLayer.length;
  const tallest = Math.max(0, ...byLayer.map((g) => g.length));
  return {
    nodes,
    edges,
    width: layerCount === 0 ? 0 : 2 * PAD + layerCount * NODE_WIDTH + (layerCount - 1) * GAP_X,
    height: tallest === 0 ? 0 : 2 * PAD + tallest * NODE_HEIGHT + (tallest - 1) * GAP_Y,
    versionCount,
    runCount,
  };
}

/** One sentence for screen readers: what the picture shows. */
export function lineageSummary(graph: LineageGraph): string {
  const versions = graph.nodes.filter((n) => n.kind === 'version');
  const production = versions.filter((n) => n.production !== null).length;
  const imported = versions.filter((n) => n.production === null && !graph.edges.some((e) => e.to === n.key)).length;
  const derived = graph.versionCount - imported - production;
  const traffic = production > 0 ? `, ${production} from production traffic` : '';
  return (
    `Lineage: ${plural(graph.versionCount, 'dataset version')} (${imported} imported, ${derived} derived${traffic}) ` +
    `and ${plural(graph.runCount, 'run')} trained on them.`
  );
}

/** The graph as text lines, one per node, for the list shown alongside the picture. */
export function lineageOutline(graph: LineageGraph): { key: string; text: string }[] {
  const byKey = new Map(graph.nodes.map((n) => [n.key, n]));
  const names = (keys: string[]) => keys.map((k) => `"${byKey.get(k)?.label ?? k}"`).join(', ');
  return graph.nodes.map((node) => {
    const from = graph.edges.filter((e) => e.to === node.key).map((e) => e.from);
    const to = graph.edges.filter((e) => e.from === node.key);
    if (node.kind === 'run') {
      return { key: node.key, text: `Run "${node.label}": trained on ${from.length > 0 ? names(from) : 'a version no longer listed'}.` };
    }
    // A production version is named by its traffic first: its parent is the lineage it joins, not where its rows came from.
    const parts = node.production
      ? [node.production, ...(from.length > 0 ? [`in the lineage of ${names(from)}`] : [])]
      : [from.length > 0 ? `derived from ${names(from)}` : 'imported'];
    const children = to.filter((e) => e.kind === 'derived').map((e) => e.to);
    const users = to.filter((e) => e.kind === 'trained').map((e) => e.to);
    if (children.length > 0) parts.push(`parent of ${names(children)}`);
    parts.push(users.length > 0 ? `used by ${names(users)}` : 'used by no run');
    return { key: node.key, text: `Version "${node.label}" (${node.id.slice(0, 12)}): ${parts.join('; ')}.` };
  });
}
