// The image import: every candidate file is read, its header checked (inspectImage refuses bombs and
// non-images before decoding), decoded and resized. A bad file is skipped and listed; the import is
// refused only when nothing valid remains or the input is hostile as a whole. Nothing is stored here:
// the caller (image-import.ts) stores the returned dataset, so a failed or cancelled import leaves nothing behind.

import { buildImageDataset } from '../../src/core/data/images/dataset';
import { IMAGE_LIMITS, checkImageShape, formatMiB } from '../../src/core/data/images/limits';
import { inspectImage, type ImageFormat } from '../../src/core/data/images/sniff';
import type { ImageShape } from '../../src/core/shared/types';
import type { ImageImportEvent, ImageImportOutcome, ImageImportRequest, SkippedImage } from '../../src/core/contracts/images';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import { collectSources } from './sources';

/** Writes one decoded, resized image into `out`; throws when the bytes do not decode. */
export type DecodeImage = (bytes: Uint8Array, format: ImageFormat, out: Uint8Array) => Promise<void>;

const PROGRESS_EVERY_MS = 100;

/** The built dataset, not stored yet, or why there is none (as the import's outcome says it). */
export type ImageBuildOutcome =
  | { ok: true; dataset: BuiltDataset; imported: number; skipped: SkippedImage[] }
  | Extract<ImageImportOutcome, { ok: false }>;

/** What the importer reads: the request without where it is stored. */
export type ImageBuildRequest = Omit<ImageImportRequest, 'store'>;

export class ImageImporter {
  #cancelled = false;

  constructor(private readonly makeDecoder: (shape: ImageShape) => DecodeImage) {}

  cancel(): void {
    this.#cancelled = true;
  }

  async run(request: ImageBuildRequest, onEvent: (e: ImageImportEvent) => void): Promise<ImageBuildOutcome> {
    this.#cancelled = false;
    const { shape } = request;
    const shapeProblem = checkImageShape(shape);
    if (shapeProblem) return { ok: false, message: shapeProblem, cancelled: false, skipped: [] };
    const sources = await collectSources(request.inputs);
    if (!sources.ok) return { ok: false, message: sources.message, cancelled: false, skipped: sources.skipped };
    const { candidates } = sources;
    const skipped: SkippedImage[] = [...sources.skipped];
    const size = shape.width * shape.height * shape.channels;
    if (candidates.length * size > IMAGE_LIMITS.maxStoredBytes) {
      const message = `${candidates.length} images of ${shape.width}x${shape.height}x${shape.channels} would take more than ${formatMiB(IMAGE_LIMITS.maxStoredBytes)}; import fewer or choose a smaller input size.`;
      return { ok: false, message, cancelled: false, skipped };
    }
    const decode = this.makeDecoder(shape);
    const pixels = new Uint8Array(candidates.length * size);
    const labels: string[] = [];
    let lastEvent = 0;
    const report = (done: number) => {
      onEvent({ type: 'progress', done, total: candidates.length, imported: labels.length, skipped: skipped.length });
      lastEvent = Date.now();
    };
    report(0);
    for (let i = 0; i < candidates.length; i++) {
      if (this.#cancelled) return { ok: false, message: 'The import was cancelled; nothing was saved.', cancelled: true, skipped };
      const candidate = candidates[i];
      const read = await candidate.read();
      if (!read.ok) {
        if (read.fatal) return { ok: false, message: read.reason, cancelled: false, skipped };
        skipped.push({ file: candidate.name, reason: read.reason });
        continue;
      }
      const inspected = inspectImage(read.bytes);
      if (!inspected.ok) {
        skipped.push({ file: candidate.name, reason: inspected.reason });
        continue;
      }
      try {
        await decode(read.bytes, inspected.format, pixels.subarray(labels.length * size, (labels.length + 1) * size));
        labels.push(candidate.label);
      } catch (e) {
        skipped.push({ file: candidate.name, reason: `the ${inspected.format.toUpperCase()} data does not decode (${messageOf(e)})` });
      }
      if (Date.now() - lastEvent > PROGRESS_EVERY_MS) report(i + 1);
    }
    report(candidates.length);
    if (labels.length === 0) {
      const message =
        candidates.length === 0 && skipped.length === 0
          ? 'There were no image files to import.'
          : `No image could be imported: all ${candidates.length + sources.skipped.length} files were skipped.`;
      return { ok: false, message, cancelled: false, skipped };
    }
    const built = await buildImageDataset(pixels.slice(0, labels.length * size), labels, shape, request.split);
    if (!built.ok) return { ok: false, message: built.message, cancelled: false, skipped };
    return { ok: true, dataset: built.dataset, imported: labels.length, skipped };
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
