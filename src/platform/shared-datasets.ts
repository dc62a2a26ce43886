import type { DatasetsRepo, LoadedDataset } from './repositories/datasets';

/**
 * The selected version's rows, read from IndexedDB once, for the one view that still draws from them on
 * the page: the image gallery's thumbnails. Everything else names the version to a worker, which reads it
 * (workers/dataset/). Versions are immutable, so the last one read stays valid; callers must not mutate it.
 */
export class SharedDatasets {
  #last: { id: string; loading: Promise<LoadedDataset> } | null = null;

  constructor(private readonly repo: DatasetsRepo) {}

  load(id: string): Promise<LoadedDataset> {
    if (this.#last?.id !== id) {
      const loading = this.repo.load(id);
      // A failed read is not remembered: the next call tries again.
      loading.catch(() => {
        if (this.#last?.loading === loading) this.#last = null;
      });
      this.#last = { id, loading };
    }
    return this.#last.loading;
  }
}
