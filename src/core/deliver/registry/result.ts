// Building the registry's answers, so every refusal carries a sentence for the user and, when a field is at fault,
// the located problems for the form.

import type { RegistryProblem, RegistryResult } from './types';

export const accept = <T>(value: T): RegistryResult<T> => ({ ok: true, value });

export const refuse = <T>(reason: string, problems: RegistryProblem[] = []): RegistryResult<T> => ({ ok: false, reason, problems });

/** Refuses with the first problem as the sentence, or returns null when there are none. */
export function refuseProblems<T>(problems: RegistryProblem[]): RegistryResult<T> | null {
  return problems.length === 0 ? null : refuse(problems.map((p) => p.message).join('; '), problems);
}
