// The naming rules of the registry, each returning located problems. Aliases follow MLflow: word characters and
// hyphens, and never `latest` or `v<digits>`, which would read as a version reference. Aliases are lowercase here so
// that `Champion` and `champion` cannot become two different deployments.

import type { RegistryProblem } from './types';

export const MODEL_NAME_MAX = 64;
export const ALIAS_MAX = 64;
export const TAG_KEY_MAX = 64;
export const TAG_VALUE_MAX = 5000;
export const DESCRIPTION_MAX = 5000;

/** Starts with a letter or digit; then letters, digits, `-`, `_`, `.` or single spaces; no trailing space. */
const MODEL_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]| (?! ))*$/;
/** A lowercase letter, then lowercase letters, digits, `-` or `_`. */
const ALIAS = /^[a-z][a-z0-9_-]*$/;
const VERSION_LIKE = /^v\d+$/;

export const MODEL_NAME_RULE =
  `1 to ${MODEL_NAME_MAX} characters: letters, digits, "-", "_", "." and single spaces, starting with a letter or digit`;
export const ALIAS_RULE =
  `1 to ${ALIAS_MAX} characters: lowercase letters, digits, "-" and "_", starting with a letter; not "latest" or "v" followed by digits`;

export function modelNameProblems(name: unknown, path = 'name'): RegistryProblem[] {
  if (typeof name !== 'string' || name.length === 0) return [{ path, message: `the model name is empty; use ${MODEL_NAME_RULE}` }];
  if (name.length > MODEL_NAME_MAX || !MODEL_NAME.test(name) || name.endsWith(' ')) {
    return [{ path, message: `"${name}" is not a valid model name; use ${MODEL_NAME_RULE}` }];
  }
  return [];
}

export function aliasProblems(alias: unknown, path = 'alias'): RegistryProblem[] {
  if (typeof alias !== 'string' || alias.length === 0) return [{ path, message: `the alias is empty; use ${ALIAS_RULE}` }];
  if (alias === 'latest' || VERSION_LIKE.test(alias)) {
    return [{ path, message: `"${alias}" is reserved: it would read as a version, not an alias` }];
  }
  if (alias.length > ALIAS_MAX || !ALIAS.test(alias)) return [{ path, message: `"${alias}" is not a valid alias; use ${ALIAS_RULE}` }];
  return [];
}

export function tagProblems(tags: unknown, path = 'tags'): RegistryProblem[] {
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return [{ path, message: 'tags must be an object of text values' }];
  const out: RegistryProblem[] = [];
  for (const [key, value] of Object.entries(tags)) {
    const at = `${path}.${key}`;
    if (key.trim() === '' || key.length > TAG_KEY_MAX) out.push({ path: at, message: `a tag key must be 1 to ${TAG_KEY_MAX} non-blank characters` });
    if (typeof value !== 'string') out.push({ path: at, message: `tag "${key}" must have a text value` });
    else if (value.length > TAG_VALUE_MAX) out.push({ path: at, message: `tag "${key}" is longer than ${TAG_VALUE_MAX} characters` });
  }
  return out;
}

export function descriptionProblems(description: unknown, path = 'description'): RegistryProblem[] {
  if (typeof description !== 'string') return [{ path, message: 'the description must be text' }];
  if (description.length > DESCRIPTION_MAX) return [{ path, message: `the description is longer than ${DESCRIPTION_MAX} characters` }];
  return [];
}

/**
 * Tags as a person types them: `team=risk, stage=pilot` (commas or new lines between pairs, `=` inside one); a pair
 * without `=` is refused with its position rather than guessed at.
 */
export function parseTags(text: string): { ok: true; tags: Record<string, string> } | { ok: false; message: string } {
  const tags: Record<string, string> = {};
  const pairs = text.split(/[,\n]/).map((p) => p.trim()).filter((p) => p !== '');
  for (const [i, pair] of pairs.entries()) {
    const at = pair.indexOf('=');
    if (at <= 0) return { ok: false, message: `tag ${i + 1} ("${pair}") must be written key=value` };
    tags[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  const problems = tagProblems(tags);
  return problems.length > 0 ? { ok: false, message: problems.map((p) => p.message).join('; ') } : { ok: true, tags };
}
