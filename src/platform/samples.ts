import penguinsUrl from '@samples/penguins.json?url';
import type { RawRow } from '../core/types';

export interface SampleData {
  fileName: string;
  byteLength: number;
  records: RawRow[];
}

/** The penguins sample ships with the app (and is precached), so it loads offline. */
export async function loadPenguins(): Promise<SampleData> {
  const response = await fetch(penguinsUrl);
  if (!response.ok) throw new Error(`Could not load the built-in penguins sample (HTTP ${response.status}).`);
  const text = await response.text();
  return { fileName: 'penguins.json', byteLength: text.length, records: JSON.parse(text) as RawRow[] };
}
