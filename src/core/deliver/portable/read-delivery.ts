// Reads pipelines from text a person pasted or a file they picked: a whole delivery file or one pipeline definition.
// Every pipeline is checked by the core's validator and located in the file; the ones accepted are re-homed to the
// open project with fresh ids, so an import adds pipelines and never overwrites one. The file's audit log is history
// of another workspace and is not read.

import { checkPipeline } from '../pipeline/check-pipeline';
import type { PipelineDefinition, PipelineProblem } from '../pipeline/types';
import { DELIVERY_FORMAT, DELIVERY_VERSION } from './delivery-file';

export type DeliveryRead = { ok: true; pipelines: PipelineDefinition[] } | { ok: false; problems: PipelineProblem[] };

type Fields = Record<string, unknown>;

const isRecord = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

const under = (at: string, path: string) => (at === '' ? path : path === '' ? at : `${at}.${path}`);

/** The pipelines of the file and where each sits, or why the file holds none. */
function locate(parsed: unknown): { items: { at: string; value: unknown }[] } | { problems: PipelineProblem[] } {
  if (!isRecord(parsed) || parsed.format !== DELIVERY_FORMAT) return { items: [{ at: '', value: parsed }] };
  if (parsed.version !== DELIVERY_VERSION) {
    return { problems: [{ path: 'version', message: `this is delivery file version ${String(parsed.version)}; this Loopbench reads version ${DELIVERY_VERSION}` }] };
  }
  if (!Array.isArray(parsed.pipelines)) return { problems: [{ path: 'pipelines', message: '"pipelines" must be a list of pipeline definitions' }] };
  if (parsed.pipelines.length === 0) return { problems: [{ path: 'pipelines', message: 'the file holds no pipeline to import' }] };
  return { items: parsed.pipelines.map((value, i) => ({ at: `pipelines[${i}]`, value })) };
}

/**
 * The pipelines in `text`, each moved to `projectId` with an id from `newId()`; their ids and project in the file
 * are replaced, so a hand-written definition may leave them out.
 */
export function readDelivery(text: string, projectId: string, newId: () => string): DeliveryRead {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ path: '', message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` }] };
  }
  const found = locate(parsed);
  if ('problems' in found) return { ok: false, problems: found.problems };

  const problems: PipelineProblem[] = [];
  const pipelines: PipelineDefinition[] = [];
  const names = new Map<string, string>();
  for (const { at, value } of found.items) {
    const rehomed = isRecord(value) ? { ...value, id: newId(), projectId } : value;
    const check = checkPipeline(rehomed);
    if (!check.ok) {
      problems.push(...check.problems.map((p) => ({ path: under(at, p.path), message: p.message })));
      continue;
    }
    // Storage refuses a second pipeline of the same name; say so here, where the file can point at it.
    const key = check.pipeline.name.trim().toLowerCase();
    const first = names.get(key);
    if (first !== undefined) problems.push({ path: under(at, 'name'), message: `the name "${check.pipeline.name}" is already used by ${first}` });
    else names.set(key, at === '' ? 'the file' : at);
    pipelines.push(check.pipeline);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, pipelines };
}
