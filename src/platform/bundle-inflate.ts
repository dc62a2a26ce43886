// Inflates one zip entry of an imported bundle with a hard cap: the input is fed to the streaming inflater in small
// slices and dropped as soon as the output passes the cap, so a zip bomb costs at most a slice's worth of expansion
// (about 1,000 times 4 KiB) beyond the cap, never its full size.

import { Inflate } from 'fflate';
import type { CappedInflate } from '../core/deliver/import';

const SLICE = 4096;

export const cappedInflate: CappedInflate = (compressed, cap) => {
  const parts: Uint8Array[] = [];
  let total = 0;
  let over = false;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > cap) over = true;
    else parts.push(chunk);
  });
  for (let at = 0; at < compressed.length && !over; at += SLICE) {
    inflater.push(compressed.subarray(at, at + SLICE), at + SLICE >= compressed.length);
  }
  if (compressed.length === 0) inflater.push(new Uint8Array(0), true);
  if (over) return null;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};
