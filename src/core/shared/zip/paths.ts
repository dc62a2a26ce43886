// The paths an untrusted zip may hold: relative, inside the archive, one spelling per file. A caller with a fixed
// layout (the workspace backup) checks its own pattern on top; these rules hold for every archive.

import { count } from './refusal';

/** Path length of one entry. */
export const MAX_PATH_CHARS = 255;

/** Why a path may not be unpacked, or null. `archive` names what it would climb out of ("bundle"). */
export function pathProblem(name: string, archive: string): string | null {
  if (name.length === 0) return 'an entry has an empty name';
  if (name.length > MAX_PATH_CHARS) return `entry ${name.slice(0, 40)}… has a name of ${count(name.length)} characters (at most ${MAX_PATH_CHARS})`;
  if (/[\u0000-\u001f\u007f]/.test(name)) return `entry ${JSON.stringify(name)} has a control character in its name`;
  if (name.includes('\\')) return `entry ${name} has a backslash in its path (zip paths use /)`;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return `entry ${name} is an absolute path`;
  const parts = name.replace(/\/$/, '').split('/');
  if (parts.includes('..')) return `entry ${name} climbs out of the ${archive}`;
  if (parts.some((p) => p === '' || p === '.')) return `entry ${name} has an empty or "." path segment`;
  return null;
}
