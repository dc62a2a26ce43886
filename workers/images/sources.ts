// Turns the import's inputs into a flat list of candidate files, each with its label and a way to read
// its bytes. Zip archives are checked as a whole first (listZip): a hostile archive refuses the import.

import { IMAGE_LIMITS, formatMiB } from '../../src/core/data/images/limits';
import { isSystemFile, labelFromPath } from '../../src/core/data/images/paths';
import { entryData, listZip } from '../../src/core/data/images/zip';
import type { ImageInput, SkippedImage } from '../../src/core/contracts/images';
import { inflateEntry } from './inflate';

export interface Candidate {
  /** Shown in warnings: the path in the folder or archive. */
  name: string;
  label: string;
  /** Bytes of the file, or why they could not be had (a refusal of the whole import when `fatal`). */
  read: () => Promise<{ ok: true; bytes: Uint8Array } | { ok: false; reason: string; fatal: boolean }>;
}

export type Sources = { ok: true; candidates: Candidate[]; skipped: SkippedImage[] } | { ok: false; message: string; skipped: SkippedImage[] };

export async function collectSources(inputs: ImageInput[]): Promise<Sources> {
  const candidates: Candidate[] = [];
  const skipped: SkippedImage[] = [];
  for (const input of inputs) {
    if (input.kind === 'files') {
      for (const { file, path, label } of input.files) {
        if (isSystemFile(path)) continue;
        candidates.push({ name: path, label, read: () => readBlob(file) });
      }
    } else {
      const zip = await zipCandidates(input.file, input.name, skipped);
      if (!zip.ok) return { ok: false, message: zip.message, skipped };
      candidates.push(...zip.candidates);
    }
    if (candidates.length > IMAGE_LIMITS.maxFiles) {
      return { ok: false, message: `The import holds more than ${IMAGE_LIMITS.maxFiles} files; import fewer at a time.`, skipped };
    }
  }
  return { ok: true, candidates, skipped };
}

async function readBlob(file: Blob): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; reason: string; fatal: boolean }> {
  if (file.size > IMAGE_LIMITS.maxFileBytes) {
    return { ok: false, reason: `it is ${formatMiB(file.size)}, over the limit of ${formatMiB(IMAGE_LIMITS.maxFileBytes)} per image`, fatal: false };
  }
  try {
    return { ok: true, bytes: new Uint8Array(await file.arrayBuffer()) };
  } catch (e) {
    return { ok: false, reason: `it could not be read (${e instanceof Error ? e.message : String(e)})`, fatal: false };
  }
}

async function zipCandidates(
  file: Blob,
  zipName: string,
  skipped: SkippedImage[],
): Promise<{ ok: true; candidates: Candidate[] } | { ok: false; message: string }> {
  if (file.size > IMAGE_LIMITS.maxZipBytes) {
    return { ok: false, message: `"${zipName}" is ${formatMiB(file.size)}, over the limit of ${formatMiB(IMAGE_LIMITS.maxZipBytes)} per archive.` };
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const listing = listZip(bytes, zipName);
  if (!listing.ok) return listing;
  // What the whole archive may still inflate to: declared sizes were checked, actual ones are counted here.
  let budget: number = IMAGE_LIMITS.maxZipUncompressedBytes;
  const candidates: Candidate[] = [];
  for (const entry of listing.entries) {
    if (entry.directory || isSystemFile(entry.name)) continue;
    const name = `${zipName}/${entry.name}`;
    const label = labelFromPath(entry.name);
    if (label === null) {
      skipped.push({ file: name, reason: 'it is not inside a class folder (the folder name is the label)' });
      continue;
    }
    if (entry.encrypted) {
      skipped.push({ file: name, reason: 'it is encrypted' });
      continue;
    }
    candidates.push({
      name,
      label,
      read: async () => {
        if (entry.size > IMAGE_LIMITS.maxFileBytes) {
          return { ok: false, reason: `it is ${formatMiB(entry.size)} uncompressed, over the limit of ${formatMiB(IMAGE_LIMITS.maxFileBytes)} per image`, fatal: false };
        }
        const data = entryData(bytes, entry);
        if (!data) return { ok: false, reason: 'its data lies outside the archive (truncated or corrupt)', fatal: false };
        const inflated = inflateEntry(entry, data, Math.min(entry.size, budget));
        if (!inflated.ok) {
          // An entry that inflates past its declared size is a bomb: the whole archive is refused.
          if (inflated.bomb) return { ok: false, reason: `"${zipName}" was refused: entry "${entry.name}" ${inflated.reason}.`, fatal: true };
          return { ok: false, reason: inflated.reason, fatal: false };
        }
        budget -= inflated.bytes.length;
        return { ok: true, bytes: inflated.bytes };
      },
    });
  }
  return { ok: true, candidates };
}
