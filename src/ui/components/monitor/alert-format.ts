// How the Alerts panel writes an alert's numbers and states: p-values run down to 1e-10 and request counts up to
// millions, so one fixed number of decimals would hide one or the other.

import type { AlertEventKind, AlertState } from '../../../core/monitor/alerts';

/** A signal's value or threshold: three significant digits, in exponent form when tiny. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && Math.abs(value) < 0.001) return value.toExponential(2);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en');
  return String(Number(value.toPrecision(3)));
}

/** The badge tone of a state or a feed event: firing is bad news, resolved good, the rest neutral. */
export function toneOf(kind: AlertState | AlertEventKind): '' | 'good' | 'bad' {
  if (kind === 'firing') return 'bad';
  if (kind === 'resolved') return 'good';
  return '';
}
