// The database every fault sweep writes to, and a connection to it for the page-side repositories.

import type { LoopbenchDb } from '../../../src/platform/db';
import type { Open } from './sweep';

export const DB = 'faults';

export async function withDb<T>(open: Open, work: (db: LoopbenchDb) => Promise<T>): Promise<T> {
  const opened = await open(DB);
  if (!opened.ok) throw new Error(opened.message);
  try {
    return await work(opened.db);
  } finally {
    opened.db.close();
  }
}
