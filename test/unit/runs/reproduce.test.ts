import { describe, expect, it } from 'vitest';
import {
  compareReproduction,
  describeVersionDifferences,
  FINAL_LOSS_KEY,
  finalLoss,
  libraryRecord,
  verdictOf,
  versionDifferences,
  type LibraryPackages,
} from '../../../src/core/evaluate/runs/reproduce';
import { makeRun, point } from './fixtures';

const PACKAGES: LibraryPackages = {
  loopbench: '0.1.0',
  tfjs: '4.22.0',
  'tfjs-core': '4.22.0',
  'tfjs-layers': '4.22.0',
  backends: { cpu: '4.22.0', wasm: '4.22.1' },
};

const VERSIONS = libraryRecord('wasm', PACKAGES);
const METRICS = { accuracy: 0.9705882352941176, precision: 0.96, recall: 0.95, f1: 0.955 };
const HISTORY = [point('loss', 1, 0.9), point('val_loss', 1, 0.95), point('loss', 2, 0.41234567), point('val_loss', 2, 0.5)];
const original = makeRun('orig', { metrics: { ...METRICS }, history: HISTORY, versions: VERSIONS });
const copy = (over: Parameters<typeof makeRun>[1] = {}) =>
  makeRun('repro', { metrics: { ...METRICS }, history: HISTORY.map((p) => ({ ...p, timestamp: p.timestamp + 5000 })), versions: { ...VERSIONS }, ...over });

describe('libraryRecord', () => {
  it('keeps the old keys and adds the packages that decide the numbers, with the backend’s own package', () => {
    expect(VERSIONS).toEqual({
      tfjs: '4.22.0',
      backend: 'wasm',
      'tfjs-core': '4.22.0',
      'tfjs-layers': '4.22.0',
      'tfjs-backend-wasm': '4.22.1',
      loopbench: '0.1.0',
    });
    expect(libraryRecord('cpu', PACKAGES)['tfjs-backend-cpu']).toBe('4.22.0');
    expect(libraryRecord('cpu', PACKAGES)).not.toHaveProperty('tfjs-backend-wasm');
    // A backend whose package version is unknown records no key rather than a made-up one.
    expect(libraryRecord('webgl', PACKAGES)).not.toHaveProperty('tfjs-backend-webgl');
  });
});

describe('versionDifferences', () => {
  it('lists changed and missing keys, and nothing for equal records', () => {
    expect(versionDifferences(VERSIONS, { ...VERSIONS })).toEqual([]);
    const old = { tfjs: '4.21.0', backend: 'wasm' };
    const diffs = versionDifferences(old, VERSIONS);
    expect(diffs.map((d) => d.key)).toEqual(['loopbench', 'tfjs', 'tfjs-backend-wasm', 'tfjs-core', 'tfjs-layers']);
    expect(diffs.find((d) => d.key === 'tfjs')).toEqual({ key: 'tfjs', recorded: '4.21.0', current: '4.22.0' });
    expect(diffs.find((d) => d.key === 'loopbench')).toEqual({ key: 'loopbench', recorded: null, current: '0.1.0' });
    const text = describeVersionDifferences(diffs);
    expect(text).toContain('tfjs 4.21.0 recorded, this app has 4.22.0');
    expect(text).toContain('loopbench was not recorded (this app: 0.1.0)');
  });
});

describe('compareReproduction', () => {
  it('calls an identical replay identical, counting the metrics compared', () => {
    const c = compareReproduction(original, copy());
    expect(c).toEqual({ identical: true, metricCount: 4, finalLossCompared: true, rows: [], recordDifferences: [] });
    expect(verdictOf(c)).toBe('Reproduced exactly: all 4 test metrics and the final training loss are identical.');
  });

  it('reports a metric that differs by the smallest amount, with its size', () => {
    const next = METRICS.accuracy + Number.EPSILON;
    const c = compareReproduction(original, copy({ metrics: { ...METRICS, accuracy: next } }));
    expect(c.identical).toBe(false);
    expect(c.rows).toEqual([{ key: 'accuracy', original: METRICS.accuracy, reproduction: next, difference: next - METRICS.accuracy }]);
    expect(c.rows[0].difference).not.toBe(0);
    expect(verdictOf(c)).toBe('Not reproduced exactly: 1 figure differs (see below).');
  });

  it('compares the final training loss (the last epoch, not the last point written)', () => {
    expect(finalLoss([point('loss', 3, 0.2), point('loss', 1, 0.9)])).toBe(0.2);
    expect(finalLoss([point('val_loss', 1, 0.2)])).toBeNull();
    // Same first epoch and validation loss; the last epoch's training loss one step off.
    const history = [...HISTORY.slice(0, 2), point('loss', 2, 0.41234568), HISTORY[3]];
    const c = compareReproduction(original, copy({ history }));
    expect(c.rows.map((r) => r.key)).toEqual([FINAL_LOSS_KEY]);
    expect(c.rows[0]).toMatchObject({ original: 0.41234567, reproduction: 0.41234568 });
    expect(c.rows[0].difference).toBeCloseTo(1e-8, 12);
  });

  it('reports metrics missing on either side without a difference', () => {
    const { f1: _dropped, ...fewer } = METRICS;
    const c = compareReproduction(original, copy({ metrics: { ...fewer, mae: 1 } }));
    expect(c.identical).toBe(false);
    expect(c.metricCount).toBe(3);
    expect(c.rows).toEqual([
      { key: 'f1', original: METRICS.f1, reproduction: null, difference: null },
      { key: 'mae', original: null, reproduction: 1, difference: null },
    ]);
    expect(verdictOf(c)).toBe('Not reproduced exactly: 2 figures differ (see below).');
  });

  it('reports a different backend, library versions, dataset and parameters apart from the figures', () => {
    const params = structuredClone(original.params);
    params.hyper.seed = 8;
    const c = compareReproduction(
      original,
      copy({ backend: 'cpu', versions: libraryRecord('cpu', { ...PACKAGES, tfjs: '4.23.0' }), datasetId: 'e'.repeat(64), params }),
    );
    // Same figures: the verdict is about them; the record differences are listed for the reader to weigh.
    expect(c.identical).toBe(true);
    expect(c.recordDifferences).toEqual([
      { field: 'backend', original: 'wasm', reproduction: 'cpu' },
      { field: 'dataset version', original: 'd'.repeat(64), reproduction: 'e'.repeat(64) },
      { field: 'library tfjs', original: '4.22.0', reproduction: '4.23.0' },
      { field: 'library tfjs-backend-cpu', original: '–', reproduction: '4.22.0' },
      { field: 'library tfjs-backend-wasm', original: '4.22.1', reproduction: '–' },
      { field: 'parameter hyper.seed', original: '7', reproduction: '8' },
    ]);
  });

  it('reports another browser or GPU when both runs recorded where they trained', () => {
    const env = { browser: 'Chromium 140 on Linux', backend: 'webgl' as const, device: 'ANGLE (NVIDIA)', tfjs: '4.22.0', cores: 8 };
    const c = compareReproduction(
      copy({ environment: env }),
      copy({ environment: { ...env, browser: 'Chromium 141 on Linux', device: null } }),
    );
    expect(c.recordDifferences).toEqual([
      { field: 'browser', original: 'Chromium 140 on Linux', reproduction: 'Chromium 141 on Linux' },
      { field: 'device', original: 'ANGLE (NVIDIA)', reproduction: '–' },
    ]);
    // An older run without the record: nothing to weigh, rather than a difference that may not exist.
    expect(compareReproduction(original, copy({ environment: env })).recordDifferences).toEqual([]);
  });

    it('treats two NaN figures as the same and says when there is nothing to compare', () => {
    const a = makeRun('a', { metrics: { r2: NaN } });
    expect(compareReproduction(a, makeRun('b', { metrics: { r2: NaN } })).identical).toBe(true);
    const empty = compareReproduction(makeRun('a'), makeRun('b'));
    expect(empty.identical).toBe(false);
    expect(verdictOf(empty)).toBe('Nothing to compare: neither run recorded test metrics or a training loss.');
  });
});
