import type { DatasetVersion, Project } from '../../core/shared/types';
import { displayOrder, type ColumnProfile, type DatasetProfile } from '../../core/data/profile';
import {
  checkSuite,
  suggestSuite,
  type Expectation,
  type ExpectationResult,
  type ExpectationSuite,
  type ValidationReport,
} from '../../core/data/expectations';
import type { Services } from '../shared/services';
import { datasetRef } from '../shared/dataset-ref';
import { isCancelled, messageOf } from '../shared/services';

/** The profile of the selected dataset version, and the project's expectation suite with its last report. */
export class AnalysisState {
  profile = $state.raw<DatasetProfile | null>(null);
  /** Version the shown profile (or the one being computed) belongs to. */
  profileId = $state<string | null>(null);
  profiling = $state(false);
  profileError = $state<string | null>(null);
  columns = $derived<ColumnProfile[]>(this.profile ? displayOrder(this.profile) : []);

  expectations = $state<Expectation[]>([]);
  suggestedFrom = $state<string | null>(null);
  /** Edits not yet saved. */
  dirty = $state(false);
  /** Expectations in the project's saved suite; null when none is saved. */
  savedCount = $state<number | null>(null);
  hasSaved = $derived(this.savedCount !== null);
  problems = $derived(checkSuite(this.expectations));
  suiteMessage = $state<string | null>(null);
  suiteError = $state<string | null>(null);

  report = $state.raw<ValidationReport | null>(null);
  reportFor = $state.raw<DatasetVersion | null>(null);
  validating = $state(false);
  validationError = $state<string | null>(null);
  results = $derived(new Map<string, ExpectationResult>((this.report?.results ?? []).map((r) => [r.id, r])));

  // Versions are immutable and content-addressed, so a profile stays right for its id forever.
  #profiles = new Map<string, DatasetProfile>();
  #inflight: { id: string; abort: AbortController; promise: Promise<DatasetProfile | null> } | null = null;
  #projectId: string | null = null;

  constructor(private readonly services: Services) {}

  async load(project: Project): Promise<void> {
    this.#projectId = project.id;
    const saved = await this.services.suites.get(project.id);
    if (this.#projectId !== project.id) return;
    this.#useSuite(saved ?? null);
    this.suiteMessage = null;
  }

  /** Shows the profile of `version`, computing it in the analysis worker unless it is cached or on its way. */
  profileVersion(version: DatasetVersion): Promise<DatasetProfile | null> {
    const cached = this.#profiles.get(version.id);
    if (this.#inflight?.id === version.id && !cached) return this.#inflight.promise;
    // Another version's profile is no longer wanted: end its worker rather than wait for it.
    this.#inflight?.abort.abort();
    this.#inflight = null;
    this.profileId = version.id;
    this.profileError = null;
    if (cached) {
      this.profile = cached;
      this.profiling = false;
      return Promise.resolve(cached);
    }
    this.profile = null;
    this.profiling = true;
    const abort = new AbortController();
    const promise = this.#compute(version, abort);
    this.#inflight = { id: version.id, abort, promise };
    return promise;
  }

  async #compute(version: DatasetVersion, abort: AbortController): Promise<DatasetProfile | null> {
    try {
      const profile = await this.services.analysis.profile(datasetRef(this.services, version.id), abort.signal);
      this.#profiles.set(version.id, profile);
      if (this.profileId === version.id) this.profile = profile;
      return profile;
    } catch (e) {
      if (isCancelled(e) || abort.signal.aborted) return null;
      if (this.profileId === version.id) this.profileError = `Profiling failed: ${messageOf(e)}`;
      return null;
    } finally {
      if (this.#inflight?.abort === abort) {
        this.#inflight = null;
        this.profiling = false;
      }
    }
  }

  /** Replaces the expectations being edited with ones the version passes; nothing is saved yet. */
  async suggest(version: DatasetVersion): Promise<void> {
    this.suiteError = null;
    this.suiteMessage = null;
    const profile = await this.profileVersion(version);
    if (!profile) {
      this.suiteError = `Could not suggest expectations: ${this.profileError ?? 'the version has no profile yet.'}`;
      return;
    }
    this.expectations = suggestSuite(profile);
    this.suggestedFrom = version.id;
    this.#edited();
    this.suiteMessage = `Suggested ${this.expectations.length} expectations from "${version.name}". Review them, then save the suite.`;
  }

  setEnabled(id: string, enabled: boolean): void {
    this.#edit(id, (e) => (e.enabled = enabled));
  }

  setBound(id: string, bound: 'min' | 'max', value: number): void {
    this.#edit(id, (e) => {
      if (e.kind === 'range' || e.kind === 'row-count') e[bound] = value;
    });
  }

  setMaxMissing(id: string, fraction: number): void {
    this.#edit(id, (e) => {
      if (e.kind === 'missing') e.maxFraction = fraction;
    });
  }

  removeCategory(id: string, value: string): void {
    this.#edit(id, (e) => {
      if (e.kind === 'categories') e.allowed = e.allowed.filter((v) => v !== value);
    });
  }

  remove(id: string): void {
    this.expectations = this.expectations.filter((e) => e.id !== id);
    this.#edited();
  }

  async discard(): Promise<void> {
    if (!this.#projectId) return;
    this.#useSuite((await this.services.suites.get(this.#projectId)) ?? null);
    this.suiteMessage = 'Changes discarded.';
  }

  async save(project: Project): Promise<boolean> {
    this.suiteMessage = null;
    this.suiteError = null;
    if (this.problems.length > 0) {
      this.suiteError = `The suite was not saved: ${this.problems.join(' ')}`;
      return false;
    }
    const suite: ExpectationSuite = {
      projectId: project.id,
      // A plain copy: a $state proxy cannot be stored in IndexedDB.
      expectations: $state.snapshot(this.expectations),
      suggestedFrom: this.suggestedFrom,
      updatedAt: Date.now(),
    };
    try {
      await this.services.suites.put(suite);
    } catch (e) {
      this.suiteError = `The suite was not saved: ${messageOf(e)}`;
      return false;
    }
    this.dirty = false;
    this.savedCount = suite.expectations.length;
    this.suiteMessage = `Saved the suite with ${suite.expectations.length} expectations.`;
    return true;
  }

  /** Checks `version` against the expectations as they stand in the editor (saved or not). */
  async validate(version: DatasetVersion): Promise<void> {
    this.validationError = null;
    if (this.problems.length > 0) {
      this.validationError = `Fix the suite first: ${this.problems.join(' ')}`;
      return;
    }
    this.validating = true;
    try {
      const report = await this.services.analysis.validate($state.snapshot(this.expectations), datasetRef(this.services, version.id));
      this.report = report;
      this.reportFor = version;
    } catch (e) {
      this.validationError = `Validation failed: ${messageOf(e)}`;
    } finally {
      this.validating = false;
    }
  }

  #useSuite(suite: ExpectationSuite | null): void {
    this.expectations = suite ? structuredClone(suite.expectations) : [];
    this.suggestedFrom = suite?.suggestedFrom ?? null;
    this.savedCount = suite ? suite.expectations.length : null;
    this.dirty = false;
    this.report = null;
    this.reportFor = null;
    this.suiteError = null;
    this.validationError = null;
  }

  #edit(id: string, change: (e: Expectation) => void): void {
    const e = this.expectations.find((x) => x.id === id);
    if (!e) return;
    change(e);
    this.#edited();
  }

  #edited(): void {
    this.dirty = true;
    // A report describes the suite as it was checked; after an edit it would mislead.
    this.report = null;
    this.reportFor = null;
  }
}
