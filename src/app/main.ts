import { mount, unmount } from 'svelte';
import { openDatabase } from '../platform/open-db';
import { ChangeFeed } from '../platform/changes';
import { ProjectsRepo } from '../platform/repositories/projects';
import { DatasetsRepo } from '../platform/repositories/datasets';
import { RunsRepo } from '../platform/repositories/runs';
import { RegistryRepo } from '../platform/repositories/registry';
import { PipelinesRepo } from '../platform/repositories/pipelines';
import { RequestLogRepo } from '../platform/repositories/request-log';
import { SettingsRepo } from '../platform/repositories/settings';
import { ImageImportClient, ParserClient, PredictorClient, TrainerClient } from '../platform/workers';
import { SuitesRepo } from '../platform/repositories/suites';
import { AnalysisClient } from '../platform/analysis-client';
import { EvaluationsRepo } from '../platform/repositories/evaluations';
import { ImportsRepo } from '../platform/repositories/imports';
import { Workbench } from '../state/workbench.svelte';
import App from '../ui/App.svelte';
import StorageBlocked from '../ui/StorageBlocked.svelte';
import '../ui/theme.css';

const target = document.getElementById('app')!;
// Writes are announced to the other tabs of this origin, and theirs reloaded here (src/state/shared/change-sync.ts).
const changes = new ChangeFeed('loopbench');
const opened = await openDatabase({ changes });
if (!opened.ok) {
  mount(StorageBlocked, { target, props: { message: opened.message } });
} else {
  const db = opened.db;
  const workbench = new Workbench({
    projects: new ProjectsRepo(db),
    datasets: new DatasetsRepo(db),
    runs: new RunsRepo(db),
    registry: new RegistryRepo(db),
    pipelines: new PipelinesRepo(db),
    requestLog: new RequestLogRepo(db),
    settings: new SettingsRepo(db),
    parser: new ParserClient(),
    images: new ImageImportClient(),
    trainer: new TrainerClient(),
    newTrainer: () => new TrainerClient(),
    predictor: new PredictorClient(),
    suites: new SuitesRepo(db),
    analysis: new AnalysisClient(),
    evaluations: new EvaluationsRepo(db),
    imports: new ImportsRepo(db),
    changes,
  });
  const app = mount(App, { target, props: { workbench } });
  // Another tab opened a newer schema: this page's code must not write again, so it is replaced by the message.
  opened.guard.onClosed((message) => {
    changes.close();
    void unmount(app);
    mount(StorageBlocked, { target, props: { message } });
  });
  void workbench.start();
}
