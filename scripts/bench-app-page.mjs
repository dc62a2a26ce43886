// Page helpers shared by the benches that drive the built app (bench-pipeline.mjs, bench-monitor.mjs), as the e2e
// tests' test/e2e/browser.ts does for the suite (that file is TypeScript and imports the test runner, so plain copies
// of its two helpers live here for the bench scripts).

/** Every record of one object store of the app's database, read in the page. */
export function readStore(page, store) {
  return page.evaluate(
    (name) =>
      new Promise((done, fail) => {
        const open = indexedDB.open('loopbench');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction(name, 'readonly').objectStore(name).getAll();
          all.onsuccess = () => {
            db.close();
            done(all.result);
          };
          all.onerror = () => fail(all.error);
        };
      }),
    store,
  );
}

export async function goToStage(page, name) {
  await page.getByRole('tab', { name, exact: true }).click();
  // A stage's screen is fetched on its first visit: wait until it has replaced the busy placeholder.
  await page.locator(`#stage-panel[aria-labelledby="tab-${name.toLowerCase()}"]`).waitFor();
  await page.locator('#stage-panel [aria-busy="true"]').waitFor({ state: 'detached' });
}
