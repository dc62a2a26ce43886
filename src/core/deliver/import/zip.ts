// The bundle's use of the shared reader of untrusted zips (src/core/shared/zip): its limits, its name in the wording,
// and its refusal class, so a zip fault reads like every other reason a bundle is refused.

import {
  inflateEntries as inflateZipEntries,
  readDirectory as readZipDirectory,
  ZipRefusal,
  type CappedInflate,
  type ZipEntry,
  type ZipLimits,
} from '../../shared/zip';
import { LIMITS } from './limits';
import { BundleRefusal } from './refusal';

function asBundleRefusal<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof ZipRefusal) throw new BundleRefusal(e.message);
    throw e;
  }
}

/** The entries the bundle's central directory lists, judged against `limits` before a byte is inflated. */
export function readDirectory(bytes: Uint8Array, limits: ZipLimits = LIMITS): ZipEntry[] {
  return asBundleRefusal(() => readZipDirectory(bytes, limits, 'bundle'));
}

/** The entries named in `wanted`, inflated with a cap at their declared sizes and checked against their CRC-32. */
export function inflateEntries(bytes: Uint8Array, entries: readonly ZipEntry[], wanted: (name: string) => boolean, inflate: CappedInflate): Map<string, Uint8Array> {
  return asBundleRefusal(() => inflateZipEntries(bytes, entries, wanted, inflate));
}
