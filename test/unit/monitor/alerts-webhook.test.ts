import { describe, expect, it } from 'vitest';
import {
  emptyAlertsState,
  NO_END,
  stepAlerts,
  webhookPayload,
  type AlertEvent,
  type AlertRule,
  type NotifyingEvent,
} from '../../../src/core/monitor/alerts';

const rule: AlertRule = {
  id: 'drift-bill',
  name: 'Bill length drifts',
  signal: 'feature_drift',
  column: 'bill_length_mm',
  window: { kind: 'time', ms: 3_600_000 },
  comparator: '>=',
  threshold: 0.1,
  for: 1,
  severity: 'critical',
  description: 'Wasserstein distance against the training split',
};

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

function events(): NotifyingEvent[] {
  const fired = stepAlerts(emptyAlertsState(), [rule], { 'drift-bill': 0.25 }, { start: T0, end: T0 + HOUR - 1 });
  const resolved = stepAlerts(fired.state, [rule], { 'drift-bill': 0.02 }, { start: T0 + HOUR, end: T0 + 2 * HOUR - 1 });
  return [...fired.events, ...resolved.events] as NotifyingEvent[];
}

describe('webhookPayload', () => {
  it('describes a firing alert as Alertmanager webhook version 4 does', () => {
    const [firing] = events();
    const p = webhookPayload(firing, { externalURL: 'http://localhost:5173', labels: { project: 'penguins', model_version: '3' } });
    expect(p).toEqual({
      version: '4',
      groupKey: '{}:{alertname="Bill length drifts"}',
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'loopbench',
      groupLabels: { alertname: 'Bill length drifts' },
      commonLabels: p.alerts[0].labels,
      commonAnnotations: p.alerts[0].annotations,
      externalURL: 'http://localhost:5173',
      alerts: [
        {
          status: 'firing',
          labels: {
            project: 'penguins',
            model_version: '3',
            alertname: 'Bill length drifts',
            rule_id: 'drift-bill',
            severity: 'critical',
            signal: 'feature_drift',
            column: 'bill_length_mm',
          },
          annotations: {
            summary: 'feature_drift(bill_length_mm) >= 0.1: 0.25 in the window ending 2024-01-01T00:59:59.999Z',
            description: 'Wasserstein distance against the training split',
            value: '0.25',
            threshold: '0.1',
            window_start: '2024-01-01T00:00:00.000Z',
            window_end: '2024-01-01T00:59:59.999Z',
          },
          startsAt: '2024-01-01T00:59:59.999Z',
          endsAt: NO_END,
          generatorURL: 'http://localhost:5173',
          fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
        },
      ],
    });
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });

  it('gives the resolution its end time and the same fingerprint as the firing', () => {
    const [firing, resolved] = events();
    const a = webhookPayload(firing).alerts[0];
    const b = webhookPayload(resolved);
    expect(b.status).toBe('resolved');
    expect(b.alerts[0]).toMatchObject({ status: 'resolved', startsAt: a.startsAt, endsAt: '2024-01-01T01:59:59.999Z' });
    expect(b.alerts[0].fingerprint).toBe(a.fingerprint);
    expect(b.alerts[0].annotations.value).toBe('0.02');
    const other = webhookPayload({ ...firing, ruleId: 'other' }).alerts[0];
    expect(other.fingerprint).not.toBe(a.fingerprint);
  });

  it('refuses pending events and label names a receiver would reject', () => {
    const [firing] = events();
    const pending = { ...firing, kind: 'pending' } as AlertEvent as NotifyingEvent;
    expect(() => webhookPayload(pending)).toThrow(/pending event is never sent/);
    expect(() => webhookPayload(firing, { labels: { 'model-version': '3' } })).toThrow(/"model-version"/);
  });
});
