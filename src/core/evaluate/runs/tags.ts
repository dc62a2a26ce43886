// Run tags and the run note. The note is stored as MLflow stores it, in the reserved tag
// `mlflow.note.content`, so it needs no field of its own and exports as MLflow expects; the
// user's own tags are every other key outside the reserved `mlflow.` and `loopbench.` namespaces.

export const NOTE_TAG = 'mlflow.note.content';
const RESERVED = /^(mlflow|loopbench)\./;

export const MAX_TAG_KEY = 250;
export const MAX_TAG_VALUE = 5000;
export const MAX_NOTE = 5000;

export function noteOf(tags: Readonly<Record<string, string>>): string {
  return Object.hasOwn(tags, NOTE_TAG) ? tags[NOTE_TAG] : '';
}

/** The user's tags, in stored order, without the reserved ones. */
export function userTags(tags: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(tags).filter(([k]) => !RESERVED.test(k));
}

export type TagCheck = { ok: true; key: string; value: string } | { ok: false; message: string };

export function checkTag(key: string, value: string): TagCheck {
  const k = key.trim();
  if (k === '') return { ok: false, message: 'A tag needs a name.' };
  if (k.length > MAX_TAG_KEY) return { ok: false, message: `A tag name can have at most ${MAX_TAG_KEY} characters.` };
  if (RESERVED.test(k)) return { ok: false, message: `Tag names starting with "mlflow." or "loopbench." are reserved: "${k}".` };
  if (value.length > MAX_TAG_VALUE) return { ok: false, message: `A tag value can have at most ${MAX_TAG_VALUE} characters.` };
  return { ok: true, key: k, value: value.trim() };
}

/** A copy of `tags` with one tag set (or replaced); built without prototype tricks on odd keys. */
export function withTag(tags: Readonly<Record<string, string>>, key: string, value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) define(out, k, v);
  define(out, key, value);
  return out;
}

export function withoutTag(tags: Readonly<Record<string, string>>, key: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) if (k !== key) define(out, k, v);
  return out;
}

/** The note set (or removed when blank), other tags kept. */
export function withNote(tags: Readonly<Record<string, string>>, note: string): Record<string, string> {
  const text = note.trim();
  return text === '' ? withoutTag(tags, NOTE_TAG) : withTag(tags, NOTE_TAG, text);
}

function define(out: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}
