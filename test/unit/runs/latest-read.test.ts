// A reload of the runs list that overlaps a tag or note saved in this tab must not show the run as it was before the
// save, and an older reload must not land after a newer one.

import { describe, expect, it } from 'vitest';
import { LatestRead } from '../../../src/state/shared/latest-read';

interface Item {
  id: string;
  tag: string;
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('LatestRead', () => {
  it('shows a record written while the read was under way as written', async () => {
    const reads = new LatestRead<Item>();
    const storage = deferred<Item[]>();
    const read = reads.begin();
    const landing = storage.promise.then((list) => read.landed(list));
    reads.wrote({ id: 'a', tag: 'new' });
    storage.resolve([{ id: 'a', tag: 'old' }, { id: 'b', tag: 'old' }]);
    expect(read.isLatest()).toBe(true);
    expect(await landing).toEqual([{ id: 'a', tag: 'new' }, { id: 'b', tag: 'old' }]);
  });

  it('lets a read begun after a write show what it read', () => {
    const reads = new LatestRead<Item>();
    reads.wrote({ id: 'a', tag: 'mine' });
    const read = reads.begin();
    // Another tab changed it after this tab's write: the newer read is the truth.
    expect(read.landed([{ id: 'a', tag: 'theirs' }])).toEqual([{ id: 'a', tag: 'theirs' }]);
  });

  it('keeps an older read from landing once a newer one began', () => {
    const reads = new LatestRead<Item>();
    const older = reads.begin();
    const newer = reads.begin();
    expect(older.isLatest()).toBe(false);
    expect(newer.isLatest()).toBe(true);
  });

  it('does not carry a write into a read begun later than it', () => {
    const reads = new LatestRead<Item>();
    const first = reads.begin();
    reads.wrote({ id: 'a', tag: 'during first' });
    const second = reads.begin();
    expect(first.landed([{ id: 'a', tag: 'stored' }])).toEqual([{ id: 'a', tag: 'during first' }]);
    expect(second.landed([{ id: 'a', tag: 'stored' }])).toEqual([{ id: 'a', tag: 'stored' }]);
  });
});
