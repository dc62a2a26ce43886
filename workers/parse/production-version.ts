// Closing the loop in the parse worker: a dataset version from a served model's request log. It lives here because the
// rows are raw rows, built into a version exactly as an import's are (buildDataset: types, roles, split and its size
// checks, the content hash) by the worker that stores imports; the analysis worker, which reads the log for the
// Monitor's signals, may not reach the import's contract (test/unit/contract-rules.test.ts). The log's chunks are read
// one at a time into the raw table. The page sends the model, the range and the training data's schema; it gets the
// record back.

import type { ParserApi, ProductionVersionOutcome, ProductionVersionRequest } from '../../src/core/contracts/parse';
import { buildDataset } from '../../src/core/data/build-dataset';
import { productionSource } from '../../src/core/data/provenance';
import { checkProductionRequest, TrafficCollector, trafficChoices, trafficNotes, trafficProblem, type TrafficRows } from '../../src/core/monitor/loop';
import { RequestLogRepo } from '../../src/platform/repositories/request-log';
import type { DatasetService, OpenDatabase } from '../dataset/dataset-service';

type LoopApi = Pick<ParserApi, 'productionVersion'>;

export function createLoop(datasets: DatasetService, open: OpenDatabase): LoopApi {
  /** The range's serving rows, read chunk by chunk; the database is closed before the version is built. */
  async function collect(request: ProductionVersionRequest): Promise<TrafficRows> {
    const opened = await open(request.databaseName);
    if (!opened.ok) throw new Error(opened.message);
    try {
      const repo = new RequestLogRepo(opened.db);
      const { projectId, modelName, modelVersion, from, to } = request;
      const heads = await repo.heads(projectId, { from, to, role: 'serving', modelName, modelVersion });
      const collector = new TrafficCollector({
        from,
        to,
        labelledOnly: request.labelledOnly,
        schema: request.schema,
        target: request.target,
        format: request.format,
        ...(request.labels !== undefined ? { labels: request.labels } : {}),
      });
      for (const head of heads) {
        const chunk = await repo.chunk(head.id);
        if (chunk) collector.add(chunk);
      }
      return collector.result();
    } finally {
      opened.db.close();
    }
  }

  return {
    async productionVersion(request): Promise<ProductionVersionOutcome> {
      const invalid = checkProductionRequest(request);
      if (invalid.length > 0) return { ok: false, problems: invalid };
      const rows = await collect(request);
      const refused = trafficProblem(request, rows);
      if (refused || rows.task === null) return { ok: false, problems: refused ? [refused] : [] };
      const built = await buildDataset(rows.table, trafficChoices(request, rows.task));
      if (!built.ok) return { ok: false, problems: built.problems };
      const { databaseName, projectId, name, createdAt, modelName, modelVersion, split, format, parentId } = request;
      const stored = await datasets.store(databaseName, built.dataset, {
        projectId,
        name,
        createdAt,
        source: productionSource({ modelName, modelVersion, from: rows.first, to: rows.last, requests: rows.requests, labelled: rows.labelled }),
        split,
        // Continuous training follows lineage (pipelines whose source is a lineage run on its newest version), so the
        // traffic joins the lineage of the data its model trained on; its rows stay raw rows (startsOwnRows).
        parents: [parentId],
        format,
      });
      return { ok: true, ...stored, notes: trafficNotes(rows, new Map(request.schema.map((c) => [c.name, c.type]))) };
    },
  };
}
