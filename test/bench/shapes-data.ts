// The CNN's data: the app's own Shapes image sample (32 x 32 RGB, four classes), drawn seeded as the app draws it.

import { drawShapes, SHAPE_CLASSES } from '../../src/core/data/images/shapes';
import type { ColumnSchema } from '../../src/core/shared/types';
import { VALIDATION_FRACTION, type BenchData } from './synthetic';

/** `perClass` images of each shape; the classes are interleaved, so the first images are balanced too. */
export function makeShapes(perClass: number): BenchData {
  const sample = drawShapes(perClass);
  const { width, height, channels } = sample.shape;
  const codes = Int32Array.from(sample.labels, (label) => SHAPE_CLASSES.indexOf(label));
  // As Loopbench's data upload scales them (workers/train/models/data.ts).
  const features = Float32Array.from(sample.pixels, (p) => p / 255);
  const schema: ColumnSchema[] = [
    { name: 'image', type: 'image', role: 'feature' },
    { name: 'label', type: 'category', role: 'target' },
  ];
  return {
    table: {
      names: ['image', 'label'],
      columns: [
        { kind: 'image', pixels: sample.pixels, width, height, channels },
        { kind: 'category', codes: codes.slice(), dictionary: [...SHAPE_CLASSES] },
      ],
      rowCount: codes.length,
    },
    schema,
    input: { kind: 'image', width, height, channels },
    features,
    labels: codes,
    classCount: SHAPE_CLASSES.length,
    validationRows: Math.round(codes.length * VALIDATION_FRACTION),
  };
}
