// Category values that differ only in letter case ("Yes" and "yes") are different categories to a model, which is
// rarely what the file meant: a hand-typed column or two exports stitched together. The import says so.

import { isMissing } from './missing';

/** Groups shown in the note; the rest are counted. */
const SHOWN = 3;

/** A note naming the values of a category column (its distinct texts) that differ only in case, or null. */
export function caseVariantNote(texts: readonly string[]): string | null {
  const spellings = new Map<string, Set<string>>();
  for (const text of texts) {
    if (isMissing(text)) continue;
    // Categories are stored trimmed, so " Yes" is "Yes" already.
    const value = text.trim();
    const key = value.toLowerCase();
    let group = spellings.get(key);
    if (!group) spellings.set(key, (group = new Set()));
    group.add(value);
  }
  const groups = [...spellings.values()].filter((g) => g.size > 1).map((g) => [...g].sort());
  if (groups.length === 0) return null;
  const shown = groups.slice(0, SHOWN).map((g) => g.map((v) => `"${v}"`).join(' and ')).join('; ');
  const more = groups.length > SHOWN ? ` (and ${groups.length - SHOWN} more)` : '';
  return `Some values differ only in letter case, so they are different categories: ${shown}${more}. If they mean the same, write them one way in the file.`;
}
