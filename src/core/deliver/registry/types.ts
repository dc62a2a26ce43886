// The registry's records, modelled on MLflow's model registry but scoped to a project: a registered model holds its
// numbered versions, its aliases (alias -> one version) and the audit log that explains every alias move. Plain data,
// so storage can keep them as they are and the rules in this folder stay pure.

import type { Environment } from '../../shared/types';

/** One registered version; every link needed to trace it back to how it was made. */
export interface RegistryVersion {
  /** 1, 2, ... in order of registration, never reused. */
  version: number;
  runId: string;
  datasetVersionId: string;
  /** Hash of the recipe chain the run's data went through; null when the data came straight from an import. */
  recipeHash: string | null;
  environment: Environment | null;
  /** The evaluation that measured this version; null until one exists. */
  evaluationId: string | null;
  createdAt: number;
  /**
   * The model card as a person edited it. Absent or null: not edited, and the card is generated from the evidence
   * whenever it is shown or exported (so it follows new evidence until someone takes it over).
   */
  card?: { text: string; editedAt: number } | null;
}

export type RegistryAuditEntry =
  | { kind: 'register'; at: number; version: number }
  /** An alias set, moved or removed: `from` null means it did not exist, `to` null means it was removed. */
  | { kind: 'alias'; at: number; alias: string; from: number | null; to: number | null; why: string; evidenceId: string | null }
  /** A move back to where the alias was before its last move; audited like a move, so a rollback can itself be undone. */
  | { kind: 'rollback'; at: number; alias: string; from: number | null; to: number; why: string; evidenceId: string | null }
  /** A promotion gate's decision on a version (the gates themselves are defined in ../gates). */
  | { kind: 'gate'; at: number; version: number; passed: boolean; why: string; evidenceId: string | null };

export interface RegistryModel {
  projectId: string;
  /** Unique within its project (ignoring case), not across projects. */
  name: string;
  description: string;
  tags: Record<string, string>;
  createdAt: number;
  versions: RegistryVersion[];
  /** alias -> version number. */
  aliases: Record<string, number>;
  /** Oldest first; only ever appended to. */
  audit: RegistryAuditEntry[];
}

/** A name or field that broke a rule, located so a form can show it next to its control. */
export interface RegistryProblem {
  path: string;
  message: string;
}

/** A rule's answer: the new record, or why the action was refused (nothing changes then). */
export type RegistryResult<T> = { ok: true; value: T } | { ok: false; reason: string; problems: RegistryProblem[] };
