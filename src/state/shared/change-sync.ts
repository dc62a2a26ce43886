// Follows what other tabs store: each announced change of the open project (or of the project list) reloads the
// state that shows that kind of record. Announcements come in bursts (a training run in another tab stores its
// history every epoch), so a kind reloads at most once per `delayMs`, and never two reloads of a kind at once.

import type { Change, ChangeKind } from '../../platform/changes';

export interface ChangeSource {
  subscribe(listener: (changes: Change[]) => void): () => void;
  /** Tells the other tabs of a write the page's database connection did not make (a worker stored a version). */
  announce(changes: readonly Change[]): void;
}

export interface SyncTargets {
  /** The open project: changes of other projects are not shown, so they reload nothing. */
  currentProjectId(): string | null;
  /** Reads the records of `kind` again; must not write (a write would be announced back). */
  reload(kind: ChangeKind): Promise<void>;
  /** A reload failed: said, not thrown (the next change tries again). */
  onError?(kind: ChangeKind, error: unknown): void;
}

export class ChangeSync {
  readonly #due = new Set<ChangeKind>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running: Promise<void> | null = null;
  #unsubscribe: (() => void) | null = null;

  constructor(
    private readonly source: ChangeSource,
    private readonly targets: SyncTargets,
    private readonly delayMs = 150,
  ) {}

  start(): void {
    this.#unsubscribe ??= this.source.subscribe((changes) => this.#heard(changes));
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#due.clear();
  }

  /** Resolves once every reload asked for so far has run (tests, and a caller that must see the other tab's data). */
  async settled(): Promise<void> {
    while (this.#timer !== null || this.#running) {
      if (this.#running) await this.#running;
      else await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    }
  }

  #heard(changes: readonly Change[]): void {
    const current = this.targets.currentProjectId();
    for (const { kind, projectId } of changes) {
      if (kind === 'projects' || projectId === null || projectId === current) this.#due.add(kind);
    }
    if (this.#due.size > 0) this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== null || this.#running) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = this.#reloadDue().finally(() => {
        this.#running = null;
        // Changes heard while reloading are read in the next round.
        if (this.#due.size > 0 && this.#unsubscribe) this.#schedule();
      });
    }, this.delayMs);
  }

  async #reloadDue(): Promise<void> {
    const kinds = [...this.#due];
    this.#due.clear();
    // The project list first: another kind's reload reads the open project from it.
    kinds.sort((a, b) => (a === 'projects' ? -1 : b === 'projects' ? 1 : 0));
    for (const kind of kinds) {
      try {
        await this.targets.reload(kind);
      } catch (e) {
        this.targets.onError?.(kind, e);
      }
    }
  }
}
