// The sweep part of `npm run bench` (BENCH_ONLY=sweep): the same four small MLP runs trained back to back in one
// training worker, then by two and three workers at once, per CPU backend (wasm, cpu), in the bench page. Prints the
// wall times and their ratio to one worker; repeated (BENCH_SWEEP_REPEATS, default 2) because other work on the
// machine moves these figures, with the load average beside each.

import { readdir, readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';

// Sized so one run takes roughly 5-10 s on this kind of machine (wasm trains ~3x faster than cpu, so fewer rows on cpu).
const SIZES = {
  wasm: { rows: 8_000, epochs: 12 },
  cpu: { rows: 3_000, epochs: 10 },
};
const RUNS = 4;
const WORKERS = [1, 2, 3];
const TIMEOUT_MS = 300_000;

const TICKS_PER_SECOND = 100;

/**
 * CPU seconds used so far by every process below this one (the browser and its renderer, where the workers run), from
 * /proc; null off Linux. Beside the wall time it tells load apart from cost: when two workers need the same CPU
 * seconds per run as one but the wall time does not drop, the cores were busy with other work, not with ours.
 */
async function childCpuSeconds() {
  try {
    const stats = [];
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const text = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
      if (text === null) continue;
      // Fields after the command name, which may hold spaces: state ppid ... utime(14) stime(15).
      const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.push({ pid: Number(entry), ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) });
    }
    const below = new Set([process.pid]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const s of stats) {
        if (below.has(s.pid) || !below.has(s.ppid)) continue;
        below.add(s.pid);
        grew = true;
      }
    }
    return stats.filter((s) => s.pid !== process.pid && below.has(s.pid)).reduce((sum, s) => sum + s.ticks, 0) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

export async function runSweepBench(browser, url, backends) {
  const repeats = Math.max(1, Number(process.env.BENCH_SWEEP_REPEATS ?? 2));
  const results = [];
  for (let repeat = 1; repeat <= repeats; repeat++) {
    for (const backend of backends.filter((b) => b in SIZES)) {
      // Every other repeat in reverse order, so load that rises or falls during the bench favours no worker count.
      for (const workers of repeat % 2 === 1 ? WORKERS : [...WORKERS].reverse()) {
        const { rows, epochs } = SIZES[backend];
        process.stdout.write(`Sweep bench ${repeat}/${repeats}: ${RUNS} runs on ${workers} ${backend} worker(s)...\n`);
        // A fresh page each time, so one measurement's leftover workers cannot slow the next.
        const page = await browser.newPage();
        const loadBefore = loadavg()[0];
        try {
          await page.goto(url, { waitUntil: 'load' });
          await page.waitForFunction(() => typeof window.runSweepBench === 'function', null, { timeout: 30_000 });
          const cpuBefore = await childCpuSeconds();
          const result = await page.evaluate((r) => window.runSweepBench(r), { backend, runs: RUNS, workers, rows, epochs, timeoutMs: TIMEOUT_MS });
          const cpuAfter = await childCpuSeconds();
          const cpuSeconds = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
          results.push({ ...result, cpuSeconds, repeat, loadAverage: Math.max(loadBefore, loadavg()[0]) });
        } catch (error) {
          const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
          results.push({ backend, runs: RUNS, workers, rows, epochs, wallMs: null, runMs: [], error: reason, cpuSeconds: null, repeat, loadAverage: loadavg()[0] });
        } finally {
          await page.close();
        }
      }
    }
  }
  return results;
}

export function formatSweepTable(results, alignedTable) {
  const header = ['repeat', 'backend', 'rows x epochs', 'workers', 'wall s', 'runs s', 'vs 1 worker', 'cpu s', 'cores used', 'load avg'];
  const rows = results.map((r) => {
    const lead = [String(r.repeat), r.backend, `${r.rows} x ${r.epochs}`, String(r.workers)];
    if (r.error !== null) return [...lead, `failed: ${r.error}`];
    const one = results.find((o) => o.repeat === r.repeat && o.backend === r.backend && o.workers === 1 && o.error === null);
    const ratio = one && one.wallMs ? (r.wallMs / one.wallMs).toFixed(2) : '-';
    const cpu = r.cpuSeconds === null ? '-' : r.cpuSeconds.toFixed(1);
    const cores = r.cpuSeconds === null ? '-' : (r.cpuSeconds / (r.wallMs / 1000)).toFixed(2);
    return [...lead, (r.wallMs / 1000).toFixed(1), r.runMs.map((m) => (m / 1000).toFixed(1)).join(' '), ratio, cpu, cores, r.loadAverage.toFixed(1)];
  });
  return `${alignedTable(header, rows)}\n\n"vs 1 worker" = wall time / the same repeat's one-worker wall time (below 1 = faster); "cpu s" = CPU time of the browser's processes meanwhile, "cores used" = cpu s / wall s. ${RUNS} runs, MLP 2x32, batch 64.`;
}
