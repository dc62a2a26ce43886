// Collects served requests one at a time and seals them into a columnar chunk. A request the builder refuses leaves it
// as it was, with a message naming the request and the field, so a logging bug shows where it happened.

import type { InputWarning, RawValue } from '../../shared/types';
import {
  DEFAULT_CHUNK_ROWS,
  MAX_CHUNK_ROWS,
  MAX_CLASSES,
  WARNING_KINDS,
  type ChunkOwner,
  type InputColumn,
  type LoggedRequest,
  type RequestChunk,
  type WarningDetails,
  type WarningKind,
} from './types';

const warningBits = new Map<WarningKind, number>(WARNING_KINDS.map((kind, i) => [kind, i]));

/** Row-ordered detail of one warning before encoding. */
interface PendingWarning {
  row: number;
  warning: InputWarning;
}

/** Grows a string → code dictionary in first-seen order. */
class Dictionary {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();

  code(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.codes.set(value, code);
    }
    return code;
  }
}

export class ChunkBuilder {
  readonly owner: Readonly<ChunkOwner>;
  readonly capacity: number;
  private readonly classes: string[];
  private readonly classIndex: Map<string, number>;
  private ids: number[] = [];
  private idSet = new Set<number>();
  private at: number[] = [];
  private latency: number[] = [];
  /** Encoded as stored: class index or value; -1 / NaN for an error. */
  private output: number[] = [];
  private probabilities: (readonly number[] | null)[] = [];
  private errorCodes: number[] = [];
  private errors = new Dictionary();
  private warningMasks: number[] = [];
  private warnings: PendingWarning[] = [];
  /** Raw values per input column; a column first seen at row r is padded with nulls before it. */
  private inputs = new Map<string, RawValue[]>();
  private labels: number[] = [];
  private labelAt: number[] = [];

  constructor(owner: ChunkOwner, capacity = DEFAULT_CHUNK_ROWS) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CHUNK_ROWS) {
      throw new Error(`A request chunk holds 1 to ${MAX_CHUNK_ROWS} requests, not ${capacity}.`);
    }
    if (owner.projectId === '' || owner.modelName === '') throw new Error('A request chunk needs a project and a model name.');
    if (!Number.isInteger(owner.modelVersion) || owner.modelVersion < 1) {
      throw new Error(`Model version ${owner.modelVersion} of "${owner.modelName}" is not a version number (1, 2, ...).`);
    }
    const classes = owner.task === 'classification' ? [...(owner.classes ?? [])] : [];
    if (owner.task === 'classification') {
      if (classes.length < 2 || classes.length > MAX_CLASSES) {
        throw new Error(`A classification log needs 2 to ${MAX_CLASSES} classes; "${owner.modelName}" v${owner.modelVersion} has ${classes.length}.`);
      }
      if (new Set(classes).size !== classes.length) throw new Error(`The classes of "${owner.modelName}" v${owner.modelVersion} repeat a name.`);
    } else if ((owner.classes ?? []).length > 0) {
      throw new Error('A regression log has no classes.');
    }
    this.owner = { ...owner, classes };
    this.classes = classes;
    this.classIndex = new Map(classes.map((c, i) => [c, i]));
    this.capacity = capacity;
  }

  get size(): number {
    return this.ids.length;
  }

  get full(): boolean {
    return this.ids.length >= this.capacity;
  }

  /** Adds one request; throws (and adds nothing) when the chunk is full or the request is malformed. */
  append(request: LoggedRequest): void {
    const where = `Request ${String(request.id)}`;
    if (this.full) throw new Error(`${where}: the chunk already holds ${this.capacity} requests; seal it first.`);
    if (!Number.isSafeInteger(request.id) || request.id < 0) throw new Error(`${where}: a request id is a whole number from 0.`);
    if (this.idSet.has(request.id)) throw new Error(`${where} is already in this chunk.`);
    if (!Number.isFinite(request.at)) throw new Error(`${where}: its time is not a finite number of milliseconds.`);
    if (!(request.latencyMs >= 0) || !Number.isFinite(request.latencyMs)) {
      throw new Error(`${where}: latency ${String(request.latencyMs)} is not a finite, non-negative number of milliseconds.`);
    }
    const output = this.encodeOutput(request, where);
    const probabilities = this.checkProbabilities(request, where);
    const mask = this.maskOf(request.warnings, where);
    const label = request.label === undefined || request.label === null ? null : this.encodeLabel(request.label, where);
    const labelAt = label === null ? NaN : (request.labelAt ?? request.at);
    if (label !== null && !Number.isFinite(labelAt)) throw new Error(`${where}: its label time is not a finite number.`);
    for (const [name, value] of Object.entries(request.inputs)) {
      if (value !== null && typeof value !== 'string' && typeof value !== 'number') {
        throw new Error(`${where}: input "${name}" is ${typeof value}; raw inputs are text, numbers or null.`);
      }
    }

    const row = this.ids.length;
    this.ids.push(request.id);
    this.idSet.add(request.id);
    this.at.push(request.at);
    this.latency.push(request.latencyMs);
    this.output.push(output);
    this.probabilities.push(probabilities);
    this.errorCodes.push(request.error === undefined ? 0 : 1 + this.errors.code(request.error));
    this.warningMasks.push(mask);
    for (const warning of request.warnings) this.warnings.push({ row, warning });
    this.labels.push(label ?? (this.owner.task === 'classification' ? -1 : NaN));
    this.labelAt.push(labelAt);
    for (const [name, value] of Object.entries(request.inputs)) {
      let column = this.inputs.get(name);
      if (!column) {
        column = [];
        this.inputs.set(name, column);
      }
      while (column.length < row) column.push(null);
      column.push(value);
    }
  }

  /** The requests so far as a chunk; the builder is empty afterwards, ready for the next chunk of the same model. */
  seal(): RequestChunk {
    const rows = this.ids.length;
    if (rows === 0) throw new Error('There are no requests to seal into a chunk.');
    const { projectId, modelName, modelVersion, role } = this.owner;
    const ids = Float64Array.from(this.ids);
    const at = Float64Array.from(this.at);
    const labelAt = Float64Array.from(this.labelAt);
    const common = {
      projectId,
      modelName,
      modelVersion,
      role,
      classes: this.classes,
      rows,
      firstAt: min(at),
      lastAt: max(at),
      firstId: min(ids),
      lastId: max(ids),
      labelled: labelAt.reduce((n, t) => (Number.isNaN(t) ? n : n + 1), 0),
      ids,
      at,
      latencyMs: Float32Array.from(this.latency),
      error: Uint16Array.from(this.errorCodes),
      errors: this.errors.values,
      warnings: Uint16Array.from(this.warningMasks),
      warningDetails: this.encodeWarnings(),
      inputs: [...this.inputs].map(([name, values]) => encodeInput(name, values, rows)),
      labelAt,
    };
    const chunk: RequestChunk =
      this.owner.task === 'classification'
        ? {
            ...common,
            task: 'classification',
            output: Int16Array.from(this.output),
            probabilities: this.encodeProbabilities(),
            labels: Int16Array.from(this.labels),
          }
        : { ...common, task: 'regression', output: Float64Array.from(this.output), probabilities: null, labels: Float64Array.from(this.labels) };
    this.reset();
    return chunk;
  }

  private reset(): void {
    this.ids = [];
    this.idSet = new Set();
    this.at = [];
    this.latency = [];
    this.output = [];
    this.probabilities = [];
    this.errorCodes = [];
    this.errors = new Dictionary();
    this.warningMasks = [];
    this.warnings = [];
    this.inputs = new Map();
    this.labels = [];
    this.labelAt = [];
  }

  private encodeOutput(request: LoggedRequest, where: string): number {
    const { output, error } = request;
    if (error !== undefined) {
      if (typeof error !== 'string' || error === '') throw new Error(`${where}: an error needs a message.`);
      if (output !== null) throw new Error(`${where} has both an output and an error.`);
      return this.owner.task === 'classification' ? -1 : NaN;
    }
    if (output === null) throw new Error(`${where} has neither an output nor an error.`);
    if (this.owner.task === 'classification') {
      const index = typeof output === 'string' ? this.classIndex.get(output) : undefined;
      if (index === undefined) throw new Error(`${where}: output ${JSON.stringify(output)} is not one of the model's classes (${this.classes.join(', ')}).`);
      return index;
    }
    if (typeof output !== 'number' || !Number.isFinite(output)) {
      throw new Error(`${where}: a regression output is a finite number, not ${JSON.stringify(output)}; a failed answer is an error.`);
    }
    return output;
  }

  private encodeLabel(label: string | number, where: string): number {
    if (this.owner.task === 'classification') {
      const index = this.classIndex.get(String(label));
      if (index === undefined) throw new Error(`${where}: label ${JSON.stringify(label)} is not one of the model's classes.`);
      return index;
    }
    if (typeof label !== 'number' || !Number.isFinite(label)) throw new Error(`${where}: a regression label is a finite number.`);
    return label;
  }

  private checkProbabilities(request: LoggedRequest, where: string): readonly number[] | null {
    const { probabilities } = request;
    if (probabilities === null) return null;
    if (this.owner.task !== 'classification') throw new Error(`${where}: a regression answer has no probabilities.`);
    if (probabilities.length !== this.classes.length) {
      throw new Error(`${where}: ${probabilities.length} probabilities for ${this.classes.length} classes.`);
    }
    return probabilities;
  }

  private maskOf(warnings: readonly InputWarning[], where: string): number {
    let mask = 0;
    for (const w of warnings) {
      const bit = warningBits.get(w.kind);
      if (bit === undefined) throw new Error(`${where}: unknown warning kind ${JSON.stringify(w.kind)}.`);
      mask |= 1 << bit;
    }
    return mask;
  }

  private encodeProbabilities(): Float32Array | null {
    if (this.probabilities.every((p) => p === null)) return null;
    const width = this.classes.length;
    const out = new Float32Array(this.probabilities.length * width).fill(NaN);
    this.probabilities.forEach((p, row) => {
      if (p) out.set(p, row * width);
    });
    return out;
  }

  private encodeWarnings(): WarningDetails {
    const n = this.warnings.length;
    const strings = new Dictionary();
    const details: WarningDetails = {
      rows: new Int32Array(n),
      kinds: new Uint8Array(n),
      columns: new Int32Array(n),
      values: new Int32Array(n),
      messages: new Int32Array(n),
      strings: strings.values,
    };
    this.warnings.forEach(({ row, warning }, i) => {
      details.rows[i] = row;
      details.kinds[i] = warningBits.get(warning.kind)!;
      details.columns[i] = strings.code(warning.column);
      details.values[i] = strings.code(warning.value);
      details.messages[i] = strings.code(warning.message);
    });
    return details;
  }
}

/** Splits requests into chunks of one model version, in the order given. */
export function chunksOf(owner: ChunkOwner, requests: Iterable<LoggedRequest>, capacity = DEFAULT_CHUNK_ROWS): RequestChunk[] {
  const builder = new ChunkBuilder(owner, capacity);
  const chunks: RequestChunk[] = [];
  for (const request of requests) {
    builder.append(request);
    if (builder.full) chunks.push(builder.seal());
  }
  if (builder.size > 0) chunks.push(builder.seal());
  return chunks;
}

function encodeInput(name: string, raw: RawValue[], rows: number): InputColumn {
  let numbers = 0;
  let texts = 0;
  for (const v of raw) {
    if (typeof v === 'string') texts++;
    else if (typeof v === 'number' && !Number.isNaN(v)) numbers++;
  }
  if (numbers >= texts) {
    const values = new Float64Array(rows).fill(NaN);
    const textRows: number[] = [];
    const textValues: string[] = [];
    raw.forEach((v, row) => {
      if (typeof v === 'number') values[row] = v;
      else if (typeof v === 'string') {
        textRows.push(row);
        textValues.push(v);
      }
    });
    return { name, kind: 'number', values, text: textRows.length === 0 ? null : { rows: Int32Array.from(textRows), values: textValues } };
  }
  const dictionary = new Dictionary();
  const codes = new Int32Array(rows).fill(-1);
  const numberRows: number[] = [];
  const numberValues: number[] = [];
  raw.forEach((v, row) => {
    if (typeof v === 'string') codes[row] = dictionary.code(v);
    else if (typeof v === 'number' && !Number.isNaN(v)) {
      numberRows.push(row);
      numberValues.push(v);
    }
  });
  return {
    name,
    kind: 'text',
    codes,
    dictionary: dictionary.values,
    numbers: numberRows.length === 0 ? null : { rows: Int32Array.from(numberRows), values: Float64Array.from(numberValues) },
  };
}

function min(values: Float64Array): number {
  let m = Infinity;
  for (const v of values) if (v < m) m = v;
  return m;
}

function max(values: Float64Array): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}
