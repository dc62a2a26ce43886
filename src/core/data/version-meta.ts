// The parts of a dataset version the user may change (name and tags: labels, not content, so the
// id stays), and the one rule for deleting a version: nothing may still depend on it.

import type { DatasetVersion, Run } from '../shared/types';

export const MAX_NAME_LENGTH = 120;
export const MAX_TAG_LENGTH = 40;
export const MAX_TAGS = 20;

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

export function checkVersionName(name: string): Checked<string> {
  const value = name.trim();
  if (value === '') return { ok: false, message: 'A version needs a name; it cannot be empty.' };
  if (value.length > MAX_NAME_LENGTH) return { ok: false, message: `A version name can have at most ${MAX_NAME_LENGTH} characters.` };
  return { ok: true, value };
}

/** Trimmed, without duplicates, in the order given. */
export function checkTags(tags: readonly string[]): Checked<string[]> {
  const value: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag === '') return { ok: false, message: 'A tag cannot be empty.' };
    if (tag.length > MAX_TAG_LENGTH) return { ok: false, message: `A tag can have at most ${MAX_TAG_LENGTH} characters: "${tag.slice(0, 20)}…" is longer.` };
    if (!value.includes(tag)) value.push(tag);
  }
  if (value.length > MAX_TAGS) return { ok: false, message: `A version can have at most ${MAX_TAGS} tags.` };
  return { ok: true, value };
}

function quoteList(names: string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

/**
 * Why a version cannot be deleted, or null when it can: runs trained on it would lose the data that
 * reproduces them, and versions derived from it would lose their lineage.
 */
export function deletionBlocker(
  version: Pick<DatasetVersion, 'id' | 'name'>,
  versions: readonly Pick<DatasetVersion, 'id' | 'name' | 'parents'>[],
  runs: readonly Pick<Run, 'id' | 'name' | 'datasetId'>[],
): string | null {
  const label = `Version "${version.name}"`;
  const users = runs.filter((r) => r.datasetId === version.id);
  const children = versions.filter((v) => v.id !== version.id && v.parents.includes(version.id));
  const reasons: string[] = [];
  if (users.length > 0) {
    const noun = users.length === 1 ? 'run' : 'runs';
    reasons.push(`${label} is used by ${users.length} ${noun}: ${quoteList(users.map((r) => r.name))}; delete them first or keep the version.`);
  }
  if (children.length > 0) {
    const noun = children.length === 1 ? 'version' : 'versions';
    const subject = users.length > 0 ? 'It' : label;
    reasons.push(
      `${subject} is the parent of ${children.length} ${noun}: ${quoteList(children.map((v) => v.name))}; ` +
        'deleting it would cut their lineage, so delete them first or keep the version.',
    );
  }
  return reasons.length > 0 ? reasons.join(' ') : null;
}
