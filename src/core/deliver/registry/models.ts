// Registered models: created per project with a name unique inside that project (two projects may both have
// "churn"), and edited for description and tags. Names compare without case, so "Churn" cannot shadow "churn".

import { descriptionProblems, modelNameProblems, tagProblems } from './names';
import { accept, refuse, refuseProblems } from './result';
import type { RegistryModel, RegistryResult } from './types';

export interface NewModel {
  projectId: string;
  name: string;
  description?: string;
  tags?: Record<string, string>;
}

export const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The model of that name in that project, or null. */
export function findModel(models: readonly RegistryModel[], projectId: string, name: string): RegistryModel | null {
  return models.find((m) => m.projectId === projectId && sameName(m.name, name)) ?? null;
}

/** A new, empty registered model; refused on a bad name, description or tags, or a name the project already uses. */
export function createModel(models: readonly RegistryModel[], input: NewModel, at: number): RegistryResult<RegistryModel> {
  const description = input.description ?? '';
  const tags = input.tags ?? {};
  const bad = refuseProblems<RegistryModel>([
    ...modelNameProblems(input.name),
    ...descriptionProblems(description),
    ...tagProblems(tags),
  ]);
  if (bad) return bad;
  const taken = findModel(models, input.projectId, input.name);
  if (taken) {
    return refuse(`this project already has a model named "${taken.name}"`, [
      { path: 'name', message: `"${input.name}" is taken in this project by "${taken.name}"` },
    ]);
  }
  return accept({
    projectId: input.projectId,
    name: input.name,
    description,
    tags: { ...tags },
    createdAt: at,
    versions: [],
    aliases: {},
    audit: [],
  });
}

export function describeModel(model: RegistryModel, description: string): RegistryResult<RegistryModel> {
  return refuseProblems<RegistryModel>(descriptionProblems(description)) ?? accept({ ...model, description });
}

/** Sets (or, with null, removes) one tag. */
export function tagModel(model: RegistryModel, key: string, value: string | null): RegistryResult<RegistryModel> {
  const tags = { ...model.tags };
  if (value === null) {
    if (!(key in tags)) return refuse(`the model has no tag "${key}"`);
    delete tags[key];
    return accept({ ...model, tags });
  }
  tags[key] = value;
  return refuseProblems<RegistryModel>(tagProblems({ [key]: value })) ?? accept({ ...model, tags });
}
