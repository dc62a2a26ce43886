import type { DatasetVersion, ImageShape } from '../../core/shared/types';
import type { Services } from '../shared/services';
import { messageOf } from '../shared/services';
import { GalleryPages, type GalleryFacts, type Thumbnail } from './gallery-pages';

export type { Thumbnail } from './gallery-pages';

export interface GalleryView extends GalleryFacts {
  shape: ImageShape;
}

/** Whether a version holds images (its Data stage shows a gallery rather than a table of cells). */
export function isImageVersion(version: DatasetVersion): boolean {
  return version.schema.some((c) => c.type === 'image');
}

/** Class counts and a page of thumbnails of an image version, filtered by class. */
export class GalleryState {
  view = $state.raw<GalleryView | null>(null);
  filter = $state('');
  thumbnails = $state.raw<Thumbnail[]>([]);
  /** Images matching the filter (the gallery shows one page of them). */
  matching = $state(0);
  page = $state(0);
  pageCount = $state(1);
  error = $state<string | null>(null);
  loading = $state(false);
  #pages: GalleryPages | null = null;
  #rows: Int32Array = new Int32Array(0);
  #rowsFilter: string | null = null;
  /** Bumped by every show and every page read, so an answer that arrives after a newer request is dropped. */
  #shown = 0;
  #request = 0;

  constructor(private readonly services: Services) {}

  async show(version: DatasetVersion): Promise<void> {
    if (this.view?.versionId === version.id) return;
    const shown = ++this.#shown;
    this.#request++;
    this.view = null;
    this.#pages = null;
    this.#rowsFilter = null;
    this.thumbnails = [];
    this.filter = '';
    this.error = null;
    if (!isImageVersion(version)) return;
    this.loading = true;
    try {
      const pages = await GalleryPages.open(this.services.datasets, version);
      if (shown !== this.#shown) return;
      this.#pages = pages;
      await this.#render('', 0);
    } catch (e) {
      if (shown === this.#shown) this.error = `The images could not be shown: ${messageOf(e)}`;
    } finally {
      if (shown === this.#shown) this.loading = false;
    }
  }

  setFilter(label: string): Promise<void> {
    this.filter = label;
    return this.#guarded(label, 0);
  }

  goToPage(page: number): Promise<void> {
    return this.#guarded(this.filter, Math.min(Math.max(0, page), this.pageCount - 1));
  }

  async #guarded(filter: string, page: number): Promise<void> {
    try {
      await this.#render(filter, page);
    } catch (e) {
      this.error = `The images could not be shown: ${messageOf(e)}`;
    }
  }

  async #render(filter: string, page: number): Promise<void> {
    const pages = this.#pages;
    if (!pages) return;
    const request = ++this.#request;
    if (this.#rowsFilter !== filter) {
      this.#rows = pages.matching(filter);
      this.#rowsFilter = filter;
    }
    const rows = this.#rows;
    const { shape, thumbnails } = await pages.page(rows, page);
    if (request !== this.#request) return;
    this.view = { ...pages.facts, shape };
    this.thumbnails = thumbnails;
    this.matching = rows.length;
    this.page = page;
    this.pageCount = pages.pageCount(rows);
  }
}
