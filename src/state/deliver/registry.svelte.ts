import type { ModelVersion, Project, RawRow, Run } from '../../core/shared/types';
import { SPLIT_TEST } from '../../core/shared/types';
import { aliasesOf, rollbackTarget, versionViews, type RegistryAuditEntry, type RegistryModel } from '../../core/deliver/registry';
import type { GateDecision } from '../../core/deliver/gates';
import { summarizeDecision } from '../../core/deliver/promotion/default-gate';
import { judgeCandidate } from './promotion';
import { rawRow, rowsOf } from '../../core/train/preprocess';
import { rawExampleRows } from '../../core/deliver/export/raw-examples';
import { downloadBytes } from '../../platform/download';
import type { Services } from '../shared/services';
import { messageOf } from '../shared/services';
import { loadRunModel } from '../shared/model-loader';
import { recipeChain } from '../data/recipe-chain';

export const CHAMPION = 'champion';
const MAX_EXAMPLES = 200;

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

  async register(project: Project, run: Run, name: string, description: string, makeChampion: boolean): Promise<ModelVersion | null> {
    const trimmed = name.trim();
    if (!trimmed) {
      this.error = 'Give the model a name.';
      return null;
    }
    this.error = null;
    this.message = null;
    try {
      const version = await this.services.registry.register(project.id, trimmed, run.id, description.trim());
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
      await this.services.registry.recordGate(project.id, version.name, { version: version.version, passed: decision.blessed, why: summarizeDecision(decision) });
      this.gate = { version, decision, refused: !decision.blessed };
      await this.load(project);
      if (!decision.blessed) {
        this.error = `The gate refused ${version.name} version ${version.version} as champion: champion is unchanged. See the gate evidence.`;
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

  /** Builds the deployable zip for a version and hands it to the browser as a download. */
  async exportBundle(project: Project, version: ModelVersion): Promise<void> {
    this.busy = `Exporting ${version.name} v${version.version}…`;
    this.error = null;
    try {
      // The bundle builder, the zip library and the serving sources it embeds (~25 KB gzipped) are needed only here:
      // fetched on the first export, not with the screens.
      const [{ buildBundleFiles }, { runtimeSources, zipBundle }] = await Promise.all([
        import('../../core/deliver/export/bundle'),
        import('../../platform/bundle-zip'),
      ]);
      const run = await this.services.runs.get(version.runId);
      if (!run?.model || !run.preprocessor) throw new Error('the run behind this version has no stored model');
      // The bundle's predict script reads table rows; it has no image decoder to turn files into pixels.
      if (run.preprocessor.image) throw new Error('image models cannot be exported yet: the bundle predicts from table rows only');
      const loaded = await loadRunModel(this.services, run);
      const { meta: dataset, table, assignment } = await this.services.datasets.load(run.datasetId);
      const recipes = run.recipes ?? [];
      let inputs: RawRow[];
      let chain = [dataset.id];
      if (recipes.length === 0) {
        const testRows = rowsOf(assignment, SPLIT_TEST).slice(0, MAX_EXAMPLES);
        inputs = Array.from(testRows, (row) => rawRow(dataset.schema, table, row));
      } else {
        // The bundle is fed raw rows, so its examples are raw rows of the import the chain starts from.
        const found = await recipeChain((id) => this.services.datasets.get(id), dataset.id);
        if (found.recipes.length !== recipes.length) {
          throw new Error(`the run recorded ${recipes.length} recipe(s) but its dataset version now has ${found.recipes.length}`);
        }
        chain = found.versionIds;
        const root = await this.services.datasets.load(found.root.id);
        inputs = rawExampleRows(root.meta.schema, root.table, root.assignment, recipes, MAX_EXAMPLES);
      }
      // The expected outputs come from the app's own serving path, so the bundle's --verify
      // proves a deployment reproduces what Loopbench predicted. The predictor gets its own copy
      // of the weights: loading transfers (detaches) the buffer it is given.
      const { predictions: outputs } = await this.services.predictor.predict(
        version.id,
        () => loadRunModel(this.services, run),
        inputs,
      );
      const files = await buildBundleFiles({
        project,
        dataset,
        run,
        model: version,
        topology: loaded.model.topology,
        weightSpecs: loaded.model.weightSpecs,
        weights: loaded.model.weights,
        runtime: runtimeSources,
        examples: inputs.map((input, i) => {
          const answer = outputs[i]!;
          // An example is an answer --verify can check; a row the model cannot answer is no such thing.
          if (!answer.ok) throw new Error(`example row ${i + 1} has no prediction: ${answer.error}`);
          return { input, output: answer.output, probabilities: answer.probabilities };
        }),
        exportedAt: Date.now(),
        chain,
      });
      const slug = version.name.replace(/[^a-z0-9-_]+/gi, '-').toLowerCase();
      downloadBytes(`${slug}-v${version.version}.zip`, zipBundle(files), 'application/zip');
      this.message = `Exported ${version.name} version ${version.version}.`;
    } catch (e) {
      this.error = `Export failed: ${messageOf(e)}`;
    } finally {
      this.busy = null;
    }
  }
}
