import carsUrl from '@samples/cars.json?url';
import penguinsUrl from '@samples/penguins.json?url';
import seattleWeatherUrl from '@samples/seattle-weather.csv?url';
import type { RawRow, SampleName } from '../core/shared/types';

/** A sample as JSON records (parsed here) or as a file for the parser worker, like a user's import. */
export type SampleData =
  | { kind: 'records'; fileName: string; byteLength: number; records: RawRow[] }
  | { kind: 'file'; file: File }
  /** Drawn by the app itself (the shapes sample, in the image import worker): nothing to fetch. */
  | { kind: 'drawn' };

const SOURCES: Record<Exclude<SampleName, 'shapes'>, { url: string; fileName: string; kind: 'records' | 'file'; mime: string }> = {
  penguins: { url: penguinsUrl, fileName: 'penguins.json', kind: 'records', mime: 'application/json' },
  cars: { url: carsUrl, fileName: 'cars.json', kind: 'records', mime: 'application/json' },
  'seattle-weather': { url: seattleWeatherUrl, fileName: 'seattle-weather.csv', kind: 'file', mime: 'text/csv' },
};

/** The samples ship with the app (and are precached), so they load offline. */
export async function loadSample(name: SampleName): Promise<SampleData> {
  if (name === 'shapes') return { kind: 'drawn' };
  const source = SOURCES[name];
  const response = await fetch(source.url);
  if (!response.ok) throw new Error(`Could not load the built-in ${name} sample (HTTP ${response.status}).`);
  if (source.kind === 'file') {
    const blob = await response.blob();
    return { kind: 'file', file: new File([blob], source.fileName, { type: source.mime }) };
  }
  const text = await response.text();
  return { kind: 'records', fileName: source.fileName, byteLength: text.length, records: JSON.parse(text) as RawRow[] };
}

