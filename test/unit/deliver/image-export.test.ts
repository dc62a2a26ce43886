// The pieces of an image model's bundle that need no model: the PNG writer (read back by Node's own zlib, across
// stored-block boundaries), the example files' checks, and the docs' Node example kept word for word with the test's.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng, zlibStored } from '../../../src/core/deliver/export/png';
import { imageExampleFiles, imageExampleInput, imageSchema } from '../../../src/core/deliver/export/image-examples';
import { crc32 } from '../../../src/core/shared/zip/crc32';
import { ONNX_NODE_IMAGE_SCRIPT } from '../../fixtures/onnx-node-image';

interface Chunk {
  type: string;
  data: Uint8Array;
}

/** The chunks of a PNG, each CRC checked. */
function chunks(png: Uint8Array): Chunk[] {
  expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Chunk[] = [];
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    const type = new TextDecoder().decode(png.subarray(at + 4, at + 8));
    expect(view.getUint32(at + 8 + length), `${type} CRC`).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
    out.push({ type, data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return out;
}

function noise(length: number, seed: number): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length }, () => (state = (state * 1103515245 + 12345) >>> 0) >>> 24);
}

describe('PNG writer', () => {
  it('writes an RGB image Node reads back pixel for pixel, over several stored deflate blocks', () => {
    // 200 x 120 x 3 = 72,000 bytes of pixels plus a filter byte per row: more than one 65,535-byte stored block.
    const [width, height] = [200, 120];
    const pixels = noise(width * height * 3, 7);
    const parsed = chunks(encodePng(pixels, width, height, 3));
    expect(parsed.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const header = new DataView(parsed[0]!.data.buffer, parsed[0]!.data.byteOffset, 13);
    expect([header.getUint32(0), header.getUint32(4), ...parsed[0]!.data.subarray(8, 13)]).toEqual([width, height, 8, 2, 0, 0, 0]);
    const raw = inflateSync(parsed[1]!.data);
    expect(raw.length).toBe(height * (1 + width * 3));
    for (let y = 0; y < height; y++) {
      expect(raw[y * (1 + width * 3)]).toBe(0);
      expect(raw.subarray(y * (1 + width * 3) + 1, (y + 1) * (1 + width * 3))).toEqual(Buffer.from(pixels.subarray(y * width * 3, (y + 1) * width * 3)));
    }
  });

  it('writes grey images as colour type 0, and zlib streams of any length inflate to their bytes', () => {
    const grey = chunks(encodePng(Uint8Array.of(0, 128, 255, 7, 8, 9), 3, 2, 1));
    expect(grey[0]!.data[9]).toBe(0);
    expect(Array.from(inflateSync(grey[1]!.data))).toEqual([0, 0, 128, 255, 0, 7, 8, 9]);
    for (const n of [0, 1, 65535, 65536, 140_000]) {
      const bytes = noise(n, n + 1);
      expect(inflateSync(zlibStored(bytes)).equals(Buffer.from(bytes)), `${n} bytes`).toBe(true);
    }
  });

  it('refuses pixels that do not fill the image, saying how many it expected', () => {
    expect(() => encodePng(new Uint8Array(10), 2, 2, 3)).toThrow('a 2 x 2 x 3 image has 12 bytes, not 10');
    expect(() => encodePng(new Uint8Array(0), 0, 2, 1)).toThrow('cannot write a PNG of 0 x 2 pixels');
  });
});

describe('image examples of a bundle', () => {
  const spec = { column: 'photo', width: 2, height: 1, channels: 1 as const };

  it('names each example image in its input and writes it where the input says', () => {
    expect(imageSchema(spec)).toEqual({ column: 'photo', height: 1, width: 2, channels: 1, layout: 'NHWC', divideBy: 255 });
    const examples = [{ input: imageExampleInput(spec, 0) }, { input: imageExampleInput(spec, 1) }];
    expect(examples.map((e) => e.input)).toEqual([{ photo: 'examples/0.png' }, { photo: 'examples/1.png' }]);
    const files = imageExampleFiles(spec, examples, [Uint8Array.of(1, 2), Uint8Array.of(3, 4)]);
    expect(Object.keys(files)).toEqual(['examples/0.png', 'examples/1.png']);
    expect(Array.from(inflateSync(chunks(files['examples/1.png']!)[1]!.data))).toEqual([0, 3, 4]);
  });

  it('refuses examples without their images, or naming another file', () => {
    const examples = [{ input: imageExampleInput(spec, 0) }];
    expect(() => imageExampleFiles(spec, examples, undefined)).toThrow("an image model's bundle needs one image per example: 1 example(s), 0 image(s)");
    expect(() => imageExampleFiles(spec, [{ input: { photo: '../x.png' } }], [Uint8Array.of(1, 2)])).toThrow('example 0 should name its image "examples/0.png" in column "photo", not "../x.png"');
  });
});

describe('docs/deploying.md', () => {
  it('shows the image bundle’s ONNX Runtime example exactly as the integration test runs it', () => {
    const docs = readFileSync(fileURLToPath(new URL('../../../docs/deploying.md', import.meta.url)), 'utf8');
    expect(docs).toContain(ONNX_NODE_IMAGE_SCRIPT.trim());
  });
});
