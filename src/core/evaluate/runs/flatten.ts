// Run parameters as one flat record with dotted keys, whatever shape `run.params` has (an MLP's
// flat settings today, a model spec with nested layers tomorrow), so the runs table, filters,
// compare view and exports never depend on that shape.

export type FlatValue = string | number | boolean;
export type FlatRecord = Record<string, FlatValue>;

/**
 * Nested objects become `a.b`, arrays `layers.0.units`; null becomes the text "null" so the key is
 * still listed; undefined and functions are left out; an empty object or array is listed as "{}" or
 * "[]" so a parameter that exists but is empty still shows. The result has no prototype, so a key
 * such as `__proto__` or `constructor` is an ordinary key.
 */
export function flattenParams(value: unknown, prefix = ''): FlatRecord {
  const out: FlatRecord = Object.create(null) as FlatRecord;
  visit(value, prefix, out, new Set());
  return out;
}

function visit(value: unknown, key: string, out: FlatRecord, seen: Set<object>): void {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return;
  if (value === null) return put(out, key, 'null');
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return put(out, key, value);
  if (typeof value === 'bigint') return put(out, key, value.toString());
  if (typeof value !== 'object') return;
  // A cycle cannot come from stored records (structured clone keeps them, but params are built
  // from form values); refuse it rather than recursing forever.
  if (seen.has(value)) return put(out, key, '[cycle]');
  seen.add(value);
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  if (entries.length === 0) put(out, key, Array.isArray(value) ? '[]' : '{}');
  for (const [k, v] of entries) visit(v, key === '' ? k : `${key}.${k}`, out, seen);
  seen.delete(value);
}

function put(out: FlatRecord, key: string, value: FlatValue): void {
  // defineProperty, not assignment: `out['__proto__'] = x` would be swallowed by a setter on other objects.
  Object.defineProperty(out, key === '' ? 'value' : key, { value, enumerable: true, writable: true, configurable: true });
}
