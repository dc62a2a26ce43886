import { describe, expect, test } from 'vitest';
import { ChangeFeed, type ChannelLike } from '../../src/platform/changes';

/** A channel that, like BroadcastChannel, throws when posted to after close. */
function channel(): ChannelLike & { posted: unknown[] } {
  let closed = false;
  const posted: unknown[] = [];
  return {
    posted,
    onmessage: null,
    postMessage(message: unknown) {
      if (closed) throw new Error("Failed to execute 'postMessage' on 'BroadcastChannel': Channel is closed");
      posted.push(message);
    },
    close() {
      closed = true;
    },
  };
}

describe('ChangeFeed', () => {
  test('announces each distinct change once, for its database', () => {
    const c = channel();
    const feed = new ChangeFeed('lb', c);
    feed.announce([
      { kind: 'runs', projectId: 'p' },
      { kind: 'runs', projectId: 'p' },
      { kind: 'projects', projectId: null },
    ]);
    expect(c.posted).toEqual([{ db: 'lb', changes: [{ kind: 'runs', projectId: 'p' }, { kind: 'projects', projectId: null }] }]);
  });

  test('a commit reported after the feed closed (a worker closing its connection) posts nothing and does not throw', () => {
    const c = channel();
    const feed = new ChangeFeed('lb', c);
    feed.close();
    expect(() => feed.announce([{ kind: 'runs', projectId: 'p' }])).not.toThrow();
    expect(c.posted).toEqual([]);
  });
});
