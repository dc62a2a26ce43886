// A sign of life for the page, imported first by every worker entry. The page's WorkerHandle counts any message
// as life and declares a worker dead after a long silence while a call is pending (src/platform/worker-handle.ts).
//
// A worker's own timers cannot fire while it runs one long synchronous step: a CNN batch on the cpu backend took
// 17-31 s here (batch 32-64, loaded machine) and a WebGL shader compile several seconds. So the beat comes from a
// tiny nested worker instead, straight to the page over a MessageChannel: it keeps beating however busy this worker
// is, and stops when this worker ends (the browser closes a nested worker with its parent: self.close(), a crash,
// terminate()). This worker beats too, in case nested workers are unavailable. Beats carry no `id`, so comlink's
// listener on the page ignores them.

const HEARTBEAT_EVERY_MS = 1000;

// Typed by hand: this module is also type-checked with the DOM library (the unit tests import it).
const scope = self as unknown as Pick<Worker, 'postMessage' | 'addEventListener'>;
const beat = (): void => scope.postMessage({ heartbeat: true });
beat();
setInterval(beat, HEARTBEAT_EVERY_MS);

try {
  const pulse = new Worker(new URL('./heartbeat-pulse.ts', import.meta.url), { type: 'module', name: 'heartbeat' });
  const { port1, port2 } = new MessageChannel();
  pulse.postMessage({ port: port2, everyMs: HEARTBEAT_EVERY_MS }, [port2]);
  scope.postMessage({ heartbeat: true, port: port1 }, [port1]);
} catch {
  // No nested workers here: the beats above are all the page gets.
}
