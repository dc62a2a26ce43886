// The image import worker's API: imports (or draws the shapes sample) and stores the version itself through the
// data plane, so a few thousand images' pixels never travel to the page. Kept apart from the entry point for tests.

import { buildImageDataset } from '../../src/core/data/images/dataset';
import { drawShapes } from '../../src/core/data/images/shapes';
import type { ImageImportApi, ImageImportOutcome, ImageStoreLabels } from '../../src/core/contracts/images';
import type { SplitSpec } from '../../src/core/shared/types';
import type { DatasetService } from '../dataset/dataset-service';
import type { ImageBuildOutcome, ImageImporter } from './importer';

export function createImageImport(importer: ImageImporter, datasets: DatasetService): ImageImportApi {
  async function store(built: ImageBuildOutcome, split: SplitSpec, labels: ImageStoreLabels): Promise<ImageImportOutcome> {
    if (!built.ok) return built;
    const { databaseName, ...named } = labels;
    const { version, stored } = await datasets.store(databaseName, built.dataset, { ...named, split });
    return { ok: true, version, stored, imported: built.imported, skipped: built.skipped };
  }
  return {
    async importImages(request, onEvent) {
      return store(await importer.run(request, onEvent), request.split, request.store);
    },
    async drawShapesSample(split, labels) {
      const sample = drawShapes();
      const built = await buildImageDataset(sample.pixels, sample.labels, sample.shape, split);
      if (!built.ok) return { ok: false, message: built.message, cancelled: false, skipped: [] };
      return store({ ok: true, dataset: built.dataset, imported: sample.labels.length, skipped: [] }, split, labels);
    },
    cancel() {
      importer.cancel();
    },
  };
}
