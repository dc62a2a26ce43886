// The JavaScript a visitor downloads before the first screen can show: index.html's module entry and the chunks it
// preloads (Vite lists every static import of the entry as a modulepreload link). Screens and heavy libraries behind
// dynamic import() are not part of it. `npm run build` prints this figure and an e2e test holds it under the limit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const FIRST_SCREEN_LIMIT_KB = 100;

/**
 * @param {string} distDir the build output folder (holds index.html)
 * @returns {{ files: { file: string, bytes: number, gzip: number }[], bytes: number, gzip: number }}
 */
export function firstScreenSize(distDir) {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const tags = [...html.matchAll(/<(script|link)\b[^>]*>/g)].map((m) => m[0]);
  /** @param {string} tag @param {string} name */
  const attribute = (tag, name) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  const urls = tags.flatMap((tag) => {
    if (tag.startsWith('<script') && attribute(tag, 'type') === 'module') return [attribute(tag, 'src')];
    if (tag.startsWith('<link') && attribute(tag, 'rel') === 'modulepreload') return [attribute(tag, 'href')];
    return [];
  });
  const paths = [...new Set(urls.filter((u) => u !== undefined).map((u) => u.replace(/^\.?\//, '')))];
  if (paths.length === 0) throw new Error(`${distDir}/index.html has no module script`);
  const files = paths.map((file) => {
    const code = readFileSync(join(distDir, file));
    return { file, bytes: code.length, gzip: gzipSync(code, { level: 9 }).length };
  });
  return {
    files,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    gzip: files.reduce((sum, f) => sum + f.gzip, 0),
  };
}

/** @param {number} bytes */
export const kilobytes = (bytes) => Math.round((bytes / 1024) * 10) / 10;
