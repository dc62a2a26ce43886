import type { ModelVersion, Project, Run } from '../../core/shared/types';
import type { CardEvidence } from '../../core/deliver/export/bundle';
import { aliasesOf, parseTags, rollbackTarget, versionViews, type RegistryAuditEntry, type RegistryModel } from '../../core/deliver/registry';
import type { GateDecision } from '../../core/deliver/gates';
import { summarizeDecision } from '../../core/deliver/promotion/default-gate';
import { cardEvidenceOf, runOfVersion } from '../../core/deliver/pipeline';
import { judgeCandidate } from './promotion';
import { downloadBytes } from '../../platform/download';
import type { Services } from '../shared/services';
import { messageOf } from '../shared/services';

export const CHAMPION = 'champion';

/** One line of the audit log as the Deliver screen lists it, newest first across the project's models. */
export interface AuditRow {
  key: string;
  model: string;
  entry: RegistryAuditEntry;
}

/** An alias currently set on a model, with where a rollback would take it (or why it cannot). */
export interface AliasRow {
  model: string;
  alias: string;
  version: number;
  rollback: { ok: true; version: number } | { ok: false; reason: string };
}

/** Registered models of the open project, their versions, aliases, audit log, and export. */
export class RegistryState {
  models = $state.raw<RegistryModel[]>([]);
  /** Newest first. */
  versions = $state.raw<ModelVersion[]>([]);
  busy = $state<string | null>(null);
  error = $state<string | null>(null);
  message = $state<string | null>(null);
  /** The bundle import under way (its status line), then its refusal or failure, or what it stored. */
  importing = $state<string | null>(null);
  importError = $state<string | null>(null);
  importMessage = $state<string | null>(null);
  /** The last gate judged in front of `champion`, shown until the next one; `refused` keeps the move on offer for an override. */
  gate = $state.raw<{ version: ModelVersion; decision: GateDecision; refused: boolean } | null>(null);

  constructor(private readonly services: Services) {}

  async load(project: Project): Promise<void> {
    this.models = await this.services.registry.models(project.id);
    this.versions = versionViews(this.models).sort((a, b) => b.createdAt - a.createdAt || b.version - a.version);
  }

  aliasesOf(version: ModelVersion): string[] {
    const model = this.models.find((m) => m.name === version.name);
    return model ? aliasesOf(model, version.version) : [];
  }

  get aliases(): AliasRow[] {
    return this.models.flatMap((m) =>
      Object.entries(m.aliases)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([alias, version]) => ({ model: m.name, alias, version, rollback: rollbackTarget(m, alias) })),
    );
  }

  get audit(): AuditRow[] {
    return this.models
      .flatMap((m) => m.audit.map((entry, i) => ({ key: `${m.name}#${i}`, model: m.name, entry, i })))
      .sort((a, b) => b.entry.at - a.entry.at || b.i - a.i)
      .map(({ key, model, entry }) => ({ key, model, entry }));
  }

  async register(project: Project, run: Run, name: string, description: string, makeChampion: boolean, tagsText = ''): Promise<ModelVersion | null> {
    const trimmed = name.trim();
    if (!trimmed) {
      this.error = 'Give the model a name.';
      return null;
    }
    const tags = parseTags(tagsText);
    if (!tags.ok) {
      this.error = `Tags: ${tags.message}.`;
      return null;
    }
    this.error = null;
    this.message = null;
    try {
      const version = await this.services.registry.register(project.id, trimmed, run.id, description.trim(), tags.tags);
      await this.load(project);
      const champion = makeChampion && (await this.moveAlias(project, version, CHAMPION, 'made champion when registered'));
      this.message = `Registered ${version.name} version ${version.version}${champion ? ' as champion' : ''}.`;
      return version;
    } catch (e) {
      this.error = `Registering failed: ${messageOf(e)}`;
      await this.load(project);
      return null;
    }
  }

  /**
   * Points `alias` at a version of its model; the reason is required and kept in the audit log. `champion` moves only
   * past the gate (see promotion.ts), whose decision is audited either way.
   */
  async moveAlias(project: Project, version: ModelVersion, alias: string, why: string): Promise<boolean> {
    this.error = null;
    this.message = null;
    if (alias.trim() === CHAMPION) {
      if (!why.trim()) {
        this.error = 'Moving the alias failed: say why the alias moves';
        return false;
      }
      const passed = await this.judge(project, version);
      if (!passed) return false;
    }
    return this.move(project, version, alias, why);
  }

  /** Moves `champion` to the version a failed gate refused, with the user's reason, audited as an override. */
  async override(project: Project, why: string): Promise<boolean> {
    const gate = this.gate;
    if (!gate?.refused) return false;
    if (!why.trim()) {
      this.error = 'Give a reason for promoting past a failed gate.';
      return false;
    }
    const moved = await this.move(project, gate.version, CHAMPION, `gate overridden: ${why.trim()}`);
    if (moved) this.gate = { ...gate, refused: false };
    return moved;
  }

  private async judge(project: Project, version: ModelVersion): Promise<boolean> {
    this.gate = null;
    this.busy = `Checking the gate for ${version.name} version ${version.version}…`;
    try {
      // The baseline is what Monitor serves now: the project's champion, whichever model holds it.
      const champion = (await this.services.registry.byAlias(project.id, CHAMPION)) ?? null;
      const decision = await judgeCandidate(this.services, project, version, champion?.id === version.id ? null : champion);
      // A decision with no figures (an imported version has no rows here) is explained by its refusal alone.
      const why = decision.evidence.length === 0 && decision.refused ? `not blessed: ${decision.refused}` : summarizeDecision(decision);
      await this.services.registry.recordGate(project.id, version.name, { version: version.version, passed: decision.blessed, why });
      this.gate = { version, decision, refused: !decision.blessed };
      await this.load(project);
      if (!decision.blessed) {
        this.error = `The gate refused ${version.name} version ${version.version} as champion: champion is unchanged. ${decision.evidence.length === 0 && decision.refused ? decision.refused : 'See the gate evidence.'}`;
      }
      return decision.blessed;
    } catch (e) {
      this.error = `The gate could not be checked: ${messageOf(e)}`;
      return false;
    } finally {
      this.busy = null;
    }
  }

  private async move(project: Project, version: ModelVersion, alias: string, why: string): Promise<boolean> {
    try {
      await this.services.registry.moveAlias(project.id, version.name, { alias: alias.trim(), to: version.version, why: why.trim() });
      this.message = `${alias.trim()} now points at ${version.name} version ${version.version}.`;
      await this.load(project);
      return true;
    } catch (e) {
      this.error = `Moving the alias failed: ${messageOf(e)}`;
      return false;
    }
  }

  async rollback(project: Project, model: string, alias: string, why: string): Promise<boolean> {
    this.error = null;
    this.message = null;
    try {
      const next = await this.services.registry.rollback(project.id, model, alias, why.trim());
      this.message = `Rolled ${alias} back to ${model} version ${next.aliases[alias]}.`;
      await this.load(project);
      return true;
    } catch (e) {
      this.error = `Rolling back failed: ${messageOf(e)}`;
      return false;
    }
  }

  /**
   * Imports an export bundle as the next version of its model: into `project` when it predicts the same target, else
   * into a project made from the bundle's lineage. Returns the project it went to (the caller opens it when it is
   * another one), or null when it was refused or failed, which stores nothing.
   */
  async importBundle(project: Project | null, file: File): Promise<Project | null> {
    this.importing = `Reading ${file.name}…`;
    this.importError = null;
    this.importMessage = null;
    try {
      // The checks, the inflater and the valibot schemas are fetched on the first import, not with the screens.
      const { importBundle } = await import('./bundle-import');
      const outcome = await importBundle(this.services, project, file, (step) => (this.importing = step));
      if (!outcome.ok) {
        this.importError = outcome.refused ? `Refused, nothing was stored. ${outcome.message}` : `The import failed and nothing was stored: ${outcome.message}`;
        return null;
      }
      const { project: into, version } = outcome.stored;
      const elsewhere = into.id === project?.id ? '' : ` into the new project "${into.name}"`;
      this.importMessage = `Imported ${version.name} version ${version.version}${elsewhere} from ${file.name}.`;
      if (project && into.id === project.id) await this.load(project);
      return into;
    } catch (e) {
      this.importError = `The import failed and nothing was stored: ${messageOf(e)}`;
      return null;
    } finally {
      this.importing = null;
    }
  }

  /** Builds the deployable zip for a version and hands it to the browser as a download. */
  async exportBundle(project: Project, version: ModelVersion): Promise<void> {
    this.busy = `Exporting ${version.name} v${version.version}…`;
    this.error = null;
    try {
      // The bundle builder, the zip library and the serving sources it embeds (~25 KB gzipped) are needed only here:
      // fetched on the first export, not with the screens.
      const { buildBundle } = await import('./bundle');
      const { zip, fileName } = await buildBundle(this.services, project, version, await this.evidenceOf(project, version));
      downloadBytes(fileName, zip, 'application/zip');
      this.message = `Exported ${version.name} version ${version.version}.`;
    } catch (e) {
      this.error = `Export failed: ${messageOf(e)}`;
    } finally {
      this.busy = null;
    }
  }

  /** The version's model card as the bundle would ship it: the edited text, or the one generated from the evidence. */
  async cardOf(project: Project, version: ModelVersion): Promise<{ text: string; edited: boolean; imported?: true }> {
    const { modelCardOf } = await import('./bundle');
    return modelCardOf(this.services, project, version, await this.evidenceOf(project, version));
  }

  /** The tests of the pipeline run that produced the version, for its card; null when a person registered it. */
  private async evidenceOf(project: Project, version: ModelVersion): Promise<CardEvidence | null> {
    const runs = await this.services.pipelines.runs(project.id);
    const run = runOfVersion(runs, version.name, version.version);
    if (!run) return null;
    const pipeline = await this.services.pipelines.get(run.pipelineId);
    const number = runs.filter((r) => r.pipelineId === run.pipelineId && r.createdAt <= run.createdAt).length;
    return cardEvidenceOf(run, pipeline?.name ?? 'a deleted pipeline', number);
  }

  /** Keeps `text` as the version's card (blank text goes back to the generated one); true when it was stored. */
  async saveCard(project: Project, version: ModelVersion, text: string): Promise<boolean> {
    return this.storeCard(project, version, text, `Saved the model card of ${version.name} version ${version.version}.`);
  }

  /** Drops the edited card: the version shows and exports the generated one again. */
  async resetCard(project: Project, version: ModelVersion): Promise<boolean> {
    return this.storeCard(project, version, null, `${version.name} version ${version.version} uses the generated model card again.`);
  }

  private async storeCard(project: Project, version: ModelVersion, text: string | null, done: string): Promise<boolean> {
    this.error = null;
    this.message = null;
    try {
      await this.services.registry.setCard(project.id, version.name, version.version, text);
      this.message = done;
      await this.load(project);
      return true;
    } catch (e) {
      this.error = `Saving the model card failed: ${messageOf(e)}`;
      return false;
    }
  }
}
