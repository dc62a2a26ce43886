import { describe, expect, it } from 'vitest';
import {
  appendToFeed,
  emptyAlertsState,
  emptyFeed,
  FEED_LIMIT,
  notificationsToSend,
  stepAlerts,
  type AlertEvent,
  type AlertRule,
  type AlertsState,
} from '../../../src/core/monitor/alerts';

const rule = (id: string, forN: number): AlertRule => ({
  id,
  name: id,
  signal: 'top_class_share',
  window: { kind: 'count', size: 50 },
  comparator: '>=',
  threshold: 0.9,
  for: forN,
  severity: 'critical',
});

/** Every event of rules a (for 1) and b (for 2) over the given values, in order. */
function history(values: [number, number][]): AlertEvent[] {
  const rules = [rule('a', 1), rule('b', 2)];
  let state: AlertsState = emptyAlertsState();
  const all: AlertEvent[] = [];
  values.forEach(([a, b], i) => {
    const step = stepAlerts(state, rules, { a, b }, { start: i * 100, end: i * 100 + 99 });
    state = step.state;
    all.push(...step.events);
  });
  return all;
}

describe('alert feed', () => {
  it('appends in order and keeps the newest up to the limit', () => {
    const events = history([[1, 1], [0, 1], [1, 0], [0, 0]]);
    expect(events.map((e) => e.id)).toEqual(['a@0:firing', 'b@0:pending', 'a@0:resolved', 'b@0:firing', 'a@200:firing', 'b@0:resolved', 'a@200:resolved']);
    let feed = appendToFeed(emptyFeed(), events.slice(0, 4), 5);
    expect(feed).toEqual({ events: events.slice(0, 4), discarded: 0 });
    feed = appendToFeed(feed, events.slice(4), 5);
    expect(feed.events.map((e) => e.id)).toEqual(events.slice(2).map((e) => e.id));
    expect(feed.discarded).toBe(2);
  });

  it('defaults to keeping the newest 1,000', () => {
    const one = history([[1, 0]])[0];
    const many = Array.from({ length: 1200 }, (_, i) => ({ ...one, id: `e${i}` }));
    const feed = appendToFeed(emptyFeed(), many);
    expect(FEED_LIMIT).toBe(1000);
    expect(feed.events).toHaveLength(1000);
    expect(feed.events[0].id).toBe('e200');
    expect(feed.discarded).toBe(200);
    expect(() => appendToFeed(emptyFeed(), [], 0)).toThrow(/at least 1/);
  });

  it('notifies firing and resolved alerts only, unless silenced when sending', () => {
    const events = history([[1, 1], [0, 1], [1, 0]]);
    expect(notificationsToSend(events, [], 0).map((e) => e.id)).toEqual(['a@0:firing', 'a@0:resolved', 'b@0:firing', 'a@200:firing', 'b@0:resolved']);
    const muteA = { id: 's', ruleId: 'a', until: 1000, reason: 'known', createdAt: 0 };
    expect(notificationsToSend(events, [muteA], 500).map((e) => e.id)).toEqual(['b@0:firing', 'b@0:resolved']);
    expect(notificationsToSend(events, [muteA], 1000).map((e) => e.id)).toHaveLength(5);
    const muteAll = { ...muteA, ruleId: null };
    expect(notificationsToSend(events, [muteAll], 500)).toEqual([]);
  });
});
