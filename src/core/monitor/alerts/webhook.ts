// The JSON a webhook receives for an alert that fires or resolves, shaped like Alertmanager's webhook (version "4")
// so existing receivers (chat bridges, incident tools) accept it unchanged. Built here, without sending anything, so
// the page can show the exact payload before the user enables the webhook.

import { hash64 } from '../../deliver/gates/fingerprint';
import type { NotifyingEvent } from './types';

/** Alertmanager's "no end time yet" for a firing alert. */
export const NO_END = '0001-01-01T00:00:00Z';
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface WebhookPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
}

export interface WebhookOptions {
  /** The receiver's name in the payload. */
  receiver?: string;
  /** Where the alert can be seen, e.g. the app's address; '' when it has none. */
  externalURL?: string;
  /** Extra labels identifying what is watched, e.g. { project: 'penguins', model: 'species', model_version: '3' }. */
  labels?: Readonly<Record<string, string>>;
}

const iso = (ms: number) => new Date(ms).toISOString();

function labelsOf(event: NotifyingEvent, extra: Readonly<Record<string, string>>): Record<string, string> {
  for (const key of Object.keys(extra)) {
    if (!LABEL_NAME.test(key)) throw new Error(`webhook label "${key}" must be letters, digits and _ and not start with a digit, as Prometheus label names are`);
  }
  const own: Record<string, string> = { alertname: event.rule.name, rule_id: event.ruleId, severity: event.rule.severity, signal: event.rule.signal };
  if (event.rule.column !== undefined) own.column = event.rule.column;
  return { ...extra, ...own };
}

/** Sorted `name=value` pairs: the same labels give the same fingerprint whatever order they were built in. */
function fingerprint(labels: Record<string, string>): string {
  return hash64(Object.keys(labels).sort().map((k) => `${k}\u00ff${labels[k]}`).join('\u00ff'));
}

/** The payload announcing `event` (a firing or a resolution), for one alert. */
export function webhookPayload(event: NotifyingEvent, options: WebhookOptions = {}): WebhookPayload {
  if (event.kind !== 'firing' && event.kind !== 'resolved') {
    throw new Error(`webhookPayload: a ${String(event.kind)} event is never sent; only firing and resolved are`);
  }
  const labels = labelsOf(event, options.labels ?? {});
  const column = event.rule.column === undefined ? '' : `(${event.rule.column})`;
  const annotations: Record<string, string> = {
    summary: `${event.rule.signal}${column} ${event.rule.comparator} ${event.threshold}: ${event.value} in the window ending ${iso(event.window.end)}`,
    value: String(event.value),
    threshold: String(event.threshold),
    window_start: iso(event.window.start),
    window_end: iso(event.window.end),
  };
  if (event.rule.description !== undefined) annotations.description = event.rule.description;
  if (event.cause === 'rule-removed') annotations.note = 'the rule was removed while the alert was firing';
  const alert: WebhookAlert = {
    status: event.kind,
    labels,
    annotations,
    startsAt: iso(event.firedAt ?? event.since),
    endsAt: event.kind === 'resolved' ? iso(event.at) : NO_END,
    generatorURL: options.externalURL ?? '',
    fingerprint: fingerprint(labels),
  };
  return {
    version: '4',
    groupKey: `{}:{alertname=${JSON.stringify(event.rule.name)}}`,
    truncatedAlerts: 0,
    status: event.kind,
    receiver: options.receiver ?? 'loopbench',
    groupLabels: { alertname: event.rule.name },
    commonLabels: { ...labels },
    commonAnnotations: { ...annotations },
    externalURL: options.externalURL ?? '',
    alerts: [alert],
  };
}
