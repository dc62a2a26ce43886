// Closing the loop (issue 16): the served requests of one model version, in a time range, as the raw table a dataset
// version is built from. Chunks are added one at a time, so a worker can read a long log chunk by chunk and let each go.
//
// Every input cell is read as the model read it when serving (src/core/serving/transform.js and dates.js, in the
// training data's format) and written back in one canonical spelling: numbers in plain '.' notation, dates as ISO text,
// categories trimmed. The table is then built with DEFAULT_READ_FORMAT, so a logged 1.5 is 1.5 in the version whatever
// the training file's decimal mark was. A cell the model could not read (text in a number column) is missing in the
// version and counted, rather than refusing the whole traffic for one bad request.
//
// With self labels (a feedback loop), the target is not the logged truth but what the core's selfLabels gives each
// request from the model's own logged answer and confidence; that needs the range's most common answer, so every row
// in range is held until `result` and the rows left without a label are dropped there.

import { categoryValue, missingValue, numberValue } from '../../serving/transform.js';
import { dateCell } from '../../serving/dates.js';
import type { TextTable } from '../../data/type-guess';
import type { ColumnSchema, ReadFormat, RawValue } from '../../shared/types';
import type { TrafficLabels } from '../../contracts/parse';
import { selfLabels, type ModelAnswer, type RequestLabels } from '../scenarios/feedback';
import { inputColumn, inputValue, labelKnown, labelOf, outputOf, probabilitiesOf } from '../log/chunk-read';
import type { InputColumn, LogTask, RequestChunk } from '../log/types';

export interface TrafficSpec {
  /** Rows with from <= at < to. */
  from: number;
  to: number;
  labelledOnly: boolean;
  /** The version's columns, in order; the target column is filled from the labels, the others from the inputs. */
  schema: readonly ColumnSchema[];
  target: string;
  /** How the model read text cells. */
  format: ReadFormat;
  /** Where the target comes from (default 'truth'); with 'self', `labelledOnly` is not read. */
  labels?: TrafficLabels;
}

/** How a self-labelled table's target was filled (SelfLabelled's counts), and the answer used where the model was unsure. */
export type SelfLabelCounts = Omit<RequestLabels, 'labels'>;

export interface TrafficRows {
  table: TextTable;
  /** The log's task (classification or regression); null when no row was in range. */
  task: LogTask | null;
  /** Served requests in the range, whether taken or not. */
  inRange: number;
  /** Rows taken into the table, and how many of them have a label. */
  requests: number;
  labelled: number;
  /** Earliest and newest request time among the rows taken (Infinity and -Infinity when none). */
  first: number;
  last: number;
  /** Per column: present cells the model could not read as the column's type, now missing. */
  unreadable: Map<string, number>;
  /** With self labels: how the rows in range were labelled. */
  selfLabelled?: SelfLabelCounts;
}

/** What a self-labelled collection holds per row in range until the labels are known. */
interface HeldRow {
  id: number;
  answer: ModelAnswer;
  label: RawValue;
  labelAt: number | null;
  at: number;
  /** Schema indexes of cells the model could not read. */
  unreadable: number[];
}

/** Reads one raw cell as the model does and spells it the one way the table is built from ('' when missing). */
type CellWriter = (raw: RawValue) => { text: string; unreadable: boolean };

function writerFor(column: ColumnSchema, format: ReadFormat): CellWriter {
  if (column.type === 'number') {
    return (raw) => {
      const v = numberValue(raw, format.number);
      return Number.isNaN(v) ? { text: '', unreadable: !missingValue(raw) } : { text: String(v), unreadable: false };
    };
  }
  if (column.type === 'date') {
    return (raw) => {
      const iso = dateCell(raw, format.dayFirst);
      return iso === null ? { text: '', unreadable: !missingValue(raw) } : { text: iso, unreadable: false };
    };
  }
  return (raw) => ({ text: categoryValue(raw) ?? '', unreadable: false });
}

export class TrafficCollector {
  readonly #spec: TrafficSpec;
  readonly #writers: CellWriter[];
  readonly #targetIndex: number;
  readonly #cells: string[][];
  readonly #unreadable: number[];
  #task: LogTask | null = null;
  #inRange = 0;
  #labelled = 0;
  #first = Infinity;
  #last = -Infinity;
  /** Self labels only: every row in range, in the order of `#cells`, until `result` labels them. */
  readonly #held: HeldRow[] | null;
  #selfCounts: SelfLabelCounts | undefined;

  constructor(spec: TrafficSpec) {
    this.#spec = spec;
    this.#writers = spec.schema.map((c) => writerFor(c, spec.format));
    this.#targetIndex = spec.schema.findIndex((c) => c.name === spec.target);
    if (this.#targetIndex < 0) throw new Error(`The target column "${spec.target}" is not in the schema the traffic is read with.`);
    this.#cells = spec.schema.map(() => []);
    this.#unreadable = spec.schema.map(() => 0);
    this.#held = spec.labels !== undefined && spec.labels !== 'truth' ? [] : null;
  }

  /** Takes the chunk's serving rows in range (a shadow chunk's rows were never answered to anyone: skipped). */
  add(chunk: RequestChunk): void {
    if (chunk.role !== 'serving') return;
    if (this.#task !== null && chunk.task !== this.#task) {
      throw new Error(`The log of "${chunk.modelName}" v${chunk.modelVersion} mixes ${this.#task} and ${chunk.task} chunks.`);
    }
    const { from, to, labelledOnly, schema } = this.#spec;
    // Looked up once per chunk: a chunk that never logged a column gives missing cells for it.
    const inputs: (InputColumn | undefined)[] = schema.map((c, i) => (i === this.#targetIndex ? undefined : inputColumn(chunk, c.name)));
    for (let row = 0; row < chunk.rows; row++) {
      const at = chunk.at[row];
      if (!(at >= from && at < to)) continue;
      this.#task = chunk.task;
      this.#inRange++;
      if (this.#held) {
        this.#hold(chunk, row, inputs);
        continue;
      }
      const known = labelKnown(chunk, row);
      if (labelledOnly && !known) continue;
      if (known) this.#labelled++;
      if (at < this.#first) this.#first = at;
      if (at > this.#last) this.#last = at;
      for (let c = 0; c < schema.length; c++) {
        if (c === this.#targetIndex) {
          const label = known ? labelOf(chunk, row) : null;
          this.#cells[c].push(label === null ? '' : String(label));
          continue;
        }
        const column = inputs[c];
        const cell = this.#writers[c](column ? inputValue(column, row) : null);
        if (cell.unreadable) this.#unreadable[c]++;
        this.#cells[c].push(cell.text);
      }
    }
  }

  /** A self-labelled row in range: its cells now, its label once the whole range is known. */
  #hold(chunk: RequestChunk, row: number, inputs: readonly (InputColumn | undefined)[]): void {
    const unreadable: number[] = [];
    for (let c = 0; c < this.#spec.schema.length; c++) {
      if (c === this.#targetIndex) {
        this.#cells[c].push('');
        continue;
      }
      const column = inputs[c];
      const cell = this.#writers[c](column ? inputValue(column, row) : null);
      if (cell.unreadable) unreadable.push(c);
      this.#cells[c].push(cell.text);
    }
    const probabilities = probabilitiesOf(chunk, row);
    const known = labelKnown(chunk, row);
    this.#held!.push({
      id: chunk.ids[row],
      answer: { output: outputOf(chunk, row), confidence: probabilities ? Math.max(...probabilities) : null },
      label: known ? labelOf(chunk, row) : null,
      labelAt: known ? chunk.labelAt[row] : null,
      at: chunk.at[row],
      unreadable,
    });
  }

  /** Labels the held rows and keeps the labelled ones, in order. */
  #labelHeld(held: readonly HeldRow[]): SelfLabelCounts {
    const spec = this.#spec.labels;
    if (spec === undefined || spec === 'truth') throw new Error('Self labels were not asked for.');
    // The draw of which rows the model labels is per request id: the log does not keep a replay's seq.
    const requests = held.map((h) => ({ seq: h.id, label: h.label, labelAt: h.labelAt }));
    const options = { target: this.#spec.target, seed: spec.seed, selfLabelShare: spec.selfLabelShare, unsureBelow: spec.unsureBelow, now: spec.now };
    const { labels, ...counts } = selfLabels(requests, held.map((h) => h.answer), options);
    const keep = labels.map((label) => label !== null);
    this.#cells.forEach((cells, c) => {
      this.#cells[c] = c === this.#targetIndex ? labels.filter((l) => l !== null).map(String) : cells.filter((_, r) => keep[r]);
    });
    held.forEach((h, r) => {
      if (!keep[r]) return;
      this.#labelled++;
      if (h.at < this.#first) this.#first = h.at;
      if (h.at > this.#last) this.#last = h.at;
      for (const c of h.unreadable) this.#unreadable[c]++;
    });
    return counts;
  }

  result(): TrafficRows {
    // Labelling drops rows from the cells: done once, however often the result is asked for.
    if (this.#held && this.#selfCounts === undefined) this.#selfCounts = this.#labelHeld(this.#held);
    const selfLabelled = this.#selfCounts;
    const { schema } = this.#spec;
    const rowCount = this.#cells[0]?.length ?? 0;
    const unreadable = new Map<string, number>();
    schema.forEach((c, i) => {
      if (this.#unreadable[i] > 0) unreadable.set(c.name, this.#unreadable[i]);
    });
    return {
      table: { header: schema.map((c) => c.name), columns: this.#cells, rowCount, lines: new Int32Array(rowCount) },
      task: this.#task,
      inRange: this.#inRange,
      requests: rowCount,
      labelled: this.#labelled,
      first: this.#first,
      last: this.#last,
      unreadable,
      ...(selfLabelled ? { selfLabelled } : {}),
    };
  }
}
