// Alert rules, the alerts they raise and the events those alerts emit, after Prometheus and Alertmanager: a rule is
// evaluated once per window; its alert is pending while the condition has held for fewer than `for` windows in a row,
// firing once it has held for `for`, and resolved when it stops holding after firing.

import type { AlertSignal } from './signals';

export type AlertWindow =
  /** Consecutive groups of `size` requests. */
  | { kind: 'count'; size: number }
  /** Consecutive spans of `ms` milliseconds of (possibly virtual) request time. */
  | { kind: 'time'; ms: number };

export const COMPARATORS = ['>', '>=', '<', '<='] as const;
export type Comparator = (typeof COMPARATORS)[number];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface AlertRule {
  id: string;
  name: string;
  signal: AlertSignal;
  window: AlertWindow;
  comparator: Comparator;
  threshold: number;
  /**
   * How many evaluated windows in a row the condition must hold, counting the window that fires. 1 fires on the first
   * window that meets the condition, with no pending step (Prometheus' rule without `for`); 3 is pending on the first
   * two and fires on the third.
   */
  for: number;
  severity: Severity;
  /** The column of a per-feature signal (required for feature_drift, optional for missing_share). */
  column?: string;
  description?: string;
}

export interface RuleProblem {
  /** e.g. 'window.size', 'threshold', '[2].id' in a list; '' for the whole rule. */
  path: string;
  message: string;
}

/** The window a value was computed on, as request times in milliseconds: the first and last instants it covers. */
export interface WindowSpan {
  start: number;
  end: number;
}

export type AlertState = 'pending' | 'firing' | 'resolved';

/** What the rule said when the alert was raised, kept so history still reads right after the rule is edited or deleted. */
export type RuleSnapshot = Pick<AlertRule, 'name' | 'signal' | 'comparator' | 'severity' | 'column' | 'description'>;

export interface AlertTransition {
  state: AlertState;
  window: WindowSpan;
  value: number;
  threshold: number;
}

export interface Acknowledgement {
  by: string;
  at: number;
}

/** One alert of one rule: from the window its condition first held until it resolved (or was dropped). */
export interface AlertInstance {
  /** `${ruleId}@${since}`: a rule has at most one alert starting in a given window. */
  id: string;
  ruleId: string;
  rule: RuleSnapshot;
  state: AlertState;
  /** Start of the window where the condition first held (for `for` 1, also the window that fired). */
  since: number;
  /** End of the window that completed `for` windows in a row; null while pending. */
  firedAt: number | null;
  /** End of the first window where the condition no longer held; null until then. */
  resolvedAt: number | null;
  /** Evaluated windows in a row where the condition held (windows without a value are not counted). */
  consecutive: number;
  /** The latest evaluated value and the threshold it was compared with. */
  value: number;
  threshold: number;
  transitions: AlertTransition[];
  /** Set on a firing alert by a person; it belongs to this alert only, so the rule's next alert starts without it. */
  acknowledged: Acknowledgement | null;
}

/**
 * Per rule, at most one alert: pending or firing (the rule is active), or resolved (the rule is inactive; its last
 * alert is kept to show until the rule's next alert replaces it). No alert at all also means inactive.
 */
export interface AlertsState {
  alerts: AlertInstance[];
}

export type AlertEventKind = 'pending' | 'firing' | 'resolved' | 'dropped';

export interface AlertEvent {
  /** `${alertId}:${kind}`: an alert emits each kind at most once. */
  id: string;
  kind: AlertEventKind;
  alertId: string;
  ruleId: string;
  rule: RuleSnapshot;
  /** The value of the window that caused the event, and the threshold it was compared with. */
  value: number;
  threshold: number;
  window: WindowSpan;
  /** When it happened: the end of `window`. */
  at: number;
  since: number;
  firedAt: number | null;
  /** `rule-removed`: the rule left the list while its alert was pending or firing, so the alert ended with it. */
  cause: 'condition' | 'rule-removed';
}

/** The events that reach people and webhooks: Alertmanager never hears of pending or dropped alerts. */
export type NotifyingEvent = AlertEvent & { kind: 'firing' | 'resolved' };

export interface Silence {
  id: string;
  /** The rule it mutes, or null for every rule. */
  ruleId: string | null;
  /** It applies from `createdAt` up to, not including, `until` (milliseconds). */
  until: number;
  reason: string;
  createdAt: number;
}
