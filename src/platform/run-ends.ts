// How a run ended, kept in localStorage when its own record could not be updated (storage full): localStorage has its
// own small allowance, outside the IndexedDB quota, so the next page load can still record why the run stopped
// instead of blaming the reload (RunsRepo.markInterrupted takes these notes).

const PREFIX = 'loopbench-run-end:';

function store(): Storage | null {
  try {
    return (globalThis as { localStorage?: Storage }).localStorage ?? null;
  } catch {
    return null; // access refused (a sandboxed frame, blocked cookies)
  }
}

/** Remembers the note of a run whose record could not be written; nothing happens where localStorage is missing. */
export function rememberRunEnd(runId: string, note: string): void {
  try {
    store()?.setItem(PREFIX + runId, note);
  } catch {
    // localStorage full too: the reload note is the best left.
  }
}

export function forgetRunEnd(runId: string): void {
  try {
    store()?.removeItem(PREFIX + runId);
  } catch {
    // nothing to forget
  }
}

/** The notes remembered, by run id. */
export function rememberedRunEnds(): Map<string, string> {
  const notes = new Map<string, string>();
  const s = store();
  if (!s) return notes;
  for (let i = 0; i < s.length; i++) {
    const key = s.key(i);
    if (key?.startsWith(PREFIX)) notes.set(key.slice(PREFIX.length), s.getItem(key) ?? '');
  }
  return notes;
}
