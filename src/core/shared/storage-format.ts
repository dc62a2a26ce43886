// Version of the stored data layout. Bump it when records change shape, together with a migration.
export const FORMAT_VERSION = 1;

export type FormatCheck = { ok: true } | { ok: false; message: string };

/**
 * Older code must never write data a newer Loopbench created: it would silently drop fields it does
 * not know. Data without a version predates versioning and is treated as compatible.
 */
export function checkStoredFormat(stored: number | undefined): FormatCheck {
  if (stored === undefined || stored <= FORMAT_VERSION) return { ok: true };
  return {
    ok: false,
    message:
      `This data was saved by a newer version of Loopbench (data format ${stored}; this version reads up to ${FORMAT_VERSION}). ` +
      'Reload the page to update Loopbench before continuing; nothing has been changed.',
  };
}
