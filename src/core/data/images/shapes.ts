// The built-in image sample: circles, squares, triangles and crosses drawn into small RGB images with
// a random size, position and colour on a random background, plus pixel noise. Pure and seeded, so
// every device draws the same pixels and the sample's version id is the same everywhere.

import { mulberry32 } from '../../shared/rng';
import type { ImageShape } from '../../shared/types';

export const SHAPE_CLASSES = ['circle', 'cross', 'square', 'triangle'] as const;
export type ShapeClass = (typeof SHAPE_CLASSES)[number];

export const SHAPES_IMAGE: ImageShape = { width: 32, height: 32, channels: 3 };
export const SHAPES_PER_CLASS = 500;
export const SHAPES_SEED = 20261127;

export interface ShapesSample {
  shape: ImageShape;
  /** `labels.length` images, HWC, row after row. */
  pixels: Uint8Array;
  labels: ShapeClass[];
}

/** Inside test for a unit shape centred at 0 with "radius" 1. */
const INSIDE: Record<ShapeClass, (x: number, y: number) => boolean> = {
  circle: (x, y) => x * x + y * y <= 1,
  square: (x, y) => Math.abs(x) <= 0.8 && Math.abs(y) <= 0.8,
  // Apex at the top, base at the bottom: y grows downwards in image rows.
  triangle: (x, y) => y <= 0.8 && y >= -1 && Math.abs(x) <= (y + 1) * 0.5,
  cross: (x, y) => (Math.abs(x) <= 0.28 && Math.abs(y) <= 1) || (Math.abs(y) <= 0.28 && Math.abs(x) <= 1),
};

export function drawShapes(perClass = SHAPES_PER_CLASS, seed = SHAPES_SEED, shape: ImageShape = SHAPES_IMAGE): ShapesSample {
  const { width, height, channels } = shape;
  const rand = mulberry32(seed);
  const count = perClass * SHAPE_CLASSES.length;
  const size = width * height * channels;
  const pixels = new Uint8Array(count * size);
  const labels: ShapeClass[] = [];
  for (let i = 0; i < count; i++) {
    // Classes interleaved, so any prefix of the sample is balanced.
    const label = SHAPE_CLASSES[i % SHAPE_CLASSES.length];
    labels.push(label);
    drawOne(pixels.subarray(i * size, (i + 1) * size), shape, label, rand);
  }
  return { shape, pixels, labels };
}

function drawOne(out: Uint8Array, shape: ImageShape, label: ShapeClass, rand: () => number): void {
  const { width, height, channels } = shape;
  const side = Math.min(width, height);
  const radius = side * (0.18 + rand() * 0.22);
  const cx = radius + rand() * (width - 2 * radius);
  const cy = radius + rand() * (height - 2 * radius);
  const angle = label === 'circle' ? 0 : (rand() - 0.5) * 0.6;
  const background = randomColour(rand);
  let foreground = randomColour(rand);
  // Keep the shape visible: push the colours apart when they are too alike.
  if (distance(background, foreground) < 160) foreground = foreground.map((v, c) => (background[c] > 127 ? v * 0.35 : 255 - (255 - v) * 0.35));
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const inside = INSIDE[label];
  const grey = channels === 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = (x + 0.5 - cx) / radius;
      const dy = (y + 0.5 - cy) / radius;
      const hit = inside(dx * cos + dy * sin, -dx * sin + dy * cos);
      const colour = hit ? foreground : background;
      const at = (y * width + x) * channels;
      if (grey) out[at] = clamp(luma(colour) + noise(rand));
      else for (let c = 0; c < 3; c++) out[at + c] = clamp(colour[c] + noise(rand));
    }
  }
}

function randomColour(rand: () => number): number[] {
  return [rand() * 255, rand() * 255, rand() * 255];
}

function distance(a: number[], b: number[]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

function luma(c: number[]): number {
  return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
}

/** Roughly normal noise (sum of three uniforms), standard deviation about 12 levels. */
function noise(rand: () => number): number {
  return (rand() + rand() + rand() - 1.5) * 24;
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}
