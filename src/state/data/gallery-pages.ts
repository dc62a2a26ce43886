// What the image gallery reads: an image version's label column once (small: four bytes a row), for the class
// counts and the filter, and the pixels of one page of images at a time. The rest of the version stays in storage.

import type { ColumnData, DatasetVersion, ImageShape } from '../../core/shared/types';
import { classCounts } from '../../core/data/images/dataset';
import { imageAt } from '../../core/data/columns';
import type { DatasetsRepo } from '../../platform/repositories/datasets';

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

export interface GalleryFacts {
  versionId: string;
  imageColumn: string;
  labelColumn: string | null;
  classes: { label: string; count: number }[];
  rowCount: number;
}

export type GalleryRepo = Pick<DatasetsRepo, 'column' | 'cells'>;

export class GalleryPages {
  private constructor(
    private readonly repo: GalleryRepo,
    readonly facts: GalleryFacts,
    private readonly imageIndex: number,
    private readonly labels: ColumnData | null,
  ) {}

  /** Reads the label column (not the pixels) of an image version. */
  static async open(repo: GalleryRepo, version: DatasetVersion): Promise<GalleryPages> {
    const imageIndex = version.schema.findIndex((c) => c.type === 'image');
    if (imageIndex < 0) throw new Error('the version has no image column');
    const labelIndex = version.schema.findIndex((c) => c.role === 'target');
    const labels = labelIndex < 0 ? null : await repo.column(version.id, labelIndex);
    const facts: GalleryFacts = {
      versionId: version.id,
      imageColumn: version.schema[imageIndex].name,
      labelColumn: labelIndex < 0 ? null : version.schema[labelIndex].name,
      classes: labels?.kind === 'category' ? classCounts(labels.codes, labels.dictionary) : [],
      rowCount: version.rowCount,
    };
    return new GalleryPages(repo, facts, imageIndex, labels);
  }

  labelOf(row: number): string {
    const labels = this.labels;
    if (labels?.kind === 'category') return labels.codes[row] < 0 ? '' : labels.dictionary[labels.codes[row]];
    if (labels?.kind === 'number') return Number.isNaN(labels.values[row]) ? '' : String(labels.values[row]);
    return '';
  }

  /** The rows labelled `label`, in order; every row when it is empty. */
  matching(label: string): Int32Array {
    if (label === '') return Int32Array.from({ length: this.facts.rowCount }, (_, r) => r);
    const rows: number[] = [];
    for (let r = 0; r < this.facts.rowCount; r++) if (this.labelOf(r) === label) rows.push(r);
    return Int32Array.from(rows);
  }

  pageCount(rows: Int32Array): number {
    return Math.max(1, Math.ceil(rows.length / GALLERY_SIZE));
  }

  /** Page `page` of `rows`: only these images' pixels are read. */
  async page(rows: Int32Array, page: number): Promise<{ shape: ImageShape; thumbnails: Thumbnail[] }> {
    const shown = Array.from(rows.subarray(page * GALLERY_SIZE, (page + 1) * GALLERY_SIZE));
    const image = await this.repo.cells(this.facts.versionId, this.imageIndex, shown);
    if (image.kind !== 'image') throw new Error('the image column holds no images');
    const { width, height, channels } = image;
    const thumbnails = shown.map((row, i) => ({ row, label: this.labelOf(row), width, height, rgba: toRgba(imageAt(image, i), channels) }));
    return { shape: { width, height, channels }, thumbnails };
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
