import { describe, expect, it } from 'vitest';
import {
  acknowledge,
  acknowledgeIn,
  checkSilence,
  emptyAlertsState,
  liveSilences,
  markSilenced,
  silenceOf,
  stepAlerts,
  type AlertRule,
  type AlertsState,
  type Silence,
} from '../../../src/core/monitor/alerts';

const rule = (id: string, over: Partial<AlertRule> = {}): AlertRule => ({
  id,
  name: `rule ${id}`,
  signal: 'latency_p95_ms',
  window: { kind: 'time', ms: 60_000 },
  comparator: '>',
  threshold: 200,
  for: 1,
  severity: 'warning',
  ...over,
});

const silence = (over: Partial<Silence> = {}): Silence => ({ id: 's1', ruleId: 'a', until: 10_000, reason: 'deploying', createdAt: 1000, ...over });

/** `a` firing, `b` pending, after one window. */
function twoAlerts(): AlertsState {
  return stepAlerts(emptyAlertsState(), [rule('a'), rule('b', { for: 3 })], { a: 500, b: 500 }, { start: 0, end: 999 }).state;
}

describe('silences', () => {
  it('applies from creation up to, not including, its expiry', () => {
    const s = [silence()];
    expect(silenceOf('a', s, 999)).toBeNull();
    expect(silenceOf('a', s, 1000)).toEqual(s[0]);
    expect(silenceOf('a', s, 9999)).toEqual(s[0]);
    expect(silenceOf('a', s, 10_000)).toBeNull();
  });

  it('mutes one rule, or every rule when it names none; the longest one is reported', () => {
    const one = silence();
    const all = silence({ id: 's2', ruleId: null, until: 20_000, reason: 'maintenance' });
    expect(silenceOf('b', [one], 5000)).toBeNull();
    expect(silenceOf('b', [one, all], 5000)?.id).toBe('s2');
    expect(silenceOf('a', [one, all], 5000)?.id).toBe('s2');
    expect(silenceOf('a', [one, all], 25_000)).toBeNull();
  });

  it('marks a silenced firing alert without changing its state', () => {
    const state = twoAlerts();
    const shown = markSilenced(state.alerts, [silence({ ruleId: null })], 5000);
    expect(shown.map((a) => [a.ruleId, a.state, a.silencedBy?.id ?? null])).toEqual([
      ['a', 'firing', 's1'],
      ['b', 'pending', null],
    ]);
    const expired = markSilenced(state.alerts, [silence({ ruleId: null })], 10_000);
    expect(expired.map((a) => a.silencedBy)).toEqual([null, null]);
  });

  it('keeps only silences that have not expired', () => {
    const s = [silence(), silence({ id: 's2', until: 3000 })];
    expect(liveSilences(s, 3000).map((x) => x.id)).toEqual(['s1']);
  });

  it('locates the problems of a silence read as JSON', () => {
    expect(checkSilence(silence(), ['a'])).toEqual([]);
    expect(checkSilence({ ...silence(), ruleId: null })).toEqual([]);
    const bad = { id: '', ruleId: 'zz', until: 500, reason: ' ', createdAt: 1000, by: 'me' };
    expect(checkSilence(bad, ['a']).map((p) => p.path).sort()).toEqual(['by', 'id', 'reason', 'ruleId', 'until']);
    expect(checkSilence({ ...silence(), createdAt: 'now' }).map((p) => p.path)).toEqual(['createdAt']);
    expect(checkSilence(7)).toEqual([{ path: '', message: 'a silence must be an object' }]);
  });
});

describe('acknowledge', () => {
  it('marks a firing alert, and only once', () => {
    const [a, b] = twoAlerts().alerts;
    const r = acknowledge(a, 'ana', 1500);
    expect(r).toEqual({ ok: true, alert: { ...a, acknowledged: { by: 'ana', at: 1500 } } });
    if (!r.ok) return;
    const again = acknowledge(r.alert, 'bo', 1600);
    expect(again.ok).toBe(false);
    expect(!again.ok && again.reason).toMatch(/already acknowledged by ana/);
    expect(acknowledge(b, 'ana', 1500)).toEqual({ ok: false, reason: 'alert b@0 is pending; only a firing alert can be acknowledged' });
    expect(acknowledge(a, ' ', 1500).ok).toBe(false);
  });

  it('is kept while the alert fires and through its resolution; the next alert starts unacknowledged', () => {
    const r = rule('a');
    const acked = acknowledgeIn(twoAlerts(), 'a@0', 'ana', 1500);
    expect(acked.ok).toBe(true);
    if (!acked.ok) return;
    let s = stepAlerts(acked.state, [r], { a: 600 }, { start: 1000, end: 1999 });
    expect(s.state.alerts[0].acknowledged).toEqual({ by: 'ana', at: 1500 });
    s = stepAlerts(s.state, [r], { a: 100 }, { start: 2000, end: 2999 });
    expect(s.state.alerts[0]).toMatchObject({ state: 'resolved', acknowledged: { by: 'ana', at: 1500 } });
    expect(acknowledge(s.state.alerts[0], 'bo', 3000).ok).toBe(false);
    s = stepAlerts(s.state, [r], { a: 900 }, { start: 3000, end: 3999 });
    expect(s.state.alerts[0]).toMatchObject({ id: 'a@3000', state: 'firing', acknowledged: null });
  });

  it('says when the alert is no longer current', () => {
    expect(acknowledgeIn(twoAlerts(), 'a@42', 'ana', 1)).toEqual({ ok: false, reason: 'no current alert has the id a@42; it may have resolved and been replaced' });
  });
});
