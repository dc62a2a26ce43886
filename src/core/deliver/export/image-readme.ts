// The README of an image model's bundle: how to feed it a picture (in Node with predict.mjs or ONNX Runtime, in
// Python), since its rows are images rather than table columns.

import type { Preprocessor } from '../../shared/types';
import type { BundleInput } from './bundle';

type ImageSpec = NonNullable<Preprocessor['image']>;

export function imageReadme(input: BundleInput, pre: Preprocessor, image: ImageSpec): string {
  const { model } = input;
  const { column, width, height, channels } = image;
  const colour = channels === 3 ? 'RGB' : 'grey';
  const first = input.examples[0];
  const firstFile = first ? String(first.input[column]) : 'examples/0.png';
  const output = pre.task === 'classification' ? 'probabilities' : 'prediction';
  const pil = channels === 3 ? 'RGB' : 'L';
  return `# ${model.name} v${model.version}

Exported from Loopbench. Predicts \`${pre.target}\` (${pre.task}) from one ${width} x ${height} ${colour} image
(column \`${column}\`).

## Files

- \`model/model.json\`, \`model/group1-shard1of1.bin\`: the TensorFlow.js layers model.
- \`model/model.onnx\`: the same model for ONNX Runtime (opset 13). Input \`image\`: float32 [N, ${height}, ${width}, ${channels}];
  output \`${output}\`${pre.task === 'classification' ? ', one per class in the order of `labels.json`' : ''}.
- \`schema.json\`: its \`image\` says what the model reads: height, width, channels, \`layout\` NHWC, \`divideBy\` 255.
- \`preprocessing.json\`, \`labels.json\`: the recipe fitted at training time and the output classes.
- \`metrics.json\`, \`lineage.json\`, \`MODEL_CARD.md\`: how good it is, where it came from, what it is for.
- \`examples/*.png\` and \`examples.json\`: test images with the answers Loopbench gave, to verify a deployment. Each
  entry's \`input\` names its image file under \`${column}\`.
- \`predict.mjs\` (with \`transform.js\`, \`recipe.js\`, \`dates.js\`, \`check.js\`, \`csv.js\`, which it imports): a small runtime
  for Node and browsers.

There is no standalone page in this bundle: that page predicts from table rows typed into a form or read from a CSV
file, and this model reads images.

## How to feed an image

The model reads the picture exactly as Loopbench stored it on import: resized to ${width} x ${height} pixels,
${channels === 3 ? 'red, green and blue (any alpha dropped)' : 'grey (0.299 R + 0.587 G + 0.114 B, rounded)'}, each 8-bit value divided by 255,
as float32 in rows top to bottom, channels last (NHWC: [N, ${height}, ${width}, ${channels}]). Resize your image to this size
first (the examples already are).

## Node (20 or newer)

\`\`\`sh
npm install
node predict.mjs --verify            # predicts every image of examples.json; exits non-zero on any difference
node predict.mjs ${firstFile} other.png   # PNG files of ${width} x ${height} pixels (8-bit grey, RGB or RGBA)
\`\`\`

Each answer is \`{ file, ok: true, output, probabilities, warnings }\`. Exit code 0: every image answered; 1: an image
has no answer or \`--verify\` found a difference; 2: an image cannot be read (not a PNG this script reads, or not
${width} x ${height}; the message says which).

From code:

\`\`\`js
import { loadImageInput, loadModel, loadPreprocessor, predictImages, readImage } from './predict.mjs';
const [model, pre, image] = await Promise.all([loadModel('.'), loadPreprocessor('.'), loadImageInput('.')]);
const pixels = await readImage('.', '${firstFile}', image); // uint8, HWC
console.log(await predictImages(model, pre, [pixels], image));
\`\`\`

## ONNX Runtime (Python)

\`\`\`python
import json, numpy as np, onnxruntime as ort
from PIL import Image
labels = json.load(open("labels.json"))
pixels = np.asarray(Image.open("${firstFile}").convert("${pil}"), dtype=np.float32) / 255.0
x = pixels.reshape(1, ${height}, ${width}, ${channels})
session = ort.InferenceSession("model/model.onnx")
(out,) = session.run(None, {"image": x})
print(${pre.task === 'classification' ? 'labels[int(out[0].argmax())], out[0]' : 'out[0][0]'})
\`\`\`
`;
}
