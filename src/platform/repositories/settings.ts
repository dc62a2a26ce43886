// Small key-value settings (backend probe cache, UI preferences) kept in the meta table.

import { FORMAT_KEY, type LoopbenchDb } from '../db';

export class SettingsRepo {
  constructor(private readonly db: LoopbenchDb) {}

  async get<T>(key: string): Promise<T | undefined> {
    return (await this.db.meta.get(key))?.value as T | undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    // The format marker guards every other record; only openDatabase may write it.
    if (key === FORMAT_KEY) throw new Error(`"${FORMAT_KEY}" is reserved for the storage format marker.`);
    await this.db.meta.put({ key, value });
  }
}
