// Saving a file the app makes as a stream: straight to disk through the File System Access API where the browser has
// it (the user picks the place), else pieces gathered into a Blob (the browser keeps a Blob's bytes, and may keep a
// large one on disk) that is then downloaded.

import { downloadBlob } from './download';

/** The parts of the File System Access API used here (not in TypeScript's DOM library for every browser). */
interface SavePickerWindow {
  showSaveFilePicker?: (options: {
    suggestedName: string;
    types?: { description: string; accept: Record<string, string[]> }[];
  }) => Promise<{ name: string; createWritable(): Promise<{ write(data: Uint8Array<ArrayBuffer>): Promise<void>; close(): Promise<void>; abort(): Promise<void> }> }>;
}

export interface SaveTarget {
  /** The name the file is saved under. */
  readonly name: string;
  write(piece: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

/** Pieces are folded into one Blob every this many bytes, so the page does not hold them as arrays. */
const FOLD_BYTES = 32 * 1024 * 1024;

/** Whether the browser can write a file where the user picks (then `saveTarget` asks where). */
export function canPickSaveLocation(): boolean {
  return typeof (globalThis as SavePickerWindow).showSaveFilePicker === 'function';
}

/**
 * Where a streamed file goes. Rejects with an AbortError when the user closes the picker.
 * `pick` false skips the picker even where there is one.
 */
export async function saveTarget(suggestedName: string, mimeType: string, extension: string, pick = canPickSaveLocation()): Promise<SaveTarget> {
  const picker = (globalThis as SavePickerWindow).showSaveFilePicker;
  if (pick && picker) {
    const handle = await picker({ suggestedName, types: [{ description: 'Loopbench backup', accept: { [mimeType]: [extension] } }] });
    const writable = await handle.createWritable();
    return {
      name: handle.name,
      write: (piece) => writable.write(piece as Uint8Array<ArrayBuffer>),
      close: () => writable.close(),
      abort: () => writable.abort(),
    };
  }
  let blob = new Blob([], { type: mimeType });
  let pending: Uint8Array<ArrayBuffer>[] = [];
  let pendingBytes = 0;
  const fold = (): void => {
    blob = new Blob([blob, ...pending], { type: mimeType });
    pending = [];
    pendingBytes = 0;
  };
  return {
    name: suggestedName,
    async write(piece) {
      pending.push(piece as Uint8Array<ArrayBuffer>);
      pendingBytes += piece.byteLength;
      if (pendingBytes >= FOLD_BYTES) fold();
    },
    async close() {
      fold();
      downloadBlob(suggestedName, blob);
    },
    async abort() {
      pending = [];
      blob = new Blob([]);
    },
  };
}
