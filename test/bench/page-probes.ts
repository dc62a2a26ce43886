// What the import bench watches on the page while an import runs: the page's JS heap and its long tasks.

/** `performance.memory` is Chromium-only and non-standard; the bench runs Chromium with precise values on. */
interface ChromiumMemory {
  usedJSHeapSize: number;
}

function usedHeap(): number | null {
  const memory = (performance as Performance & { memory?: ChromiumMemory }).memory;
  return memory ? memory.usedJSHeapSize : null;
}

export interface ProbeReport {
  peakHeapBytes: number | null;
  longestTaskMs: number;
  longTaskCount: number;
}

export interface PageProbes {
  stop(): Promise<ProbeReport>;
}

export function startProbes(): PageProbes {
  // Without this entry type the bench would report "no long tasks" while measuring nothing.
  if (!PerformanceObserver.supportedEntryTypes.includes('longtask')) throw new Error('this browser does not report long tasks');
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });
  let peak = usedHeap();
  const sample = (): void => {
    const now = usedHeap();
    if (now !== null && (peak === null || now > peak)) peak = now;
  };
  const timer = setInterval(sample, 100);
  return {
    async stop() {
      sample();
      clearInterval(timer);
      // Long tasks are reported after they end: give the last one a moment to arrive.
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (const entry of observer.takeRecords()) longTasks.push(entry.duration);
      observer.disconnect();
      return {
        peakHeapBytes: peak,
        longestTaskMs: longTasks.length === 0 ? 0 : Math.max(...longTasks),
        longTaskCount: longTasks.length,
      };
    },
  };
}
