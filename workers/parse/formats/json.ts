// JSON (an array of objects) and JSON Lines (one object per line) into a RecordCollector.

import type { TextEncodingName } from '../../../src/core/data/text-decode';
import { RecordCollector } from './records';
import { streamText } from './text-stream';
import type { Job, TextResult } from './text-stream';

export type RecordsResult = RecordCollector | Exclude<TextResult, 'done'>;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** V8 says "... at position N"; turn that into a line and column a person can find. */
function syntaxMessage(e: unknown, text: string): string {
  const message = e instanceof Error ? e.message : String(e);
  const at = /position (\d+)/.exec(message);
  if (!at || /line \d+/.test(message)) return message;
  const position = Number(at[1]);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `${message} (line ${line}, column ${position - lineStart + 1})`;
}

export async function readJson(
  file: Blob,
  fileName: string,
  encoding: TextEncodingName,
  job: Job,
  onBytes: (bytesRead: number) => void,
): Promise<RecordsResult> {
  const parts: string[] = [];
  const result = await streamText(file, encoding, job, onBytes, (text) => {
    parts.push(text);
    return null;
  });
  if (result !== 'done') return result;
  let text: string;
  let data: unknown;
  try {
    text = parts.join('');
  } catch {
    return { error: `"${fileName}" is too large to read as one JSON text in this browser. Save it as JSON Lines (one object per line).` };
  }
  parts.length = 0;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { error: `"${fileName}" is not valid JSON: ${syntaxMessage(e, text)}.` };
  }
  if (!Array.isArray(data)) {
    return {
      error: `"${fileName}" is JSON but not an array of objects: it is ${kindOf(data)}. Loopbench expects [{"column": value, ...}, ...].`,
    };
  }
  const records = new RecordCollector(fileName);
  for (let i = 0; i < data.length; i++) {
    const item: unknown = data[i];
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      return { error: `"${fileName}": item ${i + 1} of the array is ${kindOf(item)}, not an object. Every item must be {"column": value, ...}.` };
    }
    const error = records.add(item, 0);
    if (error !== null) return { error };
  }
  return records;
}

export async function readJsonLines(
  file: Blob,
  fileName: string,
  encoding: TextEncodingName,
  job: Job,
  onProgress: (bytesRead: number, rows: number) => void,
): Promise<RecordsResult> {
  const records = new RecordCollector(fileName);
  let carry = '';
  let line = 0;
  const take = (text: string): string | null => {
    line++;
    if (text.trim() === '') return null;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      return `"${fileName}" line ${line} is not valid JSON: ${e instanceof Error ? e.message : String(e)}.`;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return `"${fileName}" line ${line} is ${kindOf(value)}, not an object. In JSON Lines every line is one {"column": value, ...}.`;
    }
    return records.add(value, line);
  };
  const result = await streamText(
    file,
    encoding,
    job,
    (bytes) => onProgress(bytes, records.rowCount),
    (text) => {
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        const piece = carry + text.slice(start, nl);
        carry = '';
        const error = take(piece);
        if (error !== null) return error;
        start = nl + 1;
      }
      carry += text.slice(start);
      // One object per line: a line this long is not JSON Lines (or is one huge value).
      if (carry.length > 16 * 1024 * 1024) return `"${fileName}" line ${line + 1} is longer than 16 MB; is it really JSON Lines?`;
      return null;
    },
  );
  if (result !== 'done') return result;
  if (carry !== '') {
    const error = take(carry);
    if (error !== null) return { error };
  }
  return records;
}
