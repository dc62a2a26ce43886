import type { DatasetVersion } from '../../core/shared/types';
import { diffVersions, type VersionDiff } from '../../core/data/diff';
import { buildLineage, lineageOutline, lineageSummary, NODE_HEIGHT, NODE_WIDTH, type LineageGraph } from '../../core/data/lineage';
import { checkTags, deletionBlocker } from '../../core/data/version-meta';
import type { VersionCatalogue } from './catalogue.svelte';
import type { RunsState } from '../evaluate/runs.svelte';
import type { Services } from '../shared/services';
import { messageOf } from '../shared/services';

export interface LineageView {
  graph: LineageGraph;
  summary: string;
  outline: { key: string; text: string }[];
  nodeWidth: number;
  nodeHeight: number;
}

/**
 * What the user does with stored versions: name and tag them, delete unused ones, compare two, and
 * see the lineage from imports to the runs trained on them. The version list itself is the catalogue's, told of
 * every change here.
 */
export class VersionsState {
  /** Chosen versions to compare; null falls back to the two newest (older -> newer). */
  compareFromId = $state<string | null>(null);
  compareToId = $state<string | null>(null);
  error = $state<string | null>(null);
  message = $state<string | null>(null);
  /** The version waiting for the user to confirm its deletion. */
  confirmingDelete = $state<string | null>(null);
  busy = $state(false);

  readonly fromVersion = $derived(this.#pick(this.compareFromId, 1));
  readonly toVersion = $derived(this.#pick(this.compareToId, 0));
  readonly diff: VersionDiff | null = $derived(
    this.fromVersion && this.toVersion ? diffVersions(this.fromVersion, this.toVersion) : null,
  );
  readonly lineage: LineageView = $derived.by(() => {
    const graph = buildLineage(this.catalogue.versions, this.runs.list);
    return { graph, summary: lineageSummary(graph), outline: lineageOutline(graph), nodeWidth: NODE_WIDTH, nodeHeight: NODE_HEIGHT };
  });

  constructor(
    private readonly services: Services,
    private readonly catalogue: VersionCatalogue,
    private readonly runs: RunsState,
  ) {}

  /** Called when a project opens: choices made for another project's versions do not carry over. */
  reset(): void {
    this.compareFromId = null;
    this.compareToId = null;
    this.confirmingDelete = null;
    this.error = null;
    this.message = null;
  }

  #pick(id: string | null, fallbackIndex: number): DatasetVersion | null {
    const versions = this.catalogue.versions;
    return versions.find((v) => v.id === id) ?? versions[fallbackIndex] ?? versions[0] ?? null;
  }

  /** Why a version cannot be deleted now, judged from what this page has loaded (storage re-checks). */
  blocker(version: DatasetVersion): string | null {
    return deletionBlocker(version, this.catalogue.versions, this.runs.list);
  }

  async rename(id: string, name: string): Promise<boolean> {
    return this.#act(async () => {
      const saved = await this.services.datasets.rename(id, name);
      return `Renamed the version to "${saved.name}"; its id stays ${saved.id.slice(0, 12)}.`;
    });
  }

  async addTag(version: DatasetVersion, tag: string): Promise<boolean> {
    const tags = version.tags ?? [];
    const checked = checkTags([...tags, tag]);
    if (!checked.ok) {
      this.error = checked.message;
      this.message = null;
      return false;
    }
    if (checked.value.length === tags.length) {
      this.error = `The version is already tagged "${tag.trim()}".`;
      this.message = null;
      return false;
    }
    return this.#act(async () => {
      await this.services.datasets.setTags(version.id, checked.value);
      return `Tagged "${version.name}" with "${tag.trim()}".`;
    });
  }

  async removeTag(version: DatasetVersion, tag: string): Promise<boolean> {
    return this.#act(async () => {
      await this.services.datasets.setTags(version.id, (version.tags ?? []).filter((t) => t !== tag));
      return `Removed the tag "${tag}" from "${version.name}".`;
    });
  }

  /** First step of deleting: refuse at once with the reason, or ask for confirmation. */
  requestDelete(version: DatasetVersion): void {
    this.message = null;
    const blocker = this.blocker(version);
    this.error = blocker;
    this.confirmingDelete = blocker === null ? version.id : null;
  }

  cancelDelete(): void {
    this.confirmingDelete = null;
  }

  async confirmDelete(): Promise<boolean> {
    const id = this.confirmingDelete;
    const version = this.catalogue.versions.find((v) => v.id === id);
    this.confirmingDelete = null;
    if (!id || !version) return false;
    return this.#act(async () => {
      const outcome = await this.services.datasets.delete(id);
      if (!outcome.ok) throw new Error(outcome.message);
      if (this.compareFromId === id) this.compareFromId = null;
      if (this.compareToId === id) this.compareToId = null;
      return `Deleted version "${version.name}" (${id.slice(0, 12)}) and its stored data.`;
    }, () => this.catalogue.removed(id));
  }

  /** Runs a change, then has the catalogue read the list again so every view shows the stored state. */
  async #act(change: () => Promise<string>, told: () => Promise<void> = () => this.catalogue.changed()): Promise<boolean> {
    this.busy = true;
    this.error = null;
    this.message = null;
    try {
      this.message = await change();
      return true;
    } catch (e) {
      this.error = messageOf(e);
      return false;
    } finally {
      try {
        await told();
      } catch (e) {
        this.error = `The change may have been stored, but the list could not be reloaded: ${messageOf(e)}`;
      }
      this.busy = false;
    }
  }
}
