import { describe, expect, it } from 'vitest';
import { buildLineage, type LineageVersion } from '../../../src/core/data/lineage';
import {
  admit,
  alertTriggers,
  canStart,
  lineageMembers,
  newRun,
  newVersionTriggers,
  next,
  resolveSource,
  runsToStart,
  setTriggerPaused,
  type PipelineRun,
} from '../../../src/core/deliver/pipeline';
import { pipeline } from './pipeline-fixtures';

const queued = (id: string, pipelineId: string, at: number) => newRun({ id, pipelineId, at, trigger: { kind: 'manual' } });
function running(id: string, pipelineId: string, at: number): PipelineRun {
  const step = next(queued(id, pipelineId, at), { type: 'start', at });
  if (!step.ok) throw new Error(step.reason);
  return step.run;
}
function finished(id: string, pipelineId: string, at: number): PipelineRun {
  const step = next(running(id, pipelineId, at), { type: 'cancel', at: at + 1, reason: 'done' });
  if (!step.ok) throw new Error(step.reason);
  return step.run;
}

describe('scheduler: never two runs of one pipeline at once', () => {
  it('starts when idle, queues one behind a running run, and drops the rest', () => {
    expect(admit([finished('old', 'a', 0)], 'a').action).toBe('start');
    expect(admit([running('r1', 'a', 1), running('r2', 'b', 1)], 'a').action).toBe('queue');
    expect(admit([running('r1', 'a', 1), queued('r2', 'a', 2)], 'a')).toEqual({ action: 'drop', reason: expect.stringMatching(/r2 is already waiting/) });
    expect(admit([queued('r2', 'a', 2)], 'a').action).toBe('drop');
  });

  it('lets a queued run start only when its pipeline is idle and it is the oldest queued', () => {
    const runs = [running('r1', 'a', 1), queued('r2', 'a', 2), queued('r3', 'b', 3), queued('r4', 'b', 2)];
    expect(canStart(runs, 'r2')).toEqual({ ok: false, reason: expect.stringMatching(/r1 of the same pipeline/) });
    expect(canStart(runs, 'r3')).toEqual({ ok: false, reason: expect.stringMatching(/r4 was queued first/) });
    expect(canStart(runs, 'r4')).toEqual({ ok: true });
    expect(canStart(runs, 'r1').ok).toBe(false);
    expect(canStart(runs, 'nope').ok).toBe(false);
    expect(runsToStart(runs).map((r) => r.id)).toEqual(['r4']);
    expect(runsToStart([finished('f', 'a', 0), queued('q', 'a', 1)]).map((r) => r.id)).toEqual(['q']);
  });
});

const v = (id: string, parents: string[] = [], createdAt = 1): LineageVersion => ({ id, name: id, parents, createdAt, rowCount: 10 });
// raw -> clean -> scaled, and an unrelated import `other`.
const versions = [v('raw', [], 1), v('clean', ['raw'], 2), v('scaled', ['clean'], 3), v('other', [], 4)];
const graph = buildLineage(versions, []);

describe('lineage sources', () => {
  it('covers the root and everything derived from it', () => {
    expect([...lineageMembers(graph, 'raw')].sort()).toEqual(['clean', 'raw', 'scaled']);
    expect([...lineageMembers(graph, 'clean')].sort()).toEqual(['clean', 'scaled']);
    expect(lineageMembers(graph, 'missing').size).toBe(0);
  });

  it('resolves to the newest member, or a fixed version, or says why not', () => {
    expect(resolveSource({ kind: 'lineage', rootVersionId: 'raw' }, versions)).toEqual({ ok: true, versionId: 'scaled' });
    expect(resolveSource({ kind: 'lineage', rootVersionId: 'other' }, versions)).toEqual({ ok: true, versionId: 'other' });
    expect(resolveSource({ kind: 'version', versionId: 'clean' }, versions)).toEqual({ ok: true, versionId: 'clean' });
    expect(resolveSource({ kind: 'version', versionId: 'gone' }, versions).ok).toBe(false);
    expect(resolveSource({ kind: 'lineage', rootVersionId: 'gone' }, versions).ok).toBe(false);
    const tie = [v('raw', [], 1), v('b', ['raw'], 5), v('a', ['raw'], 5)];
    expect(resolveSource({ kind: 'lineage', rootVersionId: 'raw' }, tie)).toEqual({ ok: true, versionId: 'b' });
  });
});

describe('new-version triggers', () => {
  const withNew = buildLineage([...versions, v('fresh', ['scaled'], 9)], []);
  const decide = (pipelines = [pipeline()], runs: PipelineRun[] = [], versionId = 'fresh') =>
    newVersionTriggers({ projectId: 'p1', versionId, graph: withNew, pipelines, runs });

  it('starts a pipeline whose lineage gained the version', () => {
    expect(decide()).toEqual([{ pipelineId: 'pl-1', action: 'start', reason: expect.stringMatching(/fresh is new in its lineage/) }]);
  });

  it('does not trigger on another lineage, a fixed source, a paused or off trigger, or another project', () => {
    expect(decide([pipeline()], [], 'other')[0]).toMatchObject({ action: 'none', reason: expect.stringMatching(/not in the lineage/) });
    expect(decide([pipeline({ source: { kind: 'version', versionId: 'raw' } })])[0]?.action).toBe('none');
    expect(decide([pipeline({ triggers: { newVersion: 'paused', alert: 'on' } })])[0]).toMatchObject({ action: 'none', reason: 'the new-version trigger is paused' });
    expect(decide([pipeline({ triggers: { newVersion: 'off', alert: 'on' } })])[0]?.reason).toMatch(/off/);
    expect(decide([pipeline({ projectId: 'p2' })])).toEqual([]);
  });

  it('queues at most one run behind a running one', () => {
    expect(decide([pipeline()], [running('r1', 'pl-1', 1)])[0]?.action).toBe('queue');
    expect(decide([pipeline()], [running('r1', 'pl-1', 1), queued('r2', 'pl-1', 2)])[0]?.action).toBe('none');
  });

  it('decides each pipeline on its own', () => {
    const two = [pipeline(), pipeline({ id: 'pl-2', source: { kind: 'lineage', rootVersionId: 'other' } })];
    expect(decide(two, [running('r1', 'pl-1', 1)]).map((d) => d.action)).toEqual(['queue', 'none']);
  });

  it('pausing and resuming changes only that trigger, and never turns on one that is off', () => {
    const paused = setTriggerPaused(pipeline(), 'newVersion', true);
    expect(paused.triggers).toEqual({ newVersion: 'paused', alert: 'paused' });
    expect(setTriggerPaused(paused, 'alert', false).triggers).toEqual({ newVersion: 'paused', alert: 'on' });
    const off = pipeline({ triggers: { newVersion: 'off', alert: 'off' } });
    expect(setTriggerPaused(off, 'alert', false)).toBe(off);
  });
});

describe('alert triggers', () => {
  const decide = (pipelines = [pipeline({ triggers: { newVersion: 'on', alert: 'on' } })], runs: PipelineRun[] = []) =>
    alertTriggers({ projectId: 'p1', modelName: 'Churn', alertId: 'al-1', pipelines, runs });

  it('starts the pipelines that promote the alerting model', () => {
    expect(decide()).toEqual([{ pipelineId: 'pl-1', action: 'start', reason: expect.stringMatching(/alert al-1 fired/) }]);
    expect(decide([pipeline({ promotion: { mode: 'auto', model: 'other', alias: 'champion' } })])).toEqual([]);
  });

  it('respects pause and the one-at-a-time rule', () => {
    expect(decide([pipeline()])[0]).toMatchObject({ action: 'none', reason: 'the alert trigger is paused' });
    expect(decide(undefined, [running('r1', 'pl-1', 1), queued('r2', 'pl-1', 2)])[0]?.action).toBe('none');
  });
});
