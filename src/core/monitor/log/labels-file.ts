// Reads a labels file: CSV (or any separator the import detects) with columns request_id and label, a JSON array of
// { "request_id": ..., "label": ... } objects, or JSON lines. CSV goes through the import's own reader
// (serving/csv.js), so quoting and separators behave as they do for data. Rows that cannot be labels are skipped and
// named; a file that cannot be read at all is refused with the reason.

import { CsvError, parseCsvText } from '../../serving/csv.js';
import type { LateLabel } from './labels';

export interface LabelsFile {
  labels: LateLabel[];
  /** Rows skipped, each located (first MAX_FILE_PROBLEMS). */
  problems: string[];
  skipped: number;
}

export const MAX_FILE_PROBLEMS = 20;

const ID_NAMES = ['request_id', 'requestid', 'request id'];
const LABEL_NAMES = ['label'];
const WHOLE = /^\d+$/;

class Collector {
  readonly labels: LateLabel[] = [];
  readonly problems: string[] = [];
  skipped = 0;

  constructor(private readonly at: number) {}

  add(where: string, id: unknown, label: unknown): void {
    const requestId = typeof id === 'number' ? id : typeof id === 'string' && WHOLE.test(id.trim()) ? Number(id.trim()) : NaN;
    if (!Number.isSafeInteger(requestId) || requestId < 0) {
      return this.skip(`${where}: request_id ${JSON.stringify(id ?? null)} is not a whole number.`);
    }
    if (typeof label === 'number' ? !Number.isFinite(label) : typeof label !== 'string' || label.trim() === '') {
      return this.skip(`${where}: request ${requestId} has no label.`);
    }
    this.labels.push({ requestId, label: label as string | number, at: this.at, where });
  }

  skip(message: string): void {
    this.skipped++;
    if (this.problems.length < MAX_FILE_PROBLEMS) this.problems.push(message);
  }

  result(): LabelsFile {
    return { labels: this.labels, problems: this.problems, skipped: this.skipped };
  }
}

function findColumn(header: readonly string[], names: readonly string[]): number {
  return header.findIndex((h) => names.includes(h.trim().toLowerCase()));
}

function missingColumns(fileName: string, header: readonly string[], id: number, label: number): Error | null {
  const missing = [id < 0 ? 'request_id' : null, label < 0 ? 'label' : null].filter((m) => m !== null);
  if (missing.length === 0) return null;
  const found = header.length === 0 ? 'none' : header.map((h) => `"${h}"`).join(', ');
  return new Error(`The labels file "${fileName}" has no ${missing.join(' or ')} column (its columns: ${found}).`);
}

function readCsv(text: string, fileName: string, collector: Collector): void {
  let table;
  try {
    table = parseCsvText(text, fileName);
  } catch (e) {
    if (e instanceof CsvError) throw new Error(`The labels file "${fileName}" cannot be read: ${e.message}`);
    throw e;
  }
  const id = findColumn(table.header, ID_NAMES);
  const label = findColumn(table.header, LABEL_NAMES);
  const missing = missingColumns(fileName, table.header, id, label);
  if (missing) throw missing;
  table.rows.forEach((cells, i) => collector.add(`line ${table.lines[i]}`, cells[id], cells[label]));
}

function fieldOf(record: Record<string, unknown>, names: readonly string[]): unknown {
  const key = Object.keys(record).find((k) => names.includes(k.trim().toLowerCase()));
  return key === undefined ? undefined : record[key];
}

function addRecord(where: string, record: unknown, collector: Collector): void {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    collector.skip(`${where}: not an object with request_id and label.`);
    return;
  }
  const fields = record as Record<string, unknown>;
  collector.add(where, fieldOf(fields, ID_NAMES), fieldOf(fields, LABEL_NAMES));
}

function readJson(text: string, fileName: string, collector: Collector): void {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    let items: unknown;
    try {
      items = JSON.parse(text);
    } catch (e) {
      throw new Error(`The labels file "${fileName}" is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    (items as unknown[]).forEach((item, i) => addRecord(`item ${i + 1}`, item, collector));
    return;
  }
  // JSON lines: one object per line, blank lines skipped.
  text.split(/\r\n|\n|\r/).forEach((line, i) => {
    if (line.trim() === '') return;
    let item: unknown;
    try {
      item = JSON.parse(line);
    } catch {
      collector.skip(`line ${i + 1}: not valid JSON.`);
      return;
    }
    addRecord(`line ${i + 1}`, item, collector);
  });
}

/** Labels from a file's text; every label gets the time `at` (when the file was loaded). */
export function parseLabelsText(text: string, fileName: string, at: number): LabelsFile {
  if (text.trim() === '') throw new Error(`The labels file "${fileName}" is empty.`);
  const collector = new Collector(at);
  const json = /\.(json|jsonl|ndjson)$/i.test(fileName) || /^\s*[[{]/.test(text);
  if (json) readJson(text, fileName, collector);
  else readCsv(text, fileName, collector);
  const result = collector.result();
  if (result.labels.length === 0 && result.skipped > 0 && json) {
    // A JSON file in which nothing had the two fields is most likely named differently: say what was expected.
    throw new Error(`The labels file "${fileName}" holds no request_id and label pairs: ${result.problems[0]}`);
  }
  return result;
}
