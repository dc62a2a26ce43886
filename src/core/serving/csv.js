// @ts-check
// Reads a delimited text file the way the app's import does (workers/parse/formats/csv-tokenizer.ts, csv.ts, csv-rows.ts
// and the parser's checks), so rows given to an exported model are read as the training file was: the same
// encodings, separator detection, quoting, line counting, header rules and refusals. Plain JavaScript with no
// imports: the export bundle ships it byte for byte for predict.mjs. A parity test feeds both readers generated
// files and compares every cell.

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;

export const MAX_COLUMNS = 2000;
export const MAX_FIELD_CHARS = 1024 * 1024;
/** Separators tried, in this order; the import chooses among the same four. */
export const SEPARATORS = Object.freeze([',', '\t', ';', '|']);
const SNIFF_ROWS = 30;
const SNIFF_CHARS = 64 * 1024;
/** Bytes looked at for a NUL (a binary file), as the import does. */
const HEAD_BYTES = 64 * 1024;
const MAX_RAGGED_SHOWN = 3;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A file the reader refuses, with a message saying what and where. */
export class CsvError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'CsvError';
  }
}

/**
 * @param {number} n
 * @returns {string}
 */
function thousands(n) {
  return n.toLocaleString('en-US');
}

/**
 * Line breaks inside a quoted value: "\n", "\r\n" and a lone "\r" each count once.
 * @param {string} text
 * @returns {number}
 */
function breaksIn(text) {
  let breaks = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) breaks++;
    else if (c === CR && text.charCodeAt(i + 1) !== LF) breaks++;
  }
  return breaks;
}

/**
 * Splits `text` into rows of fields. `onRow(fields, line)` gets each row with the line it starts on and may return
 * true to stop early. With `complete` false the text is a sample: an unfinished last row is left unread instead of
 * being an error. Returns an error message, or null.
 * @param {string} text
 * @param {string} separator
 * @param {(fields: string[], line: number) => boolean | void} onRow
 * @param {{ complete?: boolean, maxColumns?: number }} [options]
 * @returns {string | null}
 */
export function tokenize(text, separator, onRow, options = {}) {
  const complete = options.complete ?? true;
  const maxColumns = options.maxColumns ?? MAX_COLUMNS;
  const d = separator.charCodeAt(0);
  const n = text.length;
  /** @type {string[]} */
  let fields = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  // 0 field start, 1 quoted, 2 quote seen, 3 after the closing quote
  let state = 0;
  let stopped = false;

  /** @returns {string | null} */
  const endField = () => {
    if (fields.length >= maxColumns) return `Line ${rowLine} has more than ${thousands(MAX_COLUMNS)} columns; Loopbench imports at most ${thousands(MAX_COLUMNS)}.`;
    if (quoted) line += breaksIn(field);
    fields.push(field);
    field = '';
    quoted = false;
    state = 0;
    return null;
  };
  const endRow = () => {
    const row = fields;
    fields = [];
    if (onRow(row, rowLine) === true) stopped = true;
    line++;
    rowLine = line;
  };
  const tooLong = () =>
    `Line ${rowLine}: a value is longer than 1 MB (${thousands(MAX_FIELD_CHARS)} characters), the most Loopbench reads in one cell. ` +
    'Is this really a table? An unclosed double quote (") can also make the rest of the file one value.';

  let i = 0;
  /**
   * The separator or line break at j: ends the field, and the row unless it is the separator.
   * @param {number} j
   * @param {number} c
   * @returns {string | null}
   */
  const separatorAt = (j, c) => {
    const error = endField();
    if (error) return error;
    if (c === d) {
      i = j + 1;
      return null;
    }
    endRow();
    i = c === CR && text.charCodeAt(j + 1) === LF ? j + 2 : j + 1;
    return null;
  };

  while (i < n && !stopped) {
    if (state === 0) {
      if (text.charCodeAt(i) === QUOTE) {
        state = 1;
        quoted = true;
        i++;
        continue;
      }
      let j = i;
      let c = 0;
      while (j < n) {
        c = text.charCodeAt(j);
        if (c === d || c === LF || c === CR) break;
        j++;
      }
      // A quote inside an unquoted value is kept as a character, as spreadsheets do.
      if (j - i > MAX_FIELD_CHARS) return tooLong();
      field = text.slice(i, j);
      if (j === n) {
        i = n;
        // The field runs to the end of the text: finish() below ends it.
        state = 4;
        break;
      }
      const error = separatorAt(j, c);
      if (error) return error;
    } else if (state === 1) {
      const j = text.indexOf('"', i);
      const end = j < 0 ? n : j;
      field += text.slice(i, end);
      if (field.length > MAX_FIELD_CHARS) return tooLong();
      if (j < 0) {
        i = n;
        break;
      }
      state = 2;
      i = j + 1;
    } else if (state === 2) {
      if (text.charCodeAt(i) === QUOTE) {
        field += '"';
        state = 1;
        i++;
      } else state = 3;
    } else {
      const c = text.charCodeAt(i);
      if (c === SPACE) i++;
      else if (c === d || c === LF || c === CR) {
        const error = separatorAt(i, c);
        if (error) return error;
      } else {
        return `Line ${rowLine}: a quoted value has extra characters after its closing quote. Inside a quoted value, write a double quote as two ("").`;
      }
    }
  }
  if (stopped || !complete) return null;
  if (state === 1) return `Line ${rowLine}: a quoted value is never closed. Check for a missing closing double quote (").`;
  if (fields.length > 0 || field !== '' || state !== 0) {
    const error = endField();
    if (error) return error;
    endRow();
  }
  return null;
}

/**
 * The separator that splits the first rows most consistently into more than one field; `preferTab` (a .tsv name)
 * wins ties, and commas are the default when nothing splits.
 * @param {string} sample
 * @param {boolean} complete whether the sample is the whole text
 * @param {boolean} preferTab
 * @returns {string}
 */
export function detectSeparator(sample, complete, preferTab) {
  let best = preferTab ? '\t' : ',';
  let bestScore = 0;
  for (const candidate of SEPARATORS) {
    /** @type {number[]} */
    const counts = [];
    const error = tokenize(
      sample,
      candidate,
      (fields) => {
        if (fields.every((f) => f.trim() === '')) return false;
        counts.push(fields.length);
        return counts.length >= SNIFF_ROWS;
      },
      { complete, maxColumns: Number.POSITIVE_INFINITY },
    );
    if (error || counts.length === 0 || counts[0] < 2) continue;
    const width = counts[0];
    const consistent = counts.filter((c) => c === width).length / counts.length;
    // Consistency first; among equally consistent splits, more fields means a truer separator.
    const score = consistent * 1000 + Math.min(width, 999) + (candidate === '\t' && preferTab ? 0.5 : 0);
    if (score > bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}

/**
 * Bytes to text by the import's rules: a UTF-16 byte order mark is trusted; a NUL byte otherwise means a binary
 * file; UTF-8 (a byte order mark is dropped) unless the bytes are not valid UTF-8, which are read as Windows-1252.
 * @param {Uint8Array} bytes
 * @param {string} fileName
 * @returns {{ text: string, encoding: 'UTF-8' | 'UTF-8 with BOM' | 'UTF-16LE' | 'UTF-16BE' | 'Windows-1252' }}
 */
export function decodeText(bytes, fileName) {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'UTF-16LE' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'UTF-16BE' };
  if (bytes.subarray(0, HEAD_BYTES).includes(0)) throw new CsvError(`${fileName} looks like a binary file, not text.`);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    return { text, encoding: bom ? 'UTF-8 with BOM' : 'UTF-8' };
  } catch {
    // Decoded as a stream: Node 20's one-shot windows-1252 decode reads 0x80-0x9f as Latin-1 control characters
    // (so "€" is lost), its streaming decoder maps them as browsers do.
    const decoder = new TextDecoder('windows-1252');
    return { text: decoder.decode(bytes, { stream: true }) + decoder.decode(), encoding: 'Windows-1252' };
  }
}

/**
 * Column names made usable as keys, as the import makes them: trimmed, blanks named "Column N", repeats told
 * apart by a suffix ("Mass", "Mass (2)").
 * @param {readonly string[]} header
 * @returns {string[]}
 */
export function uniqueNames(header) {
  const base = header.map((h, i) => h.trim() || `Column ${i + 1}`);
  const used = new Set();
  const taken = new Set(base);
  return base.map((name) => {
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
    let k = 2;
    while (used.has(`${name} (${k})`) || taken.has(`${name} (${k})`)) k++;
    const unique = `${name} (${k})`;
    used.add(unique);
    return unique;
  });
}

/**
 * Why a header line cannot be column names, or null.
 * @param {readonly string[]} header
 * @returns {string | null}
 */
function headerProblem(header) {
  const named = header.map((h) => h.trim()).filter((h) => h !== '');
  if (named.length === 0) return 'The first line has no column names. Add a header line naming each column.';
  if (named.every((h) => NUMBER.test(h) && Number.isFinite(Number(h)))) {
    const shown = named.slice(0, 5).join(', ') + (named.length > 5 ? ', ...' : '');
    return `The first line looks like data, not column names: ${shown}. Add a header line naming each column.`;
  }
  return null;
}

/**
 * @typedef {{
 *   header: string[],
 *   rows: string[][],
 *   lines: number[],
 *   separator: string,
 * }} CsvTable
 */

/**
 * Reads delimited text: the separator detected, blank lines skipped, the first line the header, every row as many
 * fields as the header (or the file is refused, naming the lines). Cells are the text as written; what counts as
 * missing or as a number is transform.js's business.
 * @param {string} text
 * @param {string} fileName
 * @returns {CsvTable}
 */
export function parseCsvText(text, fileName) {
  if (text.trim() === '') throw new CsvError(`The file "${fileName}" is empty.`);
  const preferTab = /\.(tsv|tab)$/i.test(fileName);
  const sample = text.slice(0, SNIFF_CHARS);
  // The import judges by its first 64 K characters; a text that long is judged as a sample, not a whole file.
  const separator = detectSeparator(sample, text.length < SNIFF_CHARS, preferTab);
  /** @type {string[] | null} */
  let header = null;
  /** @type {string[][]} */
  const rows = [];
  /** @type {number[]} */
  const lines = [];
  /** @type {{ line: number, fields: number }[]} */
  const ragged = [];
  let raggedCount = 0;
  const error = tokenize(text, separator, (fields, line) => {
    if (fields.every((f) => f.trim() === '')) return;
    if (header === null) header = fields;
    else if (fields.length !== header.length) {
      raggedCount++;
      if (ragged.length < MAX_RAGGED_SHOWN) ragged.push({ line, fields: fields.length });
    } else {
      rows.push(fields);
      lines.push(line);
    }
  });
  if (error) throw new CsvError(error);
  const names = /** @type {string[] | null} */ (header);
  if (names === null) throw new CsvError(`The file "${fileName}" is empty.`);
  const problem = headerProblem(names);
  if (problem) throw new CsvError(problem);
  if (rows.length === 0 && raggedCount === 0) throw new CsvError(`The file "${fileName}" has a header line but no data rows.`);
  if (raggedCount > 0) {
    const width = names.length;
    const shown = ragged.map((r) => `Line ${r.line} has ${r.fields} field${r.fields === 1 ? '' : 's'} but the header has ${width}.`);
    const total = raggedCount > shown.length ? ` ${raggedCount} lines in all have the wrong number of fields.` : '';
    throw new CsvError(`${shown.join(' ')}${total} A value that contains the separator must be in double quotes.`);
  }
  return { header: uniqueNames(names), rows, lines, separator };
}

/**
 * Reads a delimited file's bytes: decoded by the import's rules, then parseCsvText.
 * @param {Uint8Array} bytes
 * @param {string} fileName
 * @returns {CsvTable & { encoding: string }}
 */
export function readCsv(bytes, fileName) {
  if (bytes.length === 0) throw new CsvError(`The file "${fileName}" is empty.`);
  const { text, encoding } = decodeText(bytes, fileName);
  return { ...parseCsvText(text, fileName), encoding };
}

/**
 * Rows as objects keyed by column name (in objects without a prototype, so a column called "__proto__" is an
 * ordinary key).
 * @param {CsvTable} table
 * @returns {Record<string, string>[]}
 */
export function csvRecords(table) {
  return table.rows.map((cells) => {
    /** @type {Record<string, string>} */
    const row = Object.create(null);
    table.header.forEach((h, i) => {
      row[h] = cells[i];
    });
    return row;
  });
}
