export * from './types';
export { ALERT_SIGNALS, SIGNALS, isAlertSignal, type AlertSignal, type SignalInfo } from './signals';
export {
  checkRule,
  checkRules,
  describeRule,
  windowKey,
  COUNT_WINDOW_MAX,
  RULE_DESCRIPTION_MAX,
  RULE_FOR_MAX,
  RULE_ID_MAX,
  RULE_NAME_MAX,
  RULES_MAX,
  TIME_WINDOW_MAX_MS,
  type RuleCheck,
  type RuleContext,
  type RulesCheck,
} from './check-rule';
export { alertOfRule, conditionHolds, emptyAlertsState, ruleStatus, stepAlerts, type AlertStep, type WindowValues } from './evaluate';
export {
  acknowledge,
  acknowledgeIn,
  checkSilence,
  liveSilences,
  markSilenced,
  silenceApplies,
  silenceOf,
  SILENCE_REASON_MAX,
  type Acknowledged,
  type SilencedAlert,
  type StateAcknowledged,
} from './silences';
export { appendToFeed, emptyFeed, isNotifying, notificationsToSend, FEED_LIMIT, type AlertFeed } from './feed';
export { webhookPayload, NO_END, type WebhookAlert, type WebhookOptions, type WebhookPayload } from './webhook';
