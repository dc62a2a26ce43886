import { beforeAll, describe, expect, it } from 'vitest';
import type { CategoryProfile, NumberProfile } from '../../src/core/data/profile';
import { suggestSuite, type Expectation } from '../../src/core/data/expectations';
import type { AnalysisApi } from '../../src/core/contracts/analysis';
import type { DatasetRef } from '../../src/core/contracts/dataset';
import type { BuiltDataset } from '../../src/core/contracts/dataset';
import type { DatasetService } from '../../workers/dataset/dataset-service';
import { storedVersion } from '../fixtures/stored-version';
import { AnalysisClient } from '../../src/platform/analysis-client';
import { WorkerTimeoutError } from '../../src/platform/worker-handle';
import { createAnalysis } from '../../workers/analysis/analysis';
import { penguins } from '../fixtures/tabular';
import { workerOnChannel } from '../fixtures/support';

let data: BuiltDataset;
let ref: DatasetRef;
let datasets: DatasetService;
beforeAll(async () => {
  data = await penguins();
  ({ ref, datasets } = await storedVersion(data));
});

function column<T>(profile: { columns: { name: string }[] }, name: string): T {
  const found = profile.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name}`);
  return found as T;
}

describe('analysis API on the penguins sample', () => {
  it('profiles every column with the known statistics of the data set', async () => {
    const profile = await createAnalysis(datasets).profile(ref);
    expect(profile.rowCount).toBe(344);
    expect(profile.target).toBe('Species');
    expect(profile.columns.map((c) => c.name)).toEqual(data.schema.map((c) => c.name));

    // Palmer penguins: 342 body masses from 2700 to 6300 g, median 4050, mean 4201.75.
    const mass = column<NumberProfile>(profile, 'Body Mass (g)');
    expect(mass).toMatchObject({ kind: 'number', missing: 2, min: 2700, max: 6300, quantiles: { median: 4050 } });
    expect(mass.mean).toBeCloseTo(4201.754, 2);
    // Sample sd 801.9545 over 342 values, as a population sd.
    expect(mass.std).toBeCloseTo(801.9545 * Math.sqrt(341 / 342), 3);
    expect(mass.histogram.counts).toHaveLength(20);
    expect(mass.histogram.counts.reduce((a, b) => a + b, 0)).toBe(342);

    const flipper = column<NumberProfile>(profile, 'Flipper Length (mm)');
    expect(flipper).toMatchObject({ min: 172, max: 231, quantiles: { median: 197 } });
    // Flipper length separates the species well (eta² is about 0.78).
    expect(flipper.association?.measure).toBe('eta');
    expect(flipper.association?.value).toBeGreaterThan(0.85);
    expect(flipper.association?.value).toBeLessThan(0.95);
    expect(flipper.association?.rows).toBe(342);

    const island = column<CategoryProfile>(profile, 'Island');
    expect(island.top.map((t) => [t.value, t.count])).toEqual([
      ['Biscoe', 168],
      ['Dream', 124],
      ['Torgersen', 52],
    ]);
    expect(island.association?.measure).toBe('cramers-v');
    // Gentoo live only on Biscoe, Chinstrap only on Dream: a strong but imperfect link.
    expect(island.association?.value).toBeGreaterThan(0.6);
    expect(island.association?.value).toBeLessThan(0.8);
    expect(column<CategoryProfile>(profile, 'Species').association).toBeNull();
  });

  it('suggests a suite the version passes, and reports a tightened range with its failing rows', async () => {
    const api = createAnalysis(datasets);
    const suite = suggestSuite(await api.profile(ref));
    const passing = await api.validate(suite, ref);
    expect(passing.passed).toBe(true);

    const tightened: Expectation[] = suite.map((e) => (e.id === 'range:Body Mass (g)' && e.kind === 'range' ? { ...e, max: 6000 } : e));
    const report = await api.validate(tightened, ref);
    expect(report.passed).toBe(false);
    const failed = report.results.filter((r) => !r.passed);
    expect(failed.map((r) => r.id)).toEqual(['range:Body Mass (g)']);
    // Masses above 6000 g, counted by hand from the data.
    const heavy = Array.from((data.table.columns[data.schema.findIndex((c) => c.name === 'Body Mass (g)')] as { values: Float64Array }).values).filter(
      (v) => v > 6000,
    );
    expect(failed[0].failingRows).toBe(heavy.length);
    expect(failed[0].failingRows).toBeGreaterThan(0);
    expect(Number(failed[0].example)).toBeGreaterThan(6000);
  });
});

describe('AnalysisClient', () => {
  it('names the version by id: the worker reads it, the page gets the profile and the report', async () => {
    const client = new AnalysisClient(workerOnChannel(createAnalysis(datasets)));
    const profile = await client.profile(ref);
    expect(profile.columns).toHaveLength(data.schema.length);
    expect(profile.rowCount).toBe(344);
    const report = await client.validate([{ id: 'n', kind: 'row-count', min: 1, max: 10, enabled: true }], ref);
    expect(report.results[0]).toMatchObject({ passed: false, example: '344' });
  });

  it('ends a call that is aborted or runs past its timeout', async () => {
    const never = () => new Promise<never>(() => {});
    const hanging: AnalysisApi = { profile: never, validate: never, previewRecipe: never, applyRecipe: never, dataTests: never, monitorSignals: never, monitorDrill: never };
    const client = new AnalysisClient(workerOnChannel(hanging), 200);
    await expect(client.profile(ref)).rejects.toBeInstanceOf(WorkerTimeoutError);

    const patient = new AnalysisClient(workerOnChannel(hanging), 60_000);
    const abort = new AbortController();
    const pending = patient.profile(ref, abort.signal);
    abort.abort();
    await expect(pending).rejects.toEqual({ kind: 'cancelled' });
    await expect(patient.validate([], ref, abort.signal)).rejects.toEqual({ kind: 'cancelled' });
  });
});
