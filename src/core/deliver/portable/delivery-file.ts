// The portable delivery file: a project's pipelines as JSON, with two read-only views for people and tools that
// read it without Loopbench (every test flattened with its stage, and the registry's audit log). Documented in
// docs/delivery-format.md; only `pipelines` is read back on import.

import type { Stage, StageTest } from '../gates/stage-tests';
import type { PipelineDefinition } from '../pipeline/types';
import type { RegistryAuditEntry } from '../registry/types';

export const DELIVERY_FORMAT = 'loopbench-delivery';
export const DELIVERY_VERSION = 1;

export interface DeliveryTestRow {
  /** The pipeline's name (unique within its project). */
  pipeline: string;
  /** Position in that pipeline's `tests`. */
  index: number;
  kind: StageTest['kind'];
  stage: Stage;
  test: StageTest;
}

/** An audit entry of one model with its time as an ISO 8601 string instead of epoch milliseconds. */
export type DeliveryAuditRow = { model: string } & { [K in RegistryAuditEntry['kind']]: Omit<Extract<RegistryAuditEntry, { kind: K }>, 'at'> & { at: string } }[RegistryAuditEntry['kind']];

export interface DeliveryFile {
  format: typeof DELIVERY_FORMAT;
  version: typeof DELIVERY_VERSION;
  /** ISO 8601. */
  exportedAt: string;
  project: { id: string; name: string };
  pipelines: PipelineDefinition[];
  tests: DeliveryTestRow[];
  /** Every model's audit log merged, oldest first. */
  auditLog: DeliveryAuditRow[];
}
