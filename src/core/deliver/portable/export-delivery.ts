// Builds the delivery file of a project: its pipelines as they are stored, every test flattened with the stage that
// runs it, and every registered model's audit log merged in time order. Plain data, ready for JSON.stringify.

import { STAGE_OF_KIND } from '../gates/stage-tests';
import type { PipelineDefinition } from '../pipeline/types';
import type { RegistryModel } from '../registry/types';
import { DELIVERY_FORMAT, DELIVERY_VERSION, type DeliveryAuditRow, type DeliveryFile, type DeliveryTestRow } from './delivery-file';

export interface DeliveryExport {
  project: { id: string; name: string };
  pipelines: readonly PipelineDefinition[];
  models: readonly RegistryModel[];
  /** Epoch milliseconds. */
  exportedAt: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

function testRows(pipelines: readonly PipelineDefinition[]): DeliveryTestRow[] {
  return pipelines.flatMap((p) =>
    p.tests.map((test, index) => ({ pipeline: p.name, index, kind: test.kind, stage: STAGE_OF_KIND[test.kind], test: structuredClone(test) })),
  );
}

function auditRows(models: readonly RegistryModel[]): DeliveryAuditRow[] {
  const rows = models.flatMap((m) => m.audit.map((entry, order) => ({ model: m.name, order, entry })));
  // Oldest first across models; within one model the log's own order breaks ties (it is append-only).
  rows.sort((a, b) => a.entry.at - b.entry.at || a.model.localeCompare(b.model) || a.order - b.order);
  return rows.map(({ model, entry }) => ({ model, ...entry, at: iso(entry.at) }) as DeliveryAuditRow);
}

export function exportDelivery(input: DeliveryExport): DeliveryFile {
  const pipelines = [...input.pipelines].sort((a, b) => a.name.localeCompare(b.name)).map((p) => structuredClone(p));
  return {
    format: DELIVERY_FORMAT,
    version: DELIVERY_VERSION,
    exportedAt: iso(input.exportedAt),
    project: { id: input.project.id, name: input.project.name },
    pipelines,
    tests: testRows(pipelines),
    auditLog: auditRows(input.models),
  };
}
