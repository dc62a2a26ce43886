import type { DatasetVersion } from '../../core/shared/types';
import { classCounts } from '../../core/data/images/dataset';
import { imageAt } from '../../core/data/columns';
import type { Services } from '../shared/services';
import { messageOf } from '../shared/services';

/** Thumbnails shown at once: enough to see what the classes look like, few enough to draw instantly. */
export const GALLERY_SIZE = 48;

export interface Thumbnail {
  row: number;
  label: string;
  width: number;
  height: number;
  /** RGBA, ready for an ImageData. */
  rgba: Uint8ClampedArray<ArrayBuffer>;
}

export interface GalleryView {
  versionId: string;
  imageColumn: string;
  labelColumn: string | null;
  shape: { width: number; height: number; channels: 1 | 3 };
  classes: { label: string; count: number }[];
  rowCount: number;
}

/** Whether a version holds images (its Data stage shows a gallery rather than a table of cells). */
export function isImageVersion(version: DatasetVersion): boolean {
  return version.schema.some((c) => c.type === 'image');
}

/** Class counts and thumbnails of an image version, filtered by class. */
export class GalleryState {
  view = $state.raw<GalleryView | null>(null);
  filter = $state('');
  thumbnails = $state.raw<Thumbnail[]>([]);
  /** Images matching the filter (the gallery shows the first GALLERY_SIZE). */
  matching = $state(0);
  error = $state<string | null>(null);
  loading = $state(false);

  constructor(private readonly services: Services) {}

  async show(version: DatasetVersion): Promise<void> {
    if (this.view?.versionId === version.id) return;
    this.view = null;
    this.thumbnails = [];
    this.filter = '';
    this.error = null;
    if (!isImageVersion(version)) return;
    this.loading = true;
    try {
      await this.#render(version, '');
    } catch (e) {
      this.error = `The images could not be shown: ${messageOf(e)}`;
    } finally {
      this.loading = false;
    }
  }

  async setFilter(version: DatasetVersion, label: string): Promise<void> {
    this.filter = label;
    try {
      await this.#render(version, label);
    } catch (e) {
      this.error = `The images could not be shown: ${messageOf(e)}`;
    }
  }

  async #render(version: DatasetVersion, filter: string): Promise<void> {
    const { table } = await this.services.sharedDatasets.load(version.id);
    const imageIndex = table.columns.findIndex((c) => c.kind === 'image');
    const image = table.columns[imageIndex];
    if (!image || image.kind !== 'image') throw new Error('the version has no image column');
    const targetName = version.schema.find((c) => c.role === 'target')?.name ?? null;
    const labelIndex = targetName === null ? -1 : table.names.indexOf(targetName);
    const labels = table.columns[labelIndex];
    const labelOf = (r: number): string => {
      if (!labels) return '';
      if (labels.kind === 'category') return labels.codes[r] < 0 ? '' : labels.dictionary[labels.codes[r]];
      if (labels.kind === 'number') return Number.isNaN(labels.values[r]) ? '' : String(labels.values[r]);
      return '';
    };
    const classes =
      labels?.kind === 'category'
        ? classCounts(labels.codes, labels.dictionary)
        : [];
    const thumbnails: Thumbnail[] = [];
    let matching = 0;
    for (let r = 0; r < table.rowCount; r++) {
      const label = labelOf(r);
      if (filter !== '' && label !== filter) continue;
      matching++;
      if (thumbnails.length < GALLERY_SIZE) thumbnails.push({ row: r, label, width: image.width, height: image.height, rgba: toRgba(imageAt(image, r), image.channels) });
    }
    if (this.filter !== filter) return;
    this.view = {
      versionId: version.id,
      imageColumn: table.names[imageIndex],
      labelColumn: targetName,
      shape: { width: image.width, height: image.height, channels: image.channels },
      classes,
      rowCount: table.rowCount,
    };
    this.thumbnails = thumbnails;
    this.matching = matching;
  }
}

function toRgba(pixels: Uint8Array, channels: 1 | 3): Uint8ClampedArray<ArrayBuffer> {
  const n = pixels.length / channels;
  const out = new Uint8ClampedArray(n * 4);
  for (let p = 0; p < n; p++) {
    const r = pixels[p * channels];
    out[p * 4] = r;
    out[p * 4 + 1] = channels === 3 ? pixels[p * 3 + 1] : r;
    out[p * 4 + 2] = channels === 3 ? pixels[p * 3 + 2] : r;
    out[p * 4 + 3] = 255;
  }
  return out;
}
