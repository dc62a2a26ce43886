// Reading one model version's chunk in another version's classes (every version of a model as one series): outputs,
// labels and probabilities move to the reference's class indexes; a class the reference lacks is refused by name.

import { describe, expect, it } from 'vitest';
import { alignClasses } from '../../../src/core/monitor/log/align-classes';
import { ChunkBuilder } from '../../../src/core/monitor/log/chunk-builder';
import { labelOf, outputOf, probabilitiesOf, rowOf } from '../../../src/core/monitor/log/chunk-read';
import type { LoggedRequest, RequestChunk } from '../../../src/core/monitor/log/types';
import { classifier, regressor } from './log-fixtures';

const REFERENCE = ['drizzle', 'fog', 'rain', 'sun'];

function chunkOf(classes: string[], requests: LoggedRequest[], task: 'classification' | 'regression' = 'classification'): RequestChunk {
  const builder = new ChunkBuilder(task === 'classification' ? classifier({ classes, modelVersion: 2 }) : regressor());
  for (const r of requests) builder.append(r);
  return builder.seal();
}

const req = (id: number, output: string | number | null, probabilities: number[] | null, label: string | number | null): LoggedRequest => ({
  id,
  at: id,
  inputs: { x: id },
  output,
  probabilities,
  latencyMs: 1,
  warnings: [],
  ...(output === null ? { error: 'no answer' } : {}),
  ...(label === null ? {} : { label, labelAt: id + 1 }),
});

describe('alignClasses', () => {
  // A retrained model that knows two of the four classes, in another order.
  const chunk = chunkOf(
    ['sun', 'rain'],
    [req(0, 'sun', [0.75, 0.25], 'rain'), req(1, 'rain', [0.125, 0.875], 'sun'), req(2, null, null, null)],
  );

  it('re-indexes outputs, labels and probabilities onto the reference classes', () => {
    const aligned = alignClasses(chunk, REFERENCE);
    expect(aligned.classes).toEqual(REFERENCE);
    expect([0, 1, 2].map((r) => outputOf(aligned, r))).toEqual(['sun', 'rain', null]);
    expect([0, 1, 2].map((r) => labelOf(aligned, r))).toEqual(['rain', 'sun', null]);
    // Classes the model does not have get probability 0; a row without probabilities stays without.
    expect(probabilitiesOf(aligned, 0)).toEqual([0, 0, 0.25, 0.75]);
    expect(probabilitiesOf(aligned, 1)).toEqual([0, 0, 0.875, 0.125]);
    expect(probabilitiesOf(aligned, 2)).toBeNull();
    // Everything else is the chunk's own, and the chunk itself is not changed.
    expect(rowOf(aligned, 1)).toMatchObject({ id: 1, inputs: { x: 1 }, latencyMs: 1 });
    expect(chunk.classes).toEqual(['sun', 'rain']);
    expect(outputOf(chunk, 0)).toBe('sun');
  });

  it('returns a chunk already in the reference classes, and a regression chunk, as they are', () => {
    const same = chunkOf(REFERENCE, [req(0, 'fog', [0.25, 0.25, 0.25, 0.25], null)]);
    expect(alignClasses(same, REFERENCE)).toBe(same);
    const regression = chunkOf([], [req(0, 21.5, null, 20)], 'regression');
    expect(alignClasses(regression, REFERENCE)).toBe(regression);
  });

  it('refuses a class the reference model does not have', () => {
    const snow = chunkOf(['snow', 'sun'], [req(0, 'snow', [0.5, 0.5], null)]);
    expect(() => alignClasses(snow, REFERENCE)).toThrow(
      'penguins v2 answers "snow", which the reference model\'s classes [drizzle, fog, rain, sun] do not hold: its log cannot be read in the reference\'s classes.',
    );
  });
});
