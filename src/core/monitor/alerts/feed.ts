// The alert feed: every event in the order it happened, the newest kept up to a limit so a long replay cannot grow
// storage without bound, and the choice of which events should reach a person or a webhook.

import { silenceOf } from './silences';
import type { AlertEvent, NotifyingEvent, Silence } from './types';

export const FEED_LIMIT = 1000;

export interface AlertFeed {
  /** Oldest first. */
  events: AlertEvent[];
  /** How many older events were let go to respect the limit, so the page can say the history is partial. */
  discarded: number;
}

export function emptyFeed(): AlertFeed {
  return { events: [], discarded: 0 };
}

/** The feed with `events` appended, keeping the newest `limit`. */
export function appendToFeed(feed: AlertFeed, events: readonly AlertEvent[], limit = FEED_LIMIT): AlertFeed {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`appendToFeed: the limit must be a whole number of at least 1, not ${limit}`);
  const all = [...feed.events, ...events];
  const drop = Math.max(0, all.length - limit);
  return { events: drop === 0 ? all : all.slice(drop), discarded: feed.discarded + drop };
}

export function isNotifying(e: AlertEvent): e is NotifyingEvent {
  return e.kind === 'firing' || e.kind === 'resolved';
}

/**
 * The events to notify about, in order: alerts that fire or resolve, unless a silence mutes their rule at `at` (the
 * moment of sending, as Alertmanager checks silences when it notifies). Pending and dropped alerts never notify.
 */
export function notificationsToSend(events: readonly AlertEvent[], silences: readonly Silence[], at: number): NotifyingEvent[] {
  return events.filter(isNotifying).filter((e) => silenceOf(e.ruleId, silences, at) === null);
}
