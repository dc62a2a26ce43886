import { previewRows } from '../../core/data/table-view';
import type { VersionCatalogue } from './catalogue.svelte';
import type { Services } from '../shared/services';
import { messageOf } from '../shared/services';

const PREVIEW_ROWS = 20;

/** The first rows of the selected version, as text for the Data screen; follows the catalogue's selection. */
export class VersionPreview {
  rows = $state.raw<string[][]>([]);
  /** Why the rows could not be read, if they could not. */
  error = $state<string | null>(null);
  #showing: string | null = null;

  constructor(
    private readonly services: Pick<Services, 'datasets'>,
    catalogue: VersionCatalogue,
  ) {
    catalogue.onSelect((id) => void this.#show(id));
  }

  async #show(id: string | null): Promise<void> {
    this.rows = [];
    this.error = null;
    this.#showing = id;
    if (!id) return;
    try {
      // A bounded read: only the chunks holding the first rows are decoded, never the whole version.
      const { table } = await this.services.datasets.head(id, PREVIEW_ROWS);
      if (this.#showing === id) this.rows = previewRows(table, PREVIEW_ROWS);
    } catch (e) {
      if (this.#showing === id) this.error = `The version's rows could not be read: ${messageOf(e)}`;
    }
  }
}
