// Which reader a file needs, from its first bytes first and its name second: a JSON file named .txt
// is read as JSON, and a file named .parquet that lacks Parquet's magic bytes is still tried (and
// refused) as Parquet, since that is what its owner meant.

export type TextFormat = 'json' | 'jsonl' | 'delimited';

const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

export function isParquet(fileName: string, head: Uint8Array): boolean {
  return PARQUET_MAGIC.every((b, i) => head[i] === b) || /\.parq(uet)?$/i.test(fileName);
}

/** `headText` is the start of the file decoded as text (byte order mark removed). */
export function detectTextFormat(fileName: string, headText: string): TextFormat {
  const name = fileName.toLowerCase();
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  const text = headText.trimStart();
  if (text.startsWith('[')) return 'json';
  if (text.startsWith('{')) {
    // One complete object on the first line, with more after it, is JSON Lines.
    const newline = text.indexOf('\n');
    if (newline > 0 && text.slice(newline + 1).trim() !== '') {
      try {
        const first: unknown = JSON.parse(text.slice(0, newline));
        if (first !== null && typeof first === 'object') return 'jsonl';
      } catch {
        // Not a complete object on one line: a pretty-printed JSON document.
      }
    }
    return 'json';
  }
  if (name.endsWith('.json')) return 'json';
  return 'delimited';
}
