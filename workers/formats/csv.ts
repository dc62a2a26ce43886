// Delimited text (CSV, TSV, semicolon or pipe separated) streamed into a RowCollector.

import type { TextEncodingName } from '../../src/core/text-decode';
import { RowCollector } from '../csv-rows';
import { CsvTokenizer, detectDelimiter } from './csv-tokenizer';
import { streamText } from './text-stream';
import type { Job, TextResult } from './text-stream';

const SNIFF_CHARS = 64 * 1024;

export type CsvResult = { rows: RowCollector; delimiter: string } | Exclude<TextResult, 'done'>;

/**
 * Streams the file through the tokenizer. The separator is chosen from the first chunk of text,
 * which (at 64 KB or more) holds enough rows to see which separator splits them consistently.
 */
export async function readDelimited(
  file: Blob,
  fileName: string,
  encoding: TextEncodingName,
  job: Job,
  onProgress: (bytesRead: number, rows: number) => void,
): Promise<CsvResult> {
  const rows = new RowCollector(fileName);
  const preferTab = /\.(tsv|tab)$/i.test(fileName);
  // Held in an object: the callbacks below set it, which plain `let` narrowing would not see.
  const state: { tokenizer: CsvTokenizer | null; delimiter: string; pending: string } = {
    tokenizer: null,
    delimiter: ',',
    pending: '',
  };
  const sink = (fields: string[], line: number) => rows.add(fields, line);

  const start = (sample: string, complete: boolean): CsvTokenizer => {
    // The first 64 K characters are plenty to judge by, and bound the work of judging.
    state.delimiter = detectDelimiter(sample.slice(0, SNIFF_CHARS), complete && sample.length <= SNIFF_CHARS, preferTab);
    state.tokenizer = new CsvTokenizer(state.delimiter.charCodeAt(0), sink);
    return state.tokenizer;
  };

  const result = await streamText(
    file,
    encoding,
    job,
    (bytes) => onProgress(bytes, rows.rowCount),
    (text) => {
      if (state.tokenizer !== null) return state.tokenizer.push(text);
      // Gather enough text to judge the separator before tokenizing anything.
      state.pending += text;
      if (state.pending.length < SNIFF_CHARS) return null;
      const sample = state.pending;
      state.pending = '';
      return start(sample, false).push(sample);
    },
  );
  if (result !== 'done') return result;
  let tokenizer = state.tokenizer;
  if (tokenizer === null) {
    tokenizer = start(state.pending, true);
    const error = tokenizer.push(state.pending);
    if (error !== null) return { error };
  }
  const error = tokenizer.finish();
  if (error !== null) return { error };
  return { rows, delimiter: state.delimiter };
}
