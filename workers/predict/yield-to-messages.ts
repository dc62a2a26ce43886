// Lets a waiting message in (a cancel, through comlink) between two batches of a long job.

/**
 * A macrotask, not a microtask: comlink delivers cancel() as a message event, which runs only between macrotasks. A
 * message rather than setTimeout(0), which browsers clamp to 4 ms once timeouts nest, as a batch loop's do (the same
 * reasoning as the training loop's yield).
 */
export function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
