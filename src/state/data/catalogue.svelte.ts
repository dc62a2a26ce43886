import type { DatasetVersion } from '../../core/shared/types';
import type { Services } from '../shared/services';

type Listener = (id: string | null) => void;
type AddedListener = (version: DatasetVersion) => void;

/**
 * The open project's dataset versions and the one selected: the only writer of that list. Whoever stores,
 * renames, tags or deletes a version tells the catalogue (added, changed, removed), which reads the list back
 * from storage, so every view shows what is stored rather than what one screen assumed.
 */
export class VersionCatalogue {
  versions = $state.raw<DatasetVersion[]>([]);
  selectedId = $state<string | null>(null);
  readonly selected: DatasetVersion | null = $derived(this.versions.find((v) => v.id === this.selectedId) ?? null);
  #projectId: string | null = null;
  #listeners = new Set<Listener>();
  #addedListeners = new Set<AddedListener>();

  constructor(private readonly services: Pick<Services, 'datasets'>) {}

  /** Shows `projectId`'s versions, the newest selected. */
  async load(projectId: string): Promise<void> {
    this.#projectId = projectId;
    const versions = await this.services.datasets.list(projectId);
    // Another project opened while this one was read.
    if (this.#projectId !== projectId) return;
    this.versions = versions;
    this.select(versions[0]?.id ?? null);
  }

  /** Reads the list again; the selection stays unless its version is gone. */
  async refresh(): Promise<void> {
    const projectId = this.#projectId;
    if (projectId === null) return;
    const versions = await this.services.datasets.list(projectId);
    if (this.#projectId !== projectId) return;
    this.versions = versions;
    if (!versions.some((v) => v.id === this.selectedId)) this.select(versions[0]?.id ?? null);
  }

  /** A version was stored (or an identical one found): list it and select it. */
  async added(version: DatasetVersion): Promise<void> {
    const known = this.versions.some((v) => v.id === version.id);
    await this.refresh();
    if (this.versions.some((v) => v.id === version.id)) this.select(version.id);
    // An identical version found again is not new data: nothing downstream should react to it.
    if (!known) for (const listener of this.#addedListeners) listener(version);
  }

  /** Calls `listener` when a version new to the list is stored (continuous training listens); returns the unsubscribe. */
  onAdded(listener: AddedListener): () => void {
    this.#addedListeners.add(listener);
    return () => this.#addedListeners.delete(listener);
  }

  /** A stored version's name or tags changed. */
  changed(): Promise<void> {
    return this.refresh();
  }

  /** A version was deleted from storage. */
  removed(id: string): Promise<void> {
    // Gone at once, so nothing offers it while the list is read again.
    this.versions = this.versions.filter((v) => v.id !== id);
    return this.refresh();
  }

  select(id: string | null): void {
    if (id === this.selectedId) return;
    this.selectedId = id;
    for (const listener of this.#listeners) listener(id);
  }

  /** Calls `listener` whenever another version is selected; returns the unsubscribe. */
  onSelect(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
