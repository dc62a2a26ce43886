// Entry point of the image import worker: decoding, resizing, hashing and storing thousands of images
// stay off the main thread. Thin: the work is in workers/images/ and src/core/data/images/.

// First: it beats before the heavier modules below are evaluated (tfjs, backends).
import './shared/heartbeat';
import { expose } from 'comlink';
import { DatasetService } from './dataset/dataset-service';
import { ImageDecoder } from './images/decode';
import { createImageImport } from './images/image-import';
import { ImageImporter } from './images/importer';

const importer = new ImageImporter((shape) => {
  const decoder = new ImageDecoder(shape);
  return (bytes, format, out) => decoder.decode(bytes, format, out);
});

// A single version is written and never read back here: no cache.
expose(createImageImport(importer, new DatasetService(undefined, 0)));
