// Entry point of the image import worker: decoding, resizing and hashing thousands of images stay off
// the main thread. Thin: the work is in workers/images/ and src/core/data/images/.

// First: it beats before the heavier modules below are evaluated (tfjs, backends).
import './shared/heartbeat';
import { expose, transfer } from 'comlink';
import { buildImageDataset } from '../src/core/data/images/dataset';
import { drawShapes } from '../src/core/data/images/shapes';
import { columnBuffer } from '../src/core/data/columns';
import type { ImageImportApi, ImageImportOutcome } from '../src/core/worker-api';
import { ImageDecoder } from './images/decode';
import { ImageImporter } from './images/importer';

const importer = new ImageImporter((shape) => {
  const decoder = new ImageDecoder(shape);
  return (bytes, format, out) => decoder.decode(bytes, format, out);
});

/** The dataset's buffers move to the main thread instead of being copied. */
function handOver(outcome: ImageImportOutcome): ImageImportOutcome {
  if (!outcome.ok) return outcome;
  const { table, assignment } = outcome.dataset;
  return transfer(outcome, [...table.columns.map(columnBuffer), assignment.buffer as ArrayBuffer]);
}

const api: ImageImportApi = {
  async importImages(request, onEvent) {
    return handOver(await importer.run(request, onEvent));
  },
  async drawShapesSample(split) {
    const sample = drawShapes();
    const built = await buildImageDataset(sample.pixels, sample.labels, sample.shape, split);
    if (!built.ok) return { ok: false, message: built.message, cancelled: false, skipped: [] };
    return handOver({ ok: true, dataset: built.dataset, imported: sample.labels.length, skipped: [] });
  },
  cancel() {
    importer.cancel();
  },
};

expose(api);
