import type { DatasetRef } from '../../core/contracts/dataset';
import type { Services } from './services';

/** How the page names a stored version to a worker, which then reads it itself: the page never holds the table. */
export function datasetRef(services: Pick<Services, 'datasets'>, versionId: string): DatasetRef {
  return { databaseName: services.datasets.databaseName, versionId };
}
