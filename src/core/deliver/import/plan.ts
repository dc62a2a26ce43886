// What a checked bundle becomes in storage: a finished run marked as imported (its data stays where it was trained,
// so its dataset id names a version this browser does not hold), in the open project when it predicts the same
// thing, else in a project made from the bundle's lineage; and the next version of the bundle's model name.

import type { Project, Run } from '../../shared/types';
import { flattenReport } from '../../evaluate/run-report';
import type { ImportedBundle } from './read-bundle';

export interface ImportTarget {
  /** The open project, if any. */
  current: Project | null;
  /** Every stored project (to reuse the source project or avoid its id). */
  projects: readonly Project[];
  file: string;
  now: number;
  newId: (prefix: string) => string;
}

export interface ImportPlan {
  project: Project;
  /** The project does not exist yet and is written with the run. */
  newProject: boolean;
  /** The run without its weights; `model` is filled in by the repository that stores the weights. */
  run: Omit<Run, 'model'>;
  model: { topology: unknown; weightSpecs: ImportedBundle['weightSpecs'] };
  weights: ArrayBuffer;
  modelName: string;
  card: string;
}

function fits(project: Project, bundle: ImportedBundle): boolean {
  const pre = bundle.preprocessor;
  if (project.task !== pre.task || project.target !== pre.target) return false;
  // An image model reads images of one size: a project that resizes its imports to another cannot feed it.
  if (!pre.image) return project.image === undefined;
  const { width, height, channels } = pre.image;
  return project.image?.width === width && project.image.height === height && project.image.channels === channels;
}

export function importedRecords(bundle: ImportedBundle, target: ImportTarget): ImportPlan {
  const { lineage } = bundle;
  const source = target.projects.find((p) => p.id === lineage.project.id && fits(p, bundle));
  const reuse = target.current && fits(target.current, bundle) ? target.current : source ?? null;
  const taken = target.projects.some((p) => p.id === lineage.project.id);
  const project: Project = reuse ?? {
    id: taken ? target.newId('project') : lineage.project.id,
    name: lineage.project.name,
    task: lineage.project.task,
    target: lineage.project.target,
    goal: lineage.project.goal,
    createdAt: target.now,
    ...(bundle.preprocessor.image
      ? { image: { width: bundle.preprocessor.image.width, height: bundle.preprocessor.image.height, channels: bundle.preprocessor.image.channels } }
      : {}),
  };
  const run: Omit<Run, 'model'> = {
    id: target.newId('run'),
    projectId: project.id,
    datasetId: lineage.dataset.id,
    name: lineage.run.name,
    status: 'finished',
    params: bundle.params,
    backend: lineage.run.backend,
    versions: lineage.run.versions,
    startedAt: lineage.run.startedAt,
    endedAt: lineage.run.endedAt,
    history: bundle.history,
    metrics: flattenReport(bundle.evaluation),
    evaluation: bundle.evaluation,
    preprocessor: bundle.preprocessor,
    note: lineage.run.note,
    tags: lineage.run.tags,
    recipes: bundle.recipes,
    format: bundle.format,
    origin: {
      kind: 'imported',
      file: target.file,
      importedAt: target.now,
      bundleSha256: bundle.bundleSha256,
      lineage: {
        project: { id: lineage.project.id, name: lineage.project.name },
        dataset: { id: lineage.dataset.id, name: lineage.dataset.name },
        run: { id: lineage.run.id, name: lineage.run.name },
        model: { name: lineage.model.name, version: lineage.model.version },
        exportedAt: lineage.exportedAt,
      },
      card: bundle.card,
    },
  };
  return {
    project,
    newProject: reuse === null,
    run,
    model: { topology: bundle.topology, weightSpecs: bundle.weightSpecs },
    weights: bundle.weights,
    modelName: lineage.model.name,
    card: bundle.card,
  };
}
