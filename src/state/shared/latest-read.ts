/**
 * Reads of a stored list that may overlap each other and this tab's own writes. A reload (announced by a worker or
 * another tab) can start before a write of this tab commits and end after it; its result would then show the record as
 * it was before, until the next reload. Only the newest read lands, and records this tab wrote since it began are shown
 * as written.
 */
export class LatestRead<T extends { readonly id: string }> {
  #reads = 0;
  #written = new Map<string, T>();

  /** Starts a read: call before reading storage. */
  begin(): ReadTicket<T> {
    const number = ++this.#reads;
    const written = (this.#written = new Map());
    return {
      isLatest: () => number === this.#reads,
      landed: (list) => list.map((item) => written.get(item.id) ?? item),
    };
  }

  /** This tab stored `item`: a read under way shows it as stored. */
  wrote(item: T): void {
    this.#written.set(item.id, item);
  }
}

export interface ReadTicket<T> {
  /** False once a newer read began: this one's result must not land. */
  isLatest(): boolean;
  /** The list as read, with what this tab wrote since the read began laid over it. */
  landed(list: readonly T[]): T[];
}
