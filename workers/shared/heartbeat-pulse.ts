// The nested worker of workers/shared/heartbeat.ts: beats on the port it is handed, straight to the page, every
// `everyMs`, for as long as the worker that started it is alive (the browser ends it with its parent).

// Typed by hand: this module is also type-checked with the DOM library (the unit tests import it).
const scope = self as unknown as Pick<Worker, 'postMessage' | 'addEventListener'>;

scope.addEventListener(
  'message',
  (event: MessageEvent<{ port: MessagePort; everyMs: number }>) => {
    const { port, everyMs } = event.data;
    const beat = (): void => port.postMessage({ heartbeat: true });
    beat();
    setInterval(beat, everyMs);
  },
  { once: true },
);
