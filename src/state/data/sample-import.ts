import type { DatasetVersion, Project } from '../../core/shared/types';
import { DEFAULT_SPLIT, type SampleDefinition } from '../../core/shared/defaults';
import { dateColumns, datasetChoices, importSplit, initialChoices, withRole } from '../../core/data/import-choices';
import type { ParseOutcome } from '../../core/contracts/parse';
import type { SampleData } from '../../platform/samples';
import type { Services } from '../shared/services';

const SHAPES_NAME = 'shapes (drawn by Loopbench)';

/** Stores the shapes sample's first version: the image import worker draws, builds and stores it. */
export async function importDrawnSample(services: Pick<Services, 'images' | 'datasets'>, project: Project): Promise<DatasetVersion> {
  const outcome = await services.images.drawShapesSample(
    { method: 'stratified', seed: DEFAULT_SPLIT.seed, fractions: [...DEFAULT_SPLIT.fractions] },
    {
      databaseName: services.datasets.databaseName,
      projectId: project.id,
      name: SHAPES_NAME,
      createdAt: Date.now(),
      source: { kind: 'sample', fileName: SHAPES_NAME, byteLength: 0 },
    },
  );
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.version;
}

/**
 * Stores a table sample's first version the way a file import does (the parse worker reads, builds and stores it),
 * with the sample's roles and split applied to the suggested choices. No form is involved: opening a sample leaves
 * whatever the user has on the import form alone. Throws with the reason when the sample cannot be stored.
 */
export async function importTableSample(
  services: Pick<Services, 'parser' | 'datasets'>,
  definition: SampleDefinition,
  sample: Exclude<SampleData, { kind: 'drawn' }>,
  project: Project,
): Promise<DatasetVersion> {
  const outcome: ParseOutcome =
    sample.kind === 'records'
      ? await services.parser.parseRecords(sample.records, sample.fileName, sample.byteLength)
      : await services.parser.parseFile(sample.file, sample.file.name, () => undefined);
  if (!outcome.ok) throw new Error(outcome.message);
  const file = outcome.file;
  try {
    const choices = initialChoices(file, project.task, project.target);
    for (const [column, role] of Object.entries(definition.roles)) {
      const c = file.header.indexOf(column);
      if (c >= 0) choices.roles = withRole(choices.roles, c, role);
    }
    const split = importSplit(
      project.task,
      definition.split.method ?? null,
      DEFAULT_SPLIT.seed,
      definition.split.timeColumn ?? '',
      dateColumns(file.header, choices.types),
    );
    const name = file.fileName.replace(/\.[^.]+$/, '');
    const stored = await services.parser.buildAndStore(
      file.handle,
      datasetChoices(file.header, choices, { name, task: project.task, split, format: file.detected.format }),
      {
        databaseName: services.datasets.databaseName,
        projectId: project.id,
        name,
        source: { kind: 'sample', fileName: file.fileName, byteLength: file.byteLength },
        createdAt: Date.now(),
      },
    );
    if (!stored.ok) throw new Error(stored.problems.map((p) => p.message).join(' ') || `the ${definition.name} sample could not be built`);
    return stored.version;
  } finally {
    services.parser.release(file.handle);
  }
}
