// The summary of a fitted input the Train screen shows before any run: the page never fits a preprocessor itself.

import type { PreparedInput } from '../../src/core/train/spec/input';
import type { InputSummary } from '../../src/core/contracts/train';

export function summarizeInput({ input, outputs, preprocessor }: PreparedInput): InputSummary {
  const features: InputSummary['features'] = preprocessor.image
    ? [{ name: preprocessor.image.column, kind: 'image', width: preprocessor.image.width * preprocessor.image.height * preprocessor.image.channels }]
    : preprocessor.features.map((f) => ({ name: f.name, kind: f.kind, width: f.kind === 'category' ? f.categories.length : 1 }));
  return { input, outputs, features };
}
