import type { DatasetSource, DatasetVersion, ImageShape, Project, SplitSpec } from '../../core/shared/types';
import type { ImageImportOutcome, ImageInput, ImageStoreLabels, SkippedImage } from '../../core/contracts/images';
import { DEFAULT_SPLIT } from '../../core/shared/defaults';
import { checkLabel, labelFromPath } from '../../core/data/images/paths';
import { IMAGE_LIMITS } from '../../core/data/images/limits';
import type { VersionCatalogue } from './catalogue.svelte';
import type { Services } from '../shared/services';
import { isCancelled, messageOf } from '../shared/services';

/** The input size of a project that does not name one: small enough to train a CNN in a browser. */
export const DEFAULT_IMAGE_SHAPE: ImageShape = { width: 32, height: 32, channels: 3 };

export type ImageInputKind = 'folder' | 'files' | 'zip';

export interface PendingImages {
  id: number;
  kind: ImageInputKind;
  description: string;
  files: number;
  bytes: number;
  input: ImageInput;
}

export function imageShapeOf(project: Project): ImageShape {
  return project.image ?? DEFAULT_IMAGE_SHAPE;
}

/** The image import flow of the Data stage: collect folders, labelled files and zips, then import them in the worker. */
export class ImagesState {
  pending = $state.raw<PendingImages[]>([]);
  /** Label given to the next files added with "files + label". */
  label = $state('');
  phase = $state<'idle' | 'importing' | 'saving'>('idle');
  progress = $state.raw<{ done: number; total: number; imported: number; skipped: number } | null>(null);
  skipped = $state.raw<SkippedImage[]>([]);
  error = $state<string | null>(null);
  message = $state<string | null>(null);
  splitSeed = $state(DEFAULT_SPLIT.seed);
  readonly limits = IMAGE_LIMITS;
  #nextId = 1;
  #abort: AbortController | null = null;

  constructor(
    private readonly services: Services,
    private readonly catalogue: VersionCatalogue,
  ) {}

  get busy(): boolean {
    return this.phase !== 'idle';
  }

  /** A folder picked with webkitdirectory: each file's label is the folder it sits in. */
  addFolder(files: readonly File[]): void {
    this.#clearOutcome();
    if (files.length === 0) return;
    const entries = files.map((file) => {
      const path = file.webkitRelativePath || file.name;
      return { file, path, label: labelFromPath(path) ?? '' };
    });
    const root = entries[0].path.split('/')[0];
    const unlabelled = entries.filter((e) => e.label === '');
    this.skipped = unlabelled.map((e) => ({ file: e.path, reason: 'it is not inside a class folder (the folder name is the label)' }));
    const labelled = entries.filter((e) => e.label !== '');
    this.#add('folder', `folder "${root}" (${new Set(labelled.map((e) => e.label)).size} classes)`, labelled.map((e) => e.file), {
      kind: 'files',
      files: labelled,
    });
  }

  /** Files the user gives one class label. */
  addLabelled(files: readonly File[]): boolean {
    this.#clearOutcome();
    const checked = checkLabel(this.label);
    if (!checked.ok) {
      this.error = checked.message;
      return false;
    }
    if (files.length === 0) return false;
    this.#add('files', `${files.length} files labelled "${checked.value}"`, files, {
      kind: 'files',
      files: files.map((file) => ({ file, path: file.name, label: checked.value })),
    });
    return true;
  }

  addZip(file: File): void {
    this.#clearOutcome();
    this.#add('zip', `archive "${file.name}"`, [file], { kind: 'zip', file, name: file.name });
  }

  remove(id: number): void {
    this.pending = this.pending.filter((p) => p.id !== id);
  }

  clear(): void {
    this.pending = [];
    this.#clearOutcome();
  }

  /** Imports everything pending as one new version; on any failure nothing is stored. */
  async importPending(project: Project, onSaved: (project: Project) => Promise<void>): Promise<boolean> {
    if (this.pending.length === 0 || this.busy) return false;
    this.#clearOutcome();
    this.phase = 'importing';
    this.#abort = new AbortController();
    const split = this.#split();
    const shape = imageShapeOf(project);
    const names = this.pending.map((p) => p.description);
    const source: DatasetSource = {
      kind: 'file',
      fileName: names.length === 1 ? names[0] : `${names.length} image sources`,
      byteLength: this.pending.reduce((sum, p) => sum + p.bytes, 0),
    };
    let outcome: ImageImportOutcome;
    try {
      // The worker decodes, builds and stores the version (only once every file is read); its record comes back.
      outcome = await this.services.images.importImages(
        { inputs: this.pending.map((p) => p.input), shape: { ...shape }, split, store: this.#labels(project, source) },
        (e) => (this.progress = { done: e.done, total: e.total, imported: e.imported, skipped: e.skipped }),
        this.#abort.signal,
      );
    } catch (e) {
      outcome = isCancelled(e)
        ? { ok: false, message: 'The import was cancelled; nothing was saved.', cancelled: true, skipped: [] }
        : { ok: false, message: `The image import failed: ${messageOf(e)}`, cancelled: false, skipped: [] };
    }
    this.#abort = null;
    this.skipped = outcome.skipped;
    if (!outcome.ok) {
      this.error = outcome.cancelled ? outcome.message : `Nothing was saved: ${outcome.message}`;
      this.phase = 'idle';
      this.progress = null;
      return false;
    }
    const saved = await this.#saved(project, outcome.version, onSaved);
    if (saved) {
      this.pending = [];
      const skippedText = outcome.skipped.length > 0 ? `; ${outcome.skipped.length} files were skipped (listed below)` : '';
      this.message = `Imported ${outcome.imported} images as version ${outcome.version.id.slice(0, 12)}${skippedText}.`;
    }
    return saved;
  }

  cancel(): void {
    this.#abort?.abort();
  }

  #split(): SplitSpec {
    return { method: 'stratified', seed: this.splitSeed, fractions: [...DEFAULT_SPLIT.fractions] };
  }

  #labels(project: Project, source: DatasetSource): ImageStoreLabels {
    return { databaseName: this.services.datasets.databaseName, projectId: project.id, name: source.fileName, createdAt: Date.now(), source };
  }

  /** The worker stored `version`: the project learns its target and image size, the catalogue lists and selects it. */
  async #saved(project: Project, version: DatasetVersion, onSaved: (project: Project) => Promise<void>): Promise<boolean> {
    this.phase = 'saving';
    try {
      const target = version.schema.find((c) => c.role === 'target')?.name ?? '';
      if (project.target !== target || !project.image) await onSaved({ ...project, target, image: { ...imageShapeOf(project) } });
      await this.catalogue.added(version);
      return true;
    } catch (e) {
      this.error = `Saving the project failed: ${messageOf(e)}`;
      return false;
    } finally {
      this.phase = 'idle';
      this.progress = null;
    }
  }

  #add(kind: ImageInputKind, description: string, files: readonly File[], input: ImageInput): void {
    const bytes = files.reduce((sum, f) => sum + f.size, 0);
    this.pending = [...this.pending, { id: this.#nextId++, kind, description, files: files.length, bytes, input }];
  }

  #clearOutcome(): void {
    this.error = null;
    this.message = null;
    this.skipped = [];
  }
}
