// Decoding in the worker: the browser's own decoders (createImageBitmap) resize the image to the
// project's input size, and an OffscreenCanvas gives its pixels as RGBA, kept as RGB or grey.

import type { ImageShape } from '../../src/core/shared/types';
import type { ImageFormat } from '../../src/core/data/images/sniff';

const MIME: Record<ImageFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
};

export class ImageDecoder {
  readonly #canvas: OffscreenCanvas;
  readonly #context: OffscreenCanvasRenderingContext2D;

  constructor(private readonly shape: ImageShape) {
    this.#canvas = new OffscreenCanvas(shape.width, shape.height);
    const context = this.#canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('This browser cannot draw images in a worker (no OffscreenCanvas 2D).');
    this.#context = context;
  }

  /** Writes the image's pixels (HWC) into `out`; throws when the browser cannot decode it. */
  async decode(bytes: Uint8Array, format: ImageFormat, out: Uint8Array): Promise<void> {
    const { width, height, channels } = this.shape;
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: MIME[format] });
    // Stretched to the input size: cropping would cut off objects near the border.
    const bitmap = await createImageBitmap(blob, { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' });
    const ctx = this.#context;
    // Transparent pixels are composited over white, as most viewers show them.
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(bitmap, 0, 0, width, height);
    bitmap.close();
    const rgba = ctx.getImageData(0, 0, width, height).data;
    const n = width * height;
    if (channels === 3) {
      for (let p = 0; p < n; p++) {
        out[p * 3] = rgba[p * 4];
        out[p * 3 + 1] = rgba[p * 4 + 1];
        out[p * 3 + 2] = rgba[p * 4 + 2];
      }
    } else {
      for (let p = 0; p < n; p++) out[p] = Math.round(0.299 * rgba[p * 4] + 0.587 * rgba[p * 4 + 1] + 0.114 * rgba[p * 4 + 2]);
    }
  }
}
