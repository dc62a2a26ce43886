// The state that only stage screens use: never the Define screen, the shell or start-up. It is built when the first
// stage screen opens and lives in that chunk, so a first visit does not download it (the build prints the first
// screen's size). Those with a load(project) load it when built and on every project switch.
import { AnalysisState } from './data/analysis.svelte';
import { GalleryState } from './data/gallery.svelte';
import { ImagesState } from './data/images.svelte';
import { RecipeState } from './data/recipe.svelte';
import { VersionsState } from './data/versions.svelte';
import { RegistryState } from './deliver/registry.svelte';
import { PipelinesState } from './deliver/pipelines.svelte';
import type { VersionCatalogue } from './data/catalogue.svelte';
import { EvaluationState } from './evaluate/evaluation.svelte';
import { ReproduceState } from './evaluate/reproduce.svelte';
import { RunsState } from './evaluate/runs.svelte';
import { MonitorState } from './monitor/monitor.svelte';
import { ReplayState } from './monitor/replay.svelte';
import { DashboardState } from './monitor/dashboard.svelte';
import { AlertsState } from './monitor/alerts.svelte';
import { LoopState } from './monitor/loop.svelte';
import type { Services } from './shared/services';
import { SweepState } from './train/sweep.svelte';
import { TrainState } from './train/train.svelte';

/** `onRunChanged` reloads the run list after a run is written (the Workbench also refreshes the storage figure). */
export function createStageStates(services: Services, catalogue: VersionCatalogue, onRunChanged: () => Promise<void>) {
  const runs = new RunsState(services);
  const train = new TrainState(services, onRunChanged);
  const registry = new RegistryState(services);
  const monitor = new MonitorState(services);
  // A pipeline that moved an alias changes what Monitor serves, as a move by hand does.
  const pipelines = new PipelinesState({
    services,
    train,
    catalogue,
    onRegistryChanged: async (project) => {
      await registry.load(project);
      await monitor.load(project);
    },
  });
  // Continuous training: a version stored by an import or a recipe may start the pipelines that follow its lineage.
  catalogue.onAdded((version) => void pipelines.onNewVersion(version));
  return {
    runs,
    train,
    versions: new VersionsState(services, catalogue, runs),
    recipe: new RecipeState(services, catalogue),
    analysis: new AnalysisState(services),
    images: new ImagesState(services, catalogue),
    gallery: new GalleryState(services),
    evaluation: new EvaluationState(services, catalogue),
    reproduce: new ReproduceState(services, train, runs),
    sweep: new SweepState(services, train, runs),
    registry,
    pipelines,
    monitor,
    // The feedback-loop scenario trains as the form does and moves the champion, which Deliver and Monitor then show.
    replay: new ReplayState(services, {
      train,
      onRegistryChanged: async (project) => {
        await registry.load(project);
        await monitor.load(project);
      },
    }),
    dashboard: new DashboardState(services),
    // Closing the loop: traffic back into a version, which the catalogue announces to the pipelines above.
    loop: new LoopState({ services, catalogue, pipelines }),
    // A firing alert starts the pipelines that retrain the model it watches (Deliver's alert trigger).
    alerts: new AlertsState({ services, onFiring: async (project, model, alertId) => void (await pipelines.onAlert(project, model, alertId)) }),
  };
}

export type StageStates = ReturnType<typeof createStageStates>;
