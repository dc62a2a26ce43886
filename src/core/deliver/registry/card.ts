// A registered version's edited model card. Editing is a takeover of the generated card, so blank text is not an
// empty card but a hand-back: the version shows the generated card again.

import { accept, refuse } from './result';
import type { RegistryModel, RegistryResult } from './types';
import { findVersion } from './versions';

/** Long enough for any card a person writes; short enough that one record stays small in storage and in a bundle. */
export const MAX_CARD_CHARS = 50_000;

/** Stores `text` as the version's card, or (null or blank text) goes back to the generated card. */
export function setCard(model: RegistryModel, version: number, text: string | null, at: number): RegistryResult<RegistryModel> {
  if (!findVersion(model, version)) return refuse(`"${model.name}" has no version ${version}`);
  const card = text === null || text.trim() === '' ? null : { text, editedAt: at };
  if (card && card.text.length > MAX_CARD_CHARS) {
    const message = `the model card has ${card.text.length.toLocaleString('en')} characters; at most ${MAX_CARD_CHARS.toLocaleString('en')} are kept`;
    return refuse(message, [{ path: 'card', message }]);
  }
  return accept({ ...model, versions: model.versions.map((v) => (v.version === version ? { ...v, card } : v)) });
}

/** The version's edited card text, or null when it shows the generated one. */
export function editedCard(model: RegistryModel, version: number): string | null {
  return findVersion(model, version)?.card?.text ?? null;
}
