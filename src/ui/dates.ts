// Dates as the UI shows them: ISO text in UTC, as Loopbench stores and reads them (src/core/serving/dates.js;
// src/ui may not import core code, and these two lines are all it needs).

export const DAY_MS = 86_400_000;

/** "2021-11-18" when `dateOnly`, else "2021-11-18T14:05:00Z"; '' for a missing date. */
export function dateText(ms: number, dateOnly: boolean): string {
  if (!Number.isFinite(ms)) return '';
  const iso = new Date(ms).toISOString();
  if (dateOnly) return iso.slice(0, iso.indexOf('T'));
  return iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso;
}
