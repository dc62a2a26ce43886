// What a request to make a dataset version from production traffic must hold, and the words for what went wrong or what
// the user should know: the parse worker checks a request here before it reads the log, and words its answer here.

import type { CellProblem, DatasetChoices, ProductionVersionRequest } from '../../contracts/parse';
import { dateText } from '../../serving/dates.js';
import { DEFAULT_READ_FORMAT, type ColumnType } from '../../shared/types';
import type { TrafficRows } from './traffic-rows';

/** Not tied to a line of a file: line 0, no cell value. */
const problem = (message: string, column = ''): CellProblem => ({ column, line: 0, value: '', message });

/** Every field that is wrong, each named, so a bad request says which field rather than making an empty version. */
export function checkProductionRequest(request: ProductionVersionRequest): CellProblem[] {
  const out: CellProblem[] = [];
  const text = (value: unknown) => typeof value === 'string' && value.trim() !== '';
  if (!text(request.databaseName)) out.push(problem('databaseName is empty.'));
  if (!text(request.projectId)) out.push(problem('projectId is empty.'));
  if (!text(request.modelName)) out.push(problem('modelName is empty.'));
  if (!Number.isInteger(request.modelVersion) || request.modelVersion < 1) out.push(problem(`modelVersion ${String(request.modelVersion)} is not 1, 2, ...`));
  if (typeof request.from !== 'number' || typeof request.to !== 'number' || Number.isNaN(request.from) || Number.isNaN(request.to)) {
    out.push(problem('from and to must be times in ms (-Infinity and Infinity for the whole log).'));
  } else if (!(request.from < request.to)) {
    out.push(problem(`The range is empty: from (${timeText(request.from)}) is not before to (${timeText(request.to)}).`));
  }
  if (typeof request.labelledOnly !== 'boolean') out.push(problem('labelledOnly must be true or false.'));
  out.push(...labelsProblems(request.labels));
  if (!text(request.parentId)) out.push(problem('parentId names no dataset version.'));
  if (!text(request.name)) out.push(problem('The new version needs a name.'));
  if (!Array.isArray(request.schema) || request.schema.length === 0) {
    out.push(problem('The schema to read the traffic with has no columns.'));
    return out;
  }
  const target = request.schema.find((c) => c.name === request.target);
  if (!target) out.push(problem(`The target column "${request.target}" is not in the schema.`, request.target));
  else if (target.role !== 'target') out.push(problem(`"${request.target}" is the target, but the schema gives it the role "${target.role}".`, request.target));
  for (const c of request.schema) {
    // The log keeps a request's raw values, never pixels: an image model's traffic cannot become a version.
    if (c.type === 'image') out.push(problem(`Column "${c.name}" holds images, which the request log does not keep.`, c.name));
  }
  return out;
}

function labelsProblems(labels: ProductionVersionRequest['labels']): CellProblem[] {
  if (labels === undefined || labels === 'truth') return [];
  if (typeof labels !== 'object' || labels === null || labels.kind !== 'self') return [problem(`labels must be "truth" or { kind: "self", … }, not ${JSON.stringify(labels)}.`)];
  const out: CellProblem[] = [];
  const share = (name: 'selfLabelShare' | 'unsureBelow') => {
    const v = labels[name];
    if (!(typeof v === 'number' && v >= 0 && v <= 1)) out.push(problem(`labels.${name} must be a share from 0 to 1 (got ${String(v)}).`));
  };
  share('selfLabelShare');
  share('unsureBelow');
  if (!Number.isInteger(labels.seed)) out.push(problem(`labels.seed must be a whole number (got ${String(labels.seed)}).`));
  if (typeof labels.now !== 'number' || Number.isNaN(labels.now)) out.push(problem('labels.now must be a time in ms (Infinity: every label that ever arrives).'));
  return out;
}

/** A time of the log's clock as ISO text; an open end as the end of the log it stands for. */
export function timeText(ms: number): string {
  if (ms === -Infinity) return 'the start of the log';
  if (ms === Infinity) return 'the end of the log';
  return dateText(ms, false);
}

function rangeText(request: Pick<ProductionVersionRequest, 'from' | 'to'>): string {
  return request.from === -Infinity && request.to === Infinity ? 'in the whole log' : `between ${timeText(request.from)} and ${timeText(request.to)}`;
}

/** Why the rows cannot make a version (nothing in range, nothing labelled), or null when they can. */
export function trafficProblem(request: ProductionVersionRequest, rows: TrafficRows): CellProblem | null {
  const model = `"${request.modelName}" v${request.modelVersion}`;
  if (rows.inRange === 0) return problem(`No request served by ${model} was logged ${rangeText(request)}.`);
  if (rows.labelled === 0 && rows.selfLabelled) {
    return problem(
      `No request of ${model} ${rangeText(request)} got a label: of ${rows.inRange}, the model answered none it was to label, ` +
        'and no true label had arrived for the others.',
      request.target,
    );
  }
  if (rows.labelled === 0) {
    const served = `${rows.inRange} request${rows.inRange === 1 ? '' : 's'}`;
    return problem(
      `No labelled request of ${model} ${rangeText(request)}: ${served}, none labelled yet. ` +
        'A version needs labels to train on: load the labels (Monitor → Traffic) or choose a range they reach.',
      request.target,
    );
  }
  return null;
}

/** What the user should know about a version made from the rows: cells the model could not read are missing in it. */
export function trafficNotes(rows: TrafficRows, types: ReadonlyMap<string, ColumnType>): string[] {
  return [...selfLabelNotes(rows), ...unreadableNotes(rows, types)];
}

/** How a self-labelled version got its target: the lineage says production, this says whose answers. */
function selfLabelNotes(rows: TrafficRows): string[] {
  const counts = rows.selfLabelled;
  if (!counts) return [];
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const notes = [
    `${plural(counts.selfLabelled, 'request is', 'requests are')} labelled with the model's own answer` +
      (counts.defaulted > 0 ? `, ${counts.defaulted} of them, where it was unsure, with its most common answer (${String(counts.topClass)})` : '') +
      `; ${counts.trueLabelled} with the true label.`,
  ];
  if (counts.unlabelled > 0) notes.push(`${plural(counts.unlabelled, 'request', 'requests')} in range had no label to train on and ${counts.unlabelled === 1 ? 'is' : 'are'} left out.`);
  return notes;
}

function unreadableNotes(rows: TrafficRows, types: ReadonlyMap<string, ColumnType>): string[] {
  return [...rows.unreadable].map(([column, n]) => {
    const type = types.get(column) ?? 'value';
    return `${n} logged value${n === 1 ? '' : 's'} of "${column}" could not be read as ${type === 'date' ? 'a date' : `a ${type}`}, as the model could not; ${n === 1 ? 'it is' : 'they are'} missing in the version.`;
  });
}

/**
 * The build choices for the rows: the training data's types and roles (so an unseen category is just a new category),
 * its split, and the canonical spelling TrafficCollector wrote the cells in.
 */
export function trafficChoices(request: ProductionVersionRequest, task: NonNullable<TrafficRows['task']>): DatasetChoices {
  const types: Record<string, ColumnType> = {};
  const roles: DatasetChoices['roles'] = {};
  for (const c of request.schema) {
    // Own keys through defineProperty: a column may be called "__proto__".
    Object.defineProperty(types, c.name, { value: c.type, enumerable: true, writable: true, configurable: true });
    Object.defineProperty(roles, c.name, { value: c.role, enumerable: true, writable: true, configurable: true });
  }
  return { name: request.name, task, target: request.target, types, roles, split: request.split, format: DEFAULT_READ_FORMAT };
}
