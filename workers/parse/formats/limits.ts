// What Loopbench refuses to import, and how it says so. A limit protects the tab: past these sizes
// the browser runs out of memory or the model could not use the data anyway.

export const MAX_FILE_BYTES = 512 * 1024 * 1024;
export const MAX_COLUMNS = 2_000;
/** Characters in one cell; a longer one is almost always a file that is not really tabular. */
export const MAX_FIELD_CHARS = 1024 * 1024;
export const MAX_ROWS = 5_000_000;

export const CANCELLED = 'Import cancelled.';

export function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

export function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

export function tooManyColumns(where: string): string {
  return `${where} has more than ${thousands(MAX_COLUMNS)} columns; Loopbench imports at most ${thousands(MAX_COLUMNS)}.`;
}

export function tooManyRows(fileName: string): string {
  return `"${fileName}" has more than ${thousands(MAX_ROWS)} rows; Loopbench imports at most ${thousands(MAX_ROWS)}. Split the file or sample it.`;
}

export function fieldTooLong(line: number): string {
  return (
    `Line ${line}: a value is longer than 1 MB (${thousands(MAX_FIELD_CHARS)} characters), the most Loopbench reads in one cell. ` +
    'Is this really a table? An unclosed double quote (") can also make the rest of the file one value.'
  );
}
