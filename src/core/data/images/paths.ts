// Which files of a folder or archive are images to import, and under which label: the label is the
// name of the folder the file sits in ("shapes/circle/1.png" -> "circle").

/** Files an operating system or archiver adds on its own; skipped without a warning. */
export function isSystemFile(path: string): boolean {
  const parts = path.split('/');
  const name = parts[parts.length - 1];
  return parts.includes('__MACOSX') || name.startsWith('.') || name === 'Thumbs.db' || name === 'desktop.ini';
}

export function isZipName(path: string): boolean {
  return /\.(zip|jar|apk|docx|xlsx|odt|epub)$/i.test(path);
}

/** The folder a file sits in, as its label; null for a file at the top of an archive. */
export function labelFromPath(path: string): string | null {
  const parts = path.split('/').filter((p) => p !== '');
  return parts.length >= 2 ? parts[parts.length - 2].trim() || null : null;
}

/**
 * Why an archive entry's path is unsafe, or null: a path that climbs out (`..`) or starts at a root
 * (`/`, `\`, `C:`) would be a path-traversal attack if anything ever wrote it to disk, and means the
 * archive was made to trick an unpacker.
 */
export function unsafePath(path: string): string | null {
  if (path.includes('\0')) return 'its name contains a NUL byte';
  const normalised = path.replace(/\\/g, '/');
  if (normalised.startsWith('/') || /^[a-zA-Z]:/.test(normalised)) return 'it has an absolute path';
  if (normalised.split('/').includes('..')) return 'its path climbs out of the archive with ".."';
  return null;
}

/** A user-given class label: trimmed, not empty, not absurdly long. */
export function checkLabel(label: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = label.trim();
  if (value === '') return { ok: false, message: 'Give the class label for these images.' };
  if (value.length > 100) return { ok: false, message: 'A class label is at most 100 characters.' };
  return { ok: true, value };
}
