// The stored summary of an image column: how many images, their shape, and the mean intensity of
// each channel (a cheap signal that two versions' images differ, e.g. darker or recoloured).

import type { ImageColumnData, ImageSummary } from '../../shared/types';

export function summarizeImages(column: ImageColumnData): ImageSummary {
  const { pixels, width, height, channels } = column;
  const size = width * height * channels;
  const count = size === 0 ? 0 : pixels.length / size;
  const sums = new Float64Array(channels);
  for (let i = 0; i < pixels.length; i += channels) {
    for (let c = 0; c < channels; c++) sums[c] += pixels[i + c];
  }
  const perChannel = pixels.length / channels;
  const meanIntensity = Array.from(sums, (s) => (perChannel === 0 ? NaN : s / perChannel));
  return { kind: 'image', missing: 0, count, width, height, channels, meanIntensity };
}
