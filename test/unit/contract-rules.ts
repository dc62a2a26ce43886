// Rules on the worker contracts (src/core/contracts/), checked on resolved imports: the contracts form no import
// cycle, and each worker entry point reaches only its own contract (and the shared ones) through everything it
// imports, so a worker cannot come to depend on another worker's protocol by way of a helper.

import { posix } from 'node:path';
import { importsOf, type SourceFile } from './import-rules';

export const CONTRACTS = 'src/core/contracts/';
/** What workers share: version names, progress events, the trained model as data, failures. */
export const SHARED_CONTRACTS = ['dataset', 'events', 'model', 'outcomes'];
/** Each entry point's own contract. */
export const ENTRY_CONTRACTS: Record<string, string> = {
  'workers/parse.worker.ts': 'parse',
  'workers/train.worker.ts': 'train',
  'workers/predict.worker.ts': 'predict',
  'workers/analysis.worker.ts': 'analysis',
  'workers/image-import.worker.ts': 'images',
};

/** The file a relative specifier names among `paths` (bundler resolution: `.js` may stand for `.ts`, folders for index). */
function resolveIn(paths: Set<string>, specifier: string, from: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = posix.normalize(posix.join(posix.dirname(from), specifier.replace(/\?.*$/, '')));
  const candidates = [base, `${base}.ts`, base.replace(/\.js$/, '.ts'), `${base}/index.ts`, `${base}.svelte.ts`];
  return candidates.find((c) => paths.has(c));
}

/** Every file's resolved imports (type-only ones too: a cycle of types is still a cycle a reader must untangle). */
export function importGraph(files: SourceFile[]): Map<string, string[]> {
  const paths = new Set(files.map((f) => f.path));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = importsOf(file.path, file.source).flatMap((ref) => resolveIn(paths, ref.specifier, file.path) ?? []);
    graph.set(file.path, [...new Set(targets)]);
  }
  return graph;
}

/** The import cycles reachable from `roots`, each as the files around it (the first repeated at the end). */
export function cyclesFrom(graph: Map<string, string[]>, roots: string[]): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (node: string): void => {
    if (onStack.has(node)) {
      cycles.push([...stack.slice(stack.indexOf(node)), node]);
      return;
    }
    if (done.has(node)) return;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) visit(next);
    stack.pop();
    onStack.delete(node);
    done.add(node);
  };
  for (const root of roots) visit(root);
  return cycles;
}

/** Everything `root` imports, directly or not. */
export function reachable(graph: Map<string, string[]>, root: string): Set<string> {
  const seen = new Set<string>();
  const pending = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    for (const next of graph.get(node) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        pending.push(next);
      }
    }
  }
  return seen;
}

/** Problems with the contracts: cycles among the files they reach, and entry points that reach another's contract. */
export function checkContracts(files: SourceFile[]): string[] {
  const graph = importGraph(files);
  const contracts = files.map((f) => f.path).filter((p) => p.startsWith(CONTRACTS));
  const problems = cyclesFrom(graph, contracts).map((cycle) => `import cycle: ${cycle.join(' -> ')}`);
  for (const [entry, own] of Object.entries(ENTRY_CONTRACTS)) {
    if (!graph.has(entry)) continue;
    for (const path of reachable(graph, entry)) {
      if (!path.startsWith(CONTRACTS)) continue;
      const name = posix.basename(path, '.ts');
      if (name !== own && !SHARED_CONTRACTS.includes(name)) problems.push(`${entry} reaches ${path}, not its contract`);
    }
  }
  return problems;
}
