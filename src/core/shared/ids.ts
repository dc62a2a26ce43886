/** A random id such as `run-3f0c…`; the prefix makes ids readable in storage and logs. */
export function newId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID()}`;
}
