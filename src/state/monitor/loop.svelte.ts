// What the Monitor's "Close the loop" and "Where the champion came from" sections show: the version made from the
// champion's traffic (./loop-version.ts) and the pipelines' decisions on it, and the champion's story
// (./champion-story.ts).

import type { DatasetVersion, ModelVersion, Project, Run } from '../../core/shared/types';
import type { VersionCatalogue } from '../data/catalogue.svelte';
import type { PipelinesState } from '../deliver/pipelines.svelte';
import type { Services } from '../shared/services';
import { messageOf } from '../shared/services';
import { readChampionStory, type ChampionStory } from './champion-story';
import { makeProductionVersion, type LoopOutcome, type LoopWindow } from './loop-version';

export type { AliasMoveRow, ChampionStory, StoryVersion } from './champion-story';
export type { LoopOutcome, LoopWindow } from './loop-version';

export interface LoopDeps {
  services: Services;
  catalogue: VersionCatalogue;
  pipelines: PipelinesState;
}

export class LoopState {
  busy = $state(false);
  error = $state<string | null>(null);
  message = $state<string | null>(null);
  outcome = $state.raw<LoopOutcome | null>(null);
  story = $state.raw<ChampionStory | null>(null);
  storyError = $state<string | null>(null);

  constructor(private readonly deps: LoopDeps) {}

  /**
   * A version from the champion's serving requests in `window` (null: the whole log), only the labelled ones when
   * `labelledOnly`; stored, listed, and announced so the pipelines that follow its lineage start. Null, with `error`
   * saying why, when none was made.
   */
  async makeVersion(project: Project, champion: ModelVersion, run: Run, window: LoopWindow | null, labelledOnly: boolean): Promise<DatasetVersion | null> {
    this.busy = true;
    this.error = null;
    this.message = null;
    this.outcome = null;
    try {
      const made = await makeProductionVersion(this.deps, project, champion, run, window, labelledOnly);
      if (!made.ok) {
        this.error = made.error;
        return null;
      }
      this.outcome = made.outcome;
      this.message = made.message;
      return made.outcome.version;
    } finally {
      this.busy = false;
    }
  }

  /** Where the project's champion came from and what it replaced; null when there is none. */
  async championStory(project: Project): Promise<ChampionStory | null> {
    this.storyError = null;
    try {
      this.story = await readChampionStory(this.deps.services, project);
    } catch (e) {
      this.story = null;
      this.storyError = `The champion's story could not be read: ${messageOf(e)}`;
    }
    return this.story;
  }
}
