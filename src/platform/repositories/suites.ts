// Expectation suites, one per project (keyed by project id). The suite is the user's own edit, so a
// save replaces it whole; records are checked on the way in so a malformed suite never reaches storage.

import { checkSuite, type ExpectationSuite } from '../../core/data/expectations';
import type { LoopbenchDb } from '../db';

export class SuitesRepo {
  constructor(private readonly db: LoopbenchDb) {}

  get(projectId: string): Promise<ExpectationSuite | undefined> {
    return this.db.suites.get(projectId);
  }

  async put(suite: ExpectationSuite): Promise<void> {
    const problems = checkSuite(suite.expectations);
    if (problems.length > 0) throw new Error(problems.join(' '));
    await this.db.suites.put(suite);
  }
}
