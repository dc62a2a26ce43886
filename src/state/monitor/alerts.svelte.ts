// Alerts of the open project: rules as validated JSON, their pending → firing → resolved states evaluated window by
// window over the request log's signals, the feed, acknowledgements, silences, and notifications (a system
// notification when the page is hidden and allowed; a webhook the user set, sent only when online). A firing alert can
// start the pipelines that retrain the model it watches. Kept in settings, per project, so it survives a reload.

import type { Project } from '../../core/shared/types';
import {
  ALERT_SIGNALS,
  SIGNALS,
  acknowledgeIn,
  appendToFeed,
  checkRules,
  checkSilence,
  emptyAlertsState,
  emptyFeed,
  liveSilences,
  markSilenced,
  notificationsToSend,
  stepAlerts,
  webhookPayload,
  windowKey,
  type AlertEvent,
  type AlertFeed,
  type AlertRule,
  type AlertsState as Alerts,
  type RuleProblem,
  type SilencedAlert,
  type Silence,
  type WebhookPayload,
  type NotifyingEvent,
  type RuleSnapshot,
  type AlertSignal,
  type SignalInfo,
} from '../../core/monitor/alerts';
import { signalValue, type WindowSignals } from '../../core/monitor/windows';
import { newId } from '../../core/shared/ids';
import type { Services } from '../shared/services';

/** What is stored per project. */
interface StoredAlerts {
  rules: AlertRule[];
  state: Alerts;
  feed: AlertFeed;
  silences: Silence[];
  /**
   * Per served model version and window kind and size ("churn@3 count:100"): the index of the last window evaluated.
   * Each version's log has its own windows, counted from 0, so a new champion is evaluated from its first window.
   */
  evaluated: Record<string, number>;
  webhook: { url: string; enabled: boolean };
  notify: boolean;
}

const keyOf = (projectId: string) => `monitor:alerts:${projectId}`;

function fresh(): StoredAlerts {
  return { rules: [], state: emptyAlertsState(), feed: emptyFeed(), silences: [], evaluated: {}, webhook: { url: '', enabled: false }, notify: false };
}

export interface AlertsDeps {
  services: Services;
  /** Starts the pipelines that promote `model` (Deliver's alert trigger); returns what each decided. */
  onFiring: (project: Project, model: string, alertId: string) => Promise<void>;
}

export class AlertsState {
  rules = $state.raw<AlertRule[]>([]);
  /** The rules' alerts (pending, firing, or the last resolved one), with whether a silence mutes them now. */
  alerts = $state.raw<SilencedAlert[]>([]);
  /** Newest first. */
  feed = $state.raw<AlertEvent[]>([]);
  silences = $state.raw<Silence[]>([]);
  webhook = $state.raw<{ url: string; enabled: boolean }>({ url: '', enabled: false });
  notify = $state(false);
  error = $state<string | null>(null);
  message = $state<string | null>(null);
  #stored: StoredAlerts = fresh();
  #projectId: string | null = null;

  constructor(private readonly deps: AlertsDeps) {}

  async load(project: Project): Promise<void> {
    this.#projectId = project.id;
    const stored = await this.deps.services.settings.get<StoredAlerts>(keyOf(project.id));
    if (this.#projectId !== project.id) return;
    this.#stored = { ...fresh(), ...stored };
    this.#show();
  }

  /** Every signal a rule can watch, with what it means, for the rules editor (the page may not import core values). */
  get signals(): readonly { signal: AlertSignal; info: SignalInfo }[] {
    return ALERT_SIGNALS.map((signal) => ({ signal, info: SIGNALS[signal] }));
  }

  /** The rules as JSON text for the editor. */
  get rulesText(): string {
    return JSON.stringify(this.rules, null, 2);
  }

  /** Saves the rules (JSON text as edited); the located problems when refused, nothing stored then. */
  async saveRules(project: Project, text: string, columns: readonly string[]): Promise<RuleProblem[]> {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      return [{ path: '', message: `the JSON does not parse: ${e instanceof Error ? e.message : String(e)}` }];
    }
    const checked = checkRules(value, { columns, task: project.task });
    if (!checked.ok) return checked.problems;
    // A rule whose window changed is evaluated afresh from the log's start on its new windows.
    await this.#save(project, { ...this.#stored, rules: checked.rules });
    this.message = `Saved ${checked.rules.length} alert rule(s).`;
    return [];
  }

  /** Adds rules (a scenario's suggestions) whose ids are not taken yet. */
  async addRules(project: Project, rules: readonly AlertRule[]): Promise<void> {
    const taken = new Set(this.#stored.rules.map((r) => r.id));
    const added = rules.filter((r) => !taken.has(r.id));
    await this.#save(project, { ...this.#stored, rules: [...this.#stored.rules, ...added] });
    this.message = added.length > 0 ? `Added ${added.length} rule(s): ${added.map((r) => r.name).join(', ')}.` : 'Those rules are already there.';
  }

  /** The window specs the rules need signals for. */
  get windowSpecs(): AlertRule['window'][] {
    const specs = new Map<string, AlertRule['window']>();
    for (const r of this.#stored.rules) specs.set(windowKey(r.window), r.window);
    return [...specs.values()];
  }

  /**
   * Steps every rule through each complete window it has not seen yet, in time order, with `signalsOf(spec)` giving
   * the signals of every window of a spec. Firing alerts notify and may start pipelines.
   */
  async evaluate(project: Project, signalsOf: (spec: AlertRule['window']) => Promise<WindowSignals[]>, served: { name: string; version: number } | null): Promise<void> {
    const model = served?.name ?? null;
    const served_ = served ? `${served.name}@${served.version} ` : '';
    let stored = this.#stored;
    const rules = stored.rules;
    if (rules.length === 0) return;
    const steps: { end: number; key: string; window: WindowSignals }[] = [];
    for (const spec of this.windowSpecs) {
      const key = served_ + windowKey(spec);
      const done = stored.evaluated[key] ?? -1;
      for (const w of await signalsOf(spec)) if (w.complete && w.index > done) steps.push({ end: w.end, key, window: w });
    }
    steps.sort((a, b) => a.end - b.end || a.key.localeCompare(b.key));
    const events: AlertEvent[] = [];
    let state = stored.state;
    const evaluated = { ...stored.evaluated };
    for (const step of steps) {
      const values: Record<string, number | null> = {};
      for (const r of rules) if (served_ + windowKey(r.window) === step.key) values[r.id] = signalValue(step.window, r.signal, r.column);
      const next = stepAlerts(state, rules, values, { start: step.window.start, end: step.window.end });
      state = next.state;
      events.push(...next.events);
      evaluated[step.key] = step.window.index;
    }
    stored = { ...stored, state, evaluated, feed: appendToFeed(stored.feed, events) };
    await this.#save(project, stored);
    await this.#notify(project, events, model);
  }

  /**
   * The request log was cleared: its windows start again from 0, so every rule is evaluated afresh and the alerts of
   * the old traffic end (the feed keeps their history).
   */
  async logCleared(project: Project): Promise<void> {
    await this.#save(project, { ...this.#stored, state: emptyAlertsState(), evaluated: {} });
  }

  async acknowledge(project: Project, alertId: string, by: string): Promise<void> {
    const r = acknowledgeIn(this.#stored.state, alertId, by.trim() || 'you', Date.now());
    if (!r.ok) {
      this.error = r.reason;
      return;
    }
    await this.#save(project, { ...this.#stored, state: r.state });
  }

  /** Mutes one rule (or every rule, ruleId null) for `minutes`; the reason is required. */
  async silence(project: Project, ruleId: string | null, minutes: number, reason: string): Promise<RuleProblem[]> {
    const now = Date.now();
    const silence: Silence = { id: newId('silence'), ruleId, until: now + minutes * 60_000, reason: reason.trim(), createdAt: now };
    const problems = checkSilence(silence, this.#stored.rules.map((r) => r.id));
    if (problems.length > 0) return problems;
    await this.#save(project, { ...this.#stored, silences: [...liveSilences(this.#stored.silences, now), silence] });
    return [];
  }

  async unsilence(project: Project, silenceId: string): Promise<void> {
    await this.#save(project, { ...this.#stored, silences: this.#stored.silences.filter((s) => s.id !== silenceId) });
  }

  /** Asks the browser for permission to notify; remembered only when granted. */
  async enableNotifications(project: Project, on: boolean): Promise<void> {
    if (on && typeof Notification !== 'undefined' && Notification.permission !== 'granted') {
      const answer = await Notification.requestPermission();
      if (answer !== 'granted') {
        this.error = 'The browser did not allow notifications; alerts still show in the feed.';
        return;
      }
    }
    await this.#save(project, { ...this.#stored, notify: on });
  }

  /** What the webhook would receive for an alert of the first rule, shown before it is enabled. */
  webhookPreview(project: Project, model: string | null): WebhookPayload | null {
    const rule = this.#stored.rules[0];
    if (!rule) return null;
    const at = Date.now();
    const since = at - 60_000;
    const rule_: RuleSnapshot = { name: rule.name, signal: rule.signal, comparator: rule.comparator, severity: rule.severity, ...(rule.column ? { column: rule.column } : {}) };
    const sample: NotifyingEvent = {
      id: `${rule.id}@${since}:firing`,
      kind: 'firing',
      alertId: `${rule.id}@${since}`,
      ruleId: rule.id,
      rule: rule_,
      value: rule.threshold,
      threshold: rule.threshold,
      window: { start: since, end: at },
      at,
      since,
      firedAt: at,
      cause: 'condition',
    };
    return webhookPayload(sample, this.#webhookOptions(project, model));
  }

  async setWebhook(project: Project, url: string, enabled: boolean): Promise<string | null> {
    const trimmed = url.trim();
    if (enabled) {
      let parsed: URL;
      try {
        parsed = new URL(trimmed);
      } catch {
        return 'The webhook needs a full address, such as https://example.org/hooks/loopbench.';
      }
      if (parsed.protocol !== 'https:' && parsed.hostname !== 'localhost') return 'The webhook must use https (or localhost).';
    }
    await this.#save(project, { ...this.#stored, webhook: { url: trimmed, enabled } });
    return null;
  }

  #webhookOptions(project: Project, model: string | null) {
    return { receiver: 'loopbench', externalURL: typeof location === 'undefined' ? '' : location.origin, labels: { project: project.name, ...(model ? { model } : {}) } };
  }

  async #notify(project: Project, events: readonly AlertEvent[], model: string | null): Promise<void> {
    const now = Date.now();
    const sending = notificationsToSend(events, this.#stored.silences, now);
    for (const e of sending) {
      if (this.#stored.notify && typeof document !== 'undefined' && document.hidden && typeof Notification !== 'undefined' && Notification.permission === 'granted') {
        new Notification(`${e.kind === 'firing' ? 'Firing' : 'Resolved'}: ${e.rule.name}`, { body: `${e.rule.signal} = ${e.value} (threshold ${e.rule.comparator} ${e.threshold})`, tag: e.alertId });
      }
      const hook = this.#stored.webhook;
      if (hook.enabled && hook.url && (typeof navigator === 'undefined' || navigator.onLine)) {
        // A receiver that is down must not stop monitoring: the failure is shown, the alert stays in the feed.
        await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(webhookPayload(e, this.#webhookOptions(project, model))) }).catch((err: unknown) => {
          this.error = `The webhook could not be reached: ${err instanceof Error ? err.message : String(err)}`;
        });
      }
      if (e.kind === 'firing' && model) await this.deps.onFiring(project, model, e.alertId);
    }
  }

  async #save(project: Project, stored: StoredAlerts): Promise<void> {
    this.#stored = stored;
    await this.deps.services.settings.set(keyOf(project.id), stored);
    this.#show();
  }

  #show(): void {
    const now = Date.now();
    this.rules = this.#stored.rules;
    this.alerts = markSilenced(this.#stored.state.alerts, this.#stored.silences, now);
    this.feed = [...this.#stored.feed.events].reverse();
    this.silences = liveSilences(this.#stored.silences, now);
    this.webhook = this.#stored.webhook;
    this.notify = this.#stored.notify;
  }
}
