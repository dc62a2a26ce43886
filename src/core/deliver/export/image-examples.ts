// What an image model's bundle says about its input (schema.json's `image`) and its example images as PNG files, so
// someone who never opened Loopbench can feed the model a picture exactly as the app did.

import type { Preprocessor, RawRow } from '../../shared/types';
import { encodePng } from './png';

type ImageSpec = NonNullable<Preprocessor['image']>;

/** schema.json's `image`: the model reads one image of this size per prediction, as float32 pixels / 255 in NHWC. */
export interface BundleImageInput {
  /** The image column of the training data: the key of an example's input. */
  column: string;
  height: number;
  width: number;
  /** 3: red, green, blue; 1: grey. */
  channels: 1 | 3;
  /** The model's input tensor: float32 [N, height, width, channels], rows top to bottom, channels last. */
  layout: 'NHWC';
  /** Each 8-bit pixel value is divided by this before it reaches the model. */
  divideBy: 255;
}

export function imageSchema(spec: ImageSpec): BundleImageInput {
  return { column: spec.column, height: spec.height, width: spec.width, channels: spec.channels, layout: 'NHWC', divideBy: 255 };
}

/** Where the i-th example's image is in the bundle (what its examples.json input names). */
export function imageExampleFile(i: number): string {
  return `examples/${i}.png`;
}

/** An example's input: its image column naming the PNG file. */
export function imageExampleInput(spec: ImageSpec, i: number): RawRow {
  return { [spec.column]: imageExampleFile(i) };
}

/** The PNG files examples.json names, checked against the images given for them. */
export function imageExampleFiles(
  spec: ImageSpec,
  examples: readonly { input: RawRow }[],
  images: readonly Uint8Array[] | undefined,
): Record<string, Uint8Array> {
  if (!images || images.length !== examples.length) {
    throw new Error(`an image model's bundle needs one image per example: ${examples.length} example(s), ${images?.length ?? 0} image(s)`);
  }
  const files: Record<string, Uint8Array> = {};
  examples.forEach((example, i) => {
    const file = example.input[spec.column];
    if (file !== imageExampleFile(i)) {
      throw new Error(`example ${i} should name its image "${imageExampleFile(i)}" in column "${spec.column}", not ${JSON.stringify(file ?? null)}`);
    }
    files[file] = encodePng(images[i] as Uint8Array, spec.width, spec.height, spec.channels);
  });
  return files;
}
