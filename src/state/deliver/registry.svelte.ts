import type { ModelVersion, Project, RawRow, RegisteredModel, Run } from '../../core/shared/types';
import { SPLIT_TEST } from '../../core/shared/types';
import { rawRow, rowsOf } from '../../core/train/preprocess';
import { rawExampleRows } from '../../core/deliver/export/raw-examples';
import { downloadBytes } from '../../platform/download';
import type { Services } from '../shared/services';
import { messageOf } from '../shared/services';
import { loadRunModel } from '../shared/model-loader';
import { recipeChain } from '../data/recipe-chain';

export const CHAMPION = 'champion';
const MAX_EXAMPLES = 200;

/** Registered models of the open project, their versions and aliases, and export. */
export class RegistryState {
  models = $state.raw<RegisteredModel[]>([]);
  versions = $state.raw<ModelVersion[]>([]);
  busy = $state<string | null>(null);
  error = $state<string | null>(null);
  message = $state<string | null>(null);

  constructor(private readonly services: Services) {}

  async load(project: Project): Promise<void> {
    this.models = await this.services.registry.models(project.id);
    const lists = await Promise.all(this.models.map((m) => this.services.registry.versions(m.name)));
    this.versions = lists.flat().sort((a, b) => b.createdAt - a.createdAt);
  }

  aliasesOf(version: ModelVersion): string[] {
    const model = this.models.find((m) => m.name === version.name);
    if (!model) return [];
    return Object.entries(model.aliases)
      .filter(([, v]) => v === version.version)
      .map(([alias]) => alias);
  }

  async register(project: Project, run: Run, name: string, makeChampion: boolean): Promise<ModelVersion | null> {
    const trimmed = name.trim();
    if (!trimmed) {
      this.error = 'Give the model a name.';
      return null;
    }
    this.error = null;
    try {
      const version = await this.services.registry.register(project.id, trimmed, run.id);
      if (makeChampion) await this.services.registry.setAlias(trimmed, CHAMPION, version.version);
      this.message = `Registered ${trimmed} version ${version.version}${makeChampion ? ' as champion' : ''}.`;
      await this.load(project);
      return version;
    } catch (e) {
      this.error = `Registering failed: ${messageOf(e)}`;
      return null;
    }
  }

  async setAlias(project: Project, version: ModelVersion, alias: string): Promise<void> {
    try {
      await this.services.registry.setAlias(version.name, alias, version.version);
      this.message = `${alias} now points at ${version.name} version ${version.version}.`;
      await this.load(project);
    } catch (e) {
      this.error = `Moving the alias failed: ${messageOf(e)}`;
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
