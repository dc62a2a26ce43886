import { requestPersistence, storageStatus } from '../../platform/storage';
import { storageFailureText } from '../../core/shared/storage-room';
import { registerServiceWorker } from '../../platform/pwa';
import { messageOf } from './services';

/** Storage usage and persistence, the service worker's update prompt, and app-wide errors. */
export class SystemState {
  usage = $state<number | null>(null);
  quota = $state<number | null>(null);
  persisted = $state<boolean | null>(null);
  updateReady = $state(false);
  offlineReady = $state(false);
  /** A problem not tied to one screen, e.g. storage full. */
  notice = $state<string | null>(null);
  #applyUpdate: (() => Promise<void>) | null = null;

  async start(): Promise<void> {
    registerServiceWorker({
      onUpdateAvailable: (apply) => {
        this.#applyUpdate = apply;
        this.updateReady = true;
      },
      onOfflineReady: () => (this.offlineReady = true),
      onError: (message) => (this.notice = message),
    });
    await this.refreshStorage();
    if (this.persisted === false) {
      this.persisted = await requestPersistence();
      await this.refreshStorage();
    }
  }

  async refreshStorage(): Promise<void> {
    const status = await storageStatus();
    this.usage = status.usage;
    this.quota = status.quota;
    this.persisted = status.persisted;
  }

  async applyUpdate(): Promise<void> {
    await this.#applyUpdate?.();
  }

  dismissUpdate(): void {
    this.updateReady = false;
  }

  /** Turns a failed write into a message the user can act on (the same words as every write path's). */
  reportStorageError(error: unknown): string {
    const message = storageFailureText(error, null, { usage: this.usage, quota: this.quota }) ?? `Saving failed: ${messageOf(error)}`;
    this.notice = message;
    return message;
  }
}
