// Small checkers shared by the spec and hyperparameter validation: each reports one located problem.

import type { SpecProblem } from './types';

export type Problems = SpecProblem[];

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function checkInt(out: Problems, path: string, v: unknown, min: number, max: number): v is number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return true;
  out.push({ path, message: `${path} must be an integer from ${min} to ${max}` });
  return false;
}

/** A finite number in [min, max] (or [min, max) with `maxOpen`, (min, max] with `minOpen`). */
export function checkNumber(
  out: Problems,
  path: string,
  v: unknown,
  min: number,
  max: number,
  open: { minOpen?: boolean; maxOpen?: boolean } = {},
): v is number {
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (open.minOpen ? v > min : v >= min) &&
    (open.maxOpen ? v < max : v <= max);
  if (ok) return true;
  const range = `${open.minOpen ? 'above' : 'from'} ${min} ${open.maxOpen ? 'and below' : 'to'} ${max}`;
  out.push({ path, message: `${path} must be a number ${range}` });
  return false;
}

export function checkOneOf<T extends string>(out: Problems, path: string, v: unknown, allowed: readonly T[]): v is T {
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return true;
  out.push({ path, message: `${path} must be one of ${allowed.join(', ')}` });
  return false;
}

export function checkBoolean(out: Problems, path: string, v: unknown): v is boolean {
  if (typeof v === 'boolean') return true;
  out.push({ path, message: `${path} must be true or false` });
  return false;
}

export function checkList(out: Problems, path: string, v: unknown, min: number, max: number): v is unknown[] {
  if (Array.isArray(v) && v.length >= min && v.length <= max) return true;
  out.push({ path, message: `${path} must be a list of ${min} to ${max} ${min === 1 && max === 1 ? 'item' : 'items'}` });
  return false;
}
