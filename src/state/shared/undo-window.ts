// One destructive action at a time that can still be taken back: it is carried out when its window
// ends, or at once when another starts or someone flushes it. Plain TypeScript (no runes), so the
// timing can be tested with fake timers; the caller mirrors `onChange` into its reactive state.

export class UndoWindow<T> {
  #pending: { item: T; timer: ReturnType<typeof setTimeout> } | null = null;

  constructor(
    private readonly ms: number,
    /** Carries the action out; it handles its own failures (the window is already closed). */
    private readonly commit: (item: T) => Promise<void>,
    private readonly onChange: (pending: T | null) => void,
  ) {}

  get pending(): T | null {
    return this.#pending?.item ?? null;
  }

  /** Opens a window for `item`, first carrying out the one still open. */
  async start(item: T): Promise<void> {
    await this.flush();
    this.#pending = { item, timer: setTimeout(() => void this.flush(), this.ms) };
    this.onChange(item);
  }

  /** Takes the pending action back; returns its item, or null when there was none. */
  undo(): T | null {
    const pending = this.#pending;
    if (!pending) return null;
    clearTimeout(pending.timer);
    this.#pending = null;
    this.onChange(null);
    return pending.item;
  }

  /** Carries the pending action out now. */
  async flush(): Promise<void> {
    const pending = this.#pending;
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#pending = null;
    this.onChange(null);
    await this.commit(pending.item);
  }
}
