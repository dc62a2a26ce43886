// Aliases as deployments: each points at one version, and every move is appended to the audit log with when, from,
// to, why and the evidence. Rollback reads that log rather than a separate "previous" field, so what it restores is
// exactly what the log shows, and it is audited like any other move.

import { aliasProblems } from './names';
import { accept, refuse, refuseProblems } from './result';
import type { RegistryAuditEntry, RegistryModel, RegistryResult } from './types';
import { findVersion } from './versions';

export interface AliasMove {
  alias: string;
  /** The version to point at; null removes the alias. */
  to: number | null;
  /** Required: an audit log without reasons cannot explain a deployment. */
  why: string;
  evidenceId?: string | null;
}

type MoveEntry = Extract<RegistryAuditEntry, { kind: 'alias' | 'rollback' }>;

/** The version the alias points at, or null. */
export function aliasTarget(model: RegistryModel, alias: string): number | null {
  return Object.hasOwn(model.aliases, alias) ? (model.aliases[alias] as number) : null;
}

/** Aliases pointing at `version`, sorted, for showing beside it. */
export function aliasesOf(model: RegistryModel, version: number): string[] {
  return Object.keys(model.aliases).filter((a) => model.aliases[a] === version).sort();
}

function withAlias(model: RegistryModel, alias: string, to: number | null, entry: MoveEntry): RegistryModel {
  const aliases = { ...model.aliases };
  if (to === null) delete aliases[alias];
  else aliases[alias] = to;
  return { ...model, aliases, audit: [...model.audit, entry] };
}

/** Sets, moves or removes an alias. Refused when nothing would change, so the log holds only real moves. */
export function moveAlias(model: RegistryModel, move: AliasMove, at: number): RegistryResult<RegistryModel> {
  const bad = refuseProblems<RegistryModel>(aliasProblems(move.alias));
  if (bad) return bad;
  if (move.why.trim() === '') return refuse('say why the alias moves', [{ path: 'why', message: 'the reason is empty' }]);
  const from = aliasTarget(model, move.alias);
  if (move.to !== null && !findVersion(model, move.to)) return refuse(`"${model.name}" has no version ${move.to}`);
  if (move.to === null && from === null) return refuse(`"${move.alias}" points at no version`);
  if (move.to === from) return refuse(`"${move.alias}" already points at version ${from}`);
  const entry: MoveEntry = { kind: 'alias', at, alias: move.alias, from, to: move.to, why: move.why, evidenceId: move.evidenceId ?? null };
  return accept(withAlias(model, move.alias, move.to, entry));
}

/** The alias's last move (a move or a rollback) in the audit log, or null when it never moved. */
export function lastMove(model: RegistryModel, alias: string): MoveEntry | null {
  for (let i = model.audit.length - 1; i >= 0; i--) {
    const e = model.audit[i] as RegistryAuditEntry;
    if ((e.kind === 'alias' || e.kind === 'rollback') && e.alias === alias) return e;
  }
  return null;
}

/** Where a rollback would take the alias: the version it held before its last move, or why there is none. */
export function rollbackTarget(model: RegistryModel, alias: string): { ok: true; version: number } | { ok: false; reason: string } {
  const last = lastMove(model, alias);
  if (!last) return { ok: false, reason: `"${alias}" has never moved, so there is nothing to roll back to` };
  if (last.from === null) return { ok: false, reason: `"${alias}" pointed at no version before it was set to version ${last.to}` };
  if (!findVersion(model, last.from)) return { ok: false, reason: `version ${last.from}, which "${alias}" held before, is no longer registered` };
  return { ok: true, version: last.from };
}

/**
 * Moves the alias back to the version it held before its last move, in one action, and audits it. Rolling back a
 * rollback goes forward again, as "the version before the last move" says.
 */
export function rollbackAlias(model: RegistryModel, alias: string, why: string, at: number, evidenceId: string | null = null): RegistryResult<RegistryModel> {
  if (why.trim() === '') return refuse('say why the alias is rolled back', [{ path: 'why', message: 'the reason is empty' }]);
  const target = rollbackTarget(model, alias);
  if (!target.ok) return refuse(target.reason);
  const from = aliasTarget(model, alias);
  return accept(withAlias(model, alias, target.version, { kind: 'rollback', at, alias, from, to: target.version, why, evidenceId }));
}

/** Appends a gate's decision on a version to the audit log; nothing else changes (the gate does not move aliases). */
export function recordGate(
  model: RegistryModel,
  decision: { version: number; passed: boolean; why: string; evidenceId: string | null },
  at: number,
): RegistryResult<RegistryModel> {
  if (!findVersion(model, decision.version)) return refuse(`"${model.name}" has no version ${decision.version}`);
  return accept({ ...model, audit: [...model.audit, { kind: 'gate', at, ...decision }] });
}
