import type { DatasetsRepo, LoadedDataset } from './repositories/datasets';

/**
 * The selected version's rows, read from IndexedDB once and shared by the views that only read them
 * (preview, profile, recipe preview): versions are immutable, so the last one read stays valid.
 * Callers must not mutate the arrays or transfer their buffers to a worker — training loads its own
 * copy through the repository for that reason.
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
