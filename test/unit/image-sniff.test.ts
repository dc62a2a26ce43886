import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkDimensions, inspectImage, sniffImage } from '../../src/core/data/images/sniff';
import { encodeBmp, encodeGif, encodePng, pngBomb, samplePng, textNamedPng, truncatedJpeg } from '../fixtures/image-files';

const fixture = (name: string) => new Uint8Array(readFileSync(`test/fixtures/hostile-images/${name}`));

function bytes(...parts: (number[] | string)[]): Uint8Array {
  return new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
}

describe('sniffImage', () => {
  it('reads PNG dimensions from IHDR', () => {
    expect(sniffImage(encodePng(37, 11, () => [0, 0, 0]))).toEqual({ ok: true, format: 'png', width: 37, height: 11 });
  });

  it('walks JPEG segments to the start-of-frame marker', () => {
    expect(sniffImage(truncatedJpeg())).toEqual({ ok: true, format: 'jpeg', width: 32, height: 32 });
    // A progressive frame (SOF2) after an APP1 segment, with fill bytes before the marker.
    const app1 = [0xff, 0xe1, 0x00, 0x06, 1, 2, 3, 4];
    const sof2 = [0xff, 0xff, 0xc2, 0x00, 0x11, 0x08, 0x01, 0x2c, 0x02, 0x58, 0x03];
    expect(sniffImage(bytes([0xff, 0xd8], app1, sof2))).toEqual({ ok: true, format: 'jpeg', width: 600, height: 300 });
  });

  it('reads GIF, WebP (lossy, lossless, extended) and BMP headers', () => {
    expect(sniffImage(bytes('GIF89a', [0x40, 0x01, 0xf0, 0x00], [0, 0, 0]))).toMatchObject({ format: 'gif', width: 320, height: 240 });
    const vp8 = bytes('RIFF', [0, 0, 0, 0], 'WEBP', 'VP8 ', [0, 0, 0, 0], [0, 0, 0], [0x9d, 0x01, 0x2a], [0x80, 0x02, 0xe0, 0x01]);
    expect(sniffImage(vp8)).toMatchObject({ format: 'webp', width: 640, height: 480 });
    // VP8L: 14 bits width-1, 14 bits height-1 after the 0x2f signature: 100 x 50.
    const bits = 99 | (49 << 14);
    const vp8l = bytes('RIFF', [0, 0, 0, 0], 'WEBP', 'VP8L', [0, 0, 0, 0], [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, (bits >>> 24) & 0xff]);
    expect(sniffImage(vp8l)).toMatchObject({ format: 'webp', width: 100, height: 50 });
    const vp8x = bytes('RIFF', [0, 0, 0, 0], 'WEBP', 'VP8X', [10, 0, 0, 0], [0, 0, 0, 0], [0x1f, 0x03, 0x00], [0x0f, 0x27, 0x00]);
    expect(sniffImage(vp8x)).toMatchObject({ format: 'webp', width: 800, height: 10000 });
    expect(sniffImage(encodeBmp(5, 7, () => [1, 2, 3]))).toEqual({ ok: true, format: 'bmp', width: 5, height: 7 });
  });

  it('refuses content that is no image, whatever its name', () => {
    const result = sniffImage(textNamedPng());
    expect(result).toEqual({ ok: false, reason: 'not an image: the content is not PNG, JPEG, GIF, WebP or BMP' });
    expect(sniffImage(new Uint8Array(0)).ok).toBe(false);
  });

  it('reports a header that ends early as truncated', () => {
    const png = encodePng(4, 4, () => [0, 0, 0]).subarray(0, 20);
    expect(sniffImage(png)).toEqual({ ok: false, reason: 'the file is truncated: its header ends early' });
    expect(sniffImage(bytes([0xff, 0xd8, 0xff, 0xe0, 0x00]))).toMatchObject({ ok: false });
  });
});

describe('inspectImage', () => {
  it('passes well-formed images', () => {
    expect(inspectImage(samplePng('red'))).toMatchObject({ ok: true, width: 20, height: 20 });
    expect(inspectImage(encodeBmp(8, 8, () => [0, 0, 0]))).toMatchObject({ ok: true, format: 'bmp' });
  });

  it('refuses a decompression bomb by its header, before decoding', () => {
    const result = inspectImage(pngBomb());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/claims 100000 x 100000 pixels.*decompression bomb/);
    expect(inspectImage(fixture('huge-dimensions.png'))).toEqual(result);
    expect(checkDimensions(16_384, 2_000)).toBeNull();
    expect(checkDimensions(16_385, 1)).toMatch(/over the limit/);
    expect(checkDimensions(10_000, 10_000)).toMatch(/megapixels/);
    expect(checkDimensions(0, 10)).toMatch(/no valid size/);
  });

  it('refuses a file cut before its end marker', () => {
    expect(inspectImage(fixture('truncated.jpg'))).toEqual({ ok: false, reason: 'the file is truncated: its end marker is missing' });
    const png = samplePng('blue');
    expect(inspectImage(png.subarray(0, png.length - 20))).toMatchObject({ ok: false, reason: /truncated/ });
    const bmp = encodeBmp(8, 8, () => [0, 0, 0]);
    expect(inspectImage(bmp.subarray(0, 100))).toMatchObject({ ok: false, reason: /truncated/ });
    expect(inspectImage(fixture('text-named.png'))).toMatchObject({ ok: false, reason: /not an image/ });
  });
});

describe('the GIF fixture encoder', () => {
  it('makes a GIF whose header the sniffer reads', () => {
    const gif = encodeGif(12, 9, [[0, 0, 0], [255, 255, 255]], (x) => (x < 6 ? 0 : 1));
    expect(inspectImage(gif)).toEqual({ ok: true, format: 'gif', width: 12, height: 9 });
  });
});
