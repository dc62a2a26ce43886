/** Hands a Blob to the browser as a file download. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers (a large backup takes a while to hand over).
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Hands bytes to the browser as a file download. */
export function downloadBytes(fileName: string, bytes: Uint8Array, mimeType: string): void {
  downloadBlob(fileName, new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeType }));
}

/** Hands text to the browser as a UTF-8 file download. */
export function downloadText(fileName: string, text: string, mimeType: string): void {
  downloadBytes(fileName, new TextEncoder().encode(text), `${mimeType};charset=utf-8`);
}
