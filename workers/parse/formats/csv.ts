// Delimited text (CSV, TSV, semicolon or pipe separated) streamed into a RowCollector.

import type { TextEncodingName } from '../../../src/core/data/text-decode';
import { RowCollector } from '../csv-rows';
import { CsvTokenizer, detectDelimiter } from './csv-tokenizer';
import { streamText } from './text-stream';
import { MAX_ROWS } from './limits';
import type { Job, TextResult } from './text-stream';

const SNIFF_CHARS = 64 * 1024;

export type CsvResult = { rows: RowCollector; delimiter: string } | Exclude<TextResult, 'done'>;

/**
 * Rows the whole file probably has, judged by the line length of its first characters (taken as
 * bytes, which ASCII-heavy tables nearly are): sizing the columns once saves growing them by
 * doubling, which copies each column several times. Rows past the estimate still fit.
 */
function expectedRows(sample: string, fileBytes: number): number {
  const length = Math.min(sample.length, SNIFF_CHARS);
  let lines = 0;
  for (let i = sample.indexOf('\n'); i >= 0 && i < length; i = sample.indexOf('\n', i + 1)) lines++;
  if (lines < 2) return 0;
  return Math.min(MAX_ROWS + 1, Math.ceil((fileBytes / length) * lines * 1.02));
}

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
  const preferTab = /\.(tsv|tab)$/i.test(fileName);
  // Held in an object: the callbacks below set it, which plain `let` narrowing would not see.
  const state: { tokenizer: CsvTokenizer | null; rows: RowCollector; delimiter: string; pending: string } = {
    tokenizer: null,
    rows: new RowCollector(fileName),
    delimiter: ',',
    pending: '',
  };

  const start = (sample: string, complete: boolean): CsvTokenizer => {
    // The first 64 K characters are plenty to judge by, and bound the work of judging.
    state.delimiter = detectDelimiter(sample.slice(0, SNIFF_CHARS), complete && sample.length <= SNIFF_CHARS, preferTab);
    state.rows = new RowCollector(fileName, complete ? 0 : expectedRows(sample, file.size));
    state.tokenizer = new CsvTokenizer(state.delimiter.charCodeAt(0), state.rows);
    return state.tokenizer;
  };

  const result = await streamText(
    file,
    encoding,
    job,
    (bytes) => onProgress(bytes, state.rows.rowCount),
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
  return { rows: state.rows, delimiter: state.delimiter };
}
