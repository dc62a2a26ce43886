// Silences and acknowledgements, as Alertmanager has them: a silence mutes notifications for a while, it does not
// change what the alert is (a silenced alert is still firing and still shown); an acknowledgement says a person is on
// it, and belongs to that one alert, so the rule's next alert asks for attention again.

import type { Acknowledgement, AlertInstance, AlertsState, RuleProblem, Silence } from './types';

export const SILENCE_REASON_MAX = 500;

/** A silence applies from its creation up to, not including, `until`; before and after it does nothing. */
export function silenceApplies(silence: Silence, ruleId: string, at: number): boolean {
  return silence.createdAt <= at && at < silence.until && (silence.ruleId === null || silence.ruleId === ruleId);
}

/** The silence muting `ruleId` at `at`, the one that lasts longest when several do; null when none does. */
export function silenceOf(ruleId: string, silences: readonly Silence[], at: number): Silence | null {
  let best: Silence | null = null;
  for (const s of silences) if (silenceApplies(s, ruleId, at) && (best === null || s.until > best.until)) best = s;
  return best;
}

export type SilencedAlert = AlertInstance & {
  /** The silence muting this firing alert now; null when it is not firing or nothing mutes it. */
  silencedBy: Silence | null;
};

/** The alerts as the page shows them at `at`: unchanged, each firing one marked with the silence muting it, if any. */
export function markSilenced(alerts: readonly AlertInstance[], silences: readonly Silence[], at: number): SilencedAlert[] {
  return alerts.map((a) => ({ ...a, silencedBy: a.state === 'firing' ? silenceOf(a.ruleId, silences, at) : null }));
}

/** The silences still worth keeping at `at`: the expired ones apply to nothing any more. */
export function liveSilences(silences: readonly Silence[], at: number): Silence[] {
  return silences.filter((s) => s.until > at);
}

/** Every problem of a silence read as JSON, located; `ruleIds`, when given, are the rules it may name. */
export function checkSilence(def: unknown, ruleIds?: readonly string[]): RuleProblem[] {
  if (typeof def !== 'object' || def === null || Array.isArray(def)) return [{ path: '', message: 'a silence must be an object' }];
  const v = def as Record<string, unknown>;
  const out: RuleProblem[] = [];
  for (const key of Object.keys(v)) {
    if (!['id', 'ruleId', 'until', 'reason', 'createdAt'].includes(key)) out.push({ path: key, message: `unknown field "${key}"` });
  }
  if (typeof v.id !== 'string' || v.id.trim() === '') out.push({ path: 'id', message: '"id" must be a non-empty id' });
  if (v.ruleId !== null) {
    if (typeof v.ruleId !== 'string' || v.ruleId === '') out.push({ path: 'ruleId', message: '"ruleId" must be a rule id, or null to silence every rule' });
    else if (ruleIds && !ruleIds.includes(v.ruleId)) out.push({ path: 'ruleId', message: `no rule has the id "${v.ruleId}"` });
  }
  if (typeof v.reason !== 'string' || v.reason.trim() === '' || v.reason.length > SILENCE_REASON_MAX) {
    out.push({ path: 'reason', message: `"reason" must say why, in 1 to ${SILENCE_REASON_MAX} characters` });
  }
  const created = typeof v.createdAt === 'number' && Number.isFinite(v.createdAt);
  if (!created) out.push({ path: 'createdAt', message: '"createdAt" must be a time in milliseconds' });
  if (typeof v.until !== 'number' || !Number.isFinite(v.until)) out.push({ path: 'until', message: '"until" must be a time in milliseconds' });
  else if (created && v.until <= (v.createdAt as number)) out.push({ path: 'until', message: '"until" must be after "createdAt": a silence needs an expiry in the future' });
  return out;
}

export type Acknowledged = { ok: true; alert: AlertInstance } | { ok: false; reason: string };

/** The firing `alert` acknowledged by `by` at `at`; refused for an alert that is not firing or already acknowledged. */
export function acknowledge(alert: AlertInstance, by: string, at: number): Acknowledged {
  if (by.trim() === '') return { ok: false, reason: 'say who acknowledges the alert' };
  if (alert.state !== 'firing') return { ok: false, reason: `alert ${alert.id} is ${alert.state}; only a firing alert can be acknowledged` };
  if (alert.acknowledged) {
    return { ok: false, reason: `alert ${alert.id} was already acknowledged by ${alert.acknowledged.by} at ${alert.acknowledged.at}` };
  }
  const acknowledged: Acknowledgement = { by, at };
  return { ok: true, alert: { ...alert, acknowledged } };
}

export type StateAcknowledged = { ok: true; state: AlertsState } | { ok: false; reason: string };

/** `acknowledge` applied to the alert `alertId` of the state. */
export function acknowledgeIn(state: AlertsState, alertId: string, by: string, at: number): StateAcknowledged {
  const alert = state.alerts.find((a) => a.id === alertId);
  if (!alert) return { ok: false, reason: `no current alert has the id ${alertId}; it may have resolved and been replaced` };
  const r = acknowledge(alert, by, at);
  if (!r.ok) return r;
  return { ok: true, state: { alerts: state.alerts.map((a) => (a.id === alertId ? r.alert : a)) } };
}
