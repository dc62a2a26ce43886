import { registerSW } from 'virtual:pwa-register';

export interface PwaEvents {
  /** A new build is waiting; `apply` activates it and reloads. */
  onUpdateAvailable(apply: () => Promise<void>): void;
  onOfflineReady(): void;
  onError(message: string): void;
}

/** Registers the service worker with a prompt, never a silent reload of a page that may be training. */
export function registerServiceWorker(events: PwaEvents): void {
  if (!('serviceWorker' in navigator)) return;
  const update = registerSW({
    immediate: true,
    onNeedRefresh: () => events.onUpdateAvailable(() => update(true)),
    onOfflineReady: () => events.onOfflineReady(),
    onRegisterError: (error: unknown) =>
      events.onError(`Offline support is unavailable: ${error instanceof Error ? error.message : String(error)}`),
  });
}
