// Imports an export bundle as a model version: read and check every file (src/core/deliver/import), then store the
// run, its weights, the project if it is new and the registry version in one transaction. Loaded on demand, when a
// person picks a bundle: the checks and the inflater are not part of any screen.

import { BundleRefusal, importedRecords, LIMITS, readBundle } from '../../core/deliver/import';
import { newId } from '../../core/shared/ids';
import type { Project } from '../../core/shared/types';
import { cappedInflate } from '../../platform/bundle-inflate';
import { ensureRoom, savingAs } from '../../platform/storage';
import type { StoredImport } from '../../platform/repositories/imports';
import { messageOf, type Services } from '../shared/services';

export type { StoredImport } from '../../platform/repositories/imports';

/** Why the bundle was refused (a sentence naming the file and the fault), or the error of a failed write. */
export type ImportOutcome = { ok: true; stored: StoredImport } | { ok: false; refused: boolean; message: string };

export async function importBundle(services: Services, current: Project | null, file: Blob & { name: string }, onStep: (step: string) => void = () => {}): Promise<ImportOutcome> {
  try {
    // Refused by its size before a byte is read into memory.
    if (file.size > LIMITS.fileBytes) {
      return { ok: false, refused: true, message: `${file.name} is ${file.size.toLocaleString('en')} bytes; a bundle may be at most ${LIMITS.fileBytes.toLocaleString('en')}` };
    }
    onStep(`Checking ${file.name}…`);
    const bundle = await readBundle(new Uint8Array(await file.arrayBuffer()), cappedInflate);
    onStep(`Storing ${bundle.lineage.model.name} from ${file.name}…`);
    const plan = importedRecords(bundle, { current, projects: await services.projects.list(), file: file.name, now: Date.now(), newId });
    const what = `${bundle.lineage.model.name} from ${file.name}`;
    await ensureRoom(what, bundle.weights.byteLength);
    return { ok: true, stored: await savingAs(what, () => services.imports.store(plan)) };
  } catch (e) {
    if (e instanceof BundleRefusal) return { ok: false, refused: true, message: `${file.name}: ${e.message}` };
    // A full disk or a closed database reads as what to do about it, not as a raw DOMException.
    return { ok: false, refused: false, message: messageOf(e) };
  }
}
