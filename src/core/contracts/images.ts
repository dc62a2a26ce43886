// The image import worker's contract (workers/image-import.worker.ts). Types only.

import type { DatasetSource, DatasetVersion, ImageShape, SplitSpec } from '../shared/types';
import type { NewVersionLabels } from './dataset';
import type { ProgressEvent } from './events';

/** Images to import: files already labelled (a folder per class, or files the user labelled), or a zip with a folder per class. */
export type ImageInput =
  | { kind: 'files'; files: { file: Blob; path: string; label: string }[] }
  | { kind: 'zip'; file: Blob; name: string };

export interface ImageImportRequest {
  inputs: ImageInput[];
  /** Every image is resized (stretched) to this size and stored as uint8 RGB or grey. */
  shape: ImageShape;
  split: SplitSpec;
  /** Where the worker stores the new version, and its labels. */
  store: ImageStoreLabels;
}

export interface ImageStoreLabels extends NewVersionLabels {
  source: DatasetSource;
}

/** A file that was not imported, and why; the import goes on without it. */
export interface SkippedImage {
  file: string;
  reason: string;
}

export type ImageImportEvent = ProgressEvent & { imported: number; skipped: number };

/**
 * ok: the stored version's record (the worker stores it only once every file is read, so a failed or cancelled
 * import stores nothing) and the files skipped on the way. Not ok: nothing usable, or the input was refused as a
 * whole (a zip bomb, an unsafe path, too many files), with the files skipped before that.
 */
export type ImageImportOutcome =
  | { ok: true; version: DatasetVersion; stored: 'created' | 'exists'; imported: number; skipped: SkippedImage[] }
  | { ok: false; message: string; cancelled: boolean; skipped: SkippedImage[] };

export interface ImageImportApi {
  importImages(request: ImageImportRequest, onEvent: (e: ImageImportEvent) => void): Promise<ImageImportOutcome>;
  /** The built-in shapes sample, drawn in the worker (pure and seeded: the same pixels everywhere). */
  drawShapesSample(split: SplitSpec, store: ImageStoreLabels): Promise<ImageImportOutcome>;
  /** Stops the import in progress after the current file; it resolves as cancelled. */
  cancel(): void;
}
