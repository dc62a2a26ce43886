// Peak resident memory of Chromium's renderer processes, sampled from /proc while an import runs.
// performance.memory sees only the page's own JS heap; the parse workers run in the same renderer
// process, so its resident size is the one number that includes them (and Blob and IndexedDB buffers).
// Linux only: elsewhere the sampler reports null.

import { readdir, readFile } from 'node:fs/promises';

async function processTable() {
  const entries = await readdir('/proc').catch(() => []);
  const table = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      // The command name in parentheses may hold spaces; the parent pid is the 2nd field after it.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      table.push({ pid: Number(name), ppid });
    } catch {
      // The process ended between listing and reading.
    }
  }
  return table;
}

/** Renderer processes descended from this Node process, i.e. of the browser this bench launched. */
async function rendererPids() {
  const table = await processTable();
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const { pid, ppid } of table) {
      if (mine.has(ppid) && !mine.has(pid)) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  const renderers = [];
  for (const pid of mine) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('--type=renderer')) renderers.push(pid);
  }
  return renderers;
}

async function residentBytes(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

async function totalResident() {
  const pids = await rendererPids();
  if (pids.length === 0) return null;
  return (await Promise.all(pids.map(residentBytes))).reduce((a, b) => a + b, 0);
}

/** The renderers' resident bytes now: the idle level an import's peak is compared with. */
export const rendererMemoryNow = totalResident;

/** Samples every `intervalMs` until stop(), which resolves to the highest total seen (null off Linux). */
export function sampleRendererMemory(intervalMs = 100) {
  let peak = null;
  let running = true;
  const loop = (async () => {
    let pids = [];
    for (let tick = 0; running; tick++) {
      // Walking the process tree is the costly part; a page's renderer rarely changes mid-import.
      if (tick % 10 === 0 || pids.length === 0) pids = await rendererPids();
      if (pids.length > 0) {
        const sizes = await Promise.all(pids.map(residentBytes));
        const total = sizes.reduce((a, b) => a + b, 0);
        if (peak === null || total > peak) peak = total;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak;
    },
  };
}
