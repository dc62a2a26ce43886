import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * Any Content-Security-Policy violation in a page of `context` lands in `errors`: the built app ships a strict policy
 * (scripts/csp.mjs) and every test that checks `errors` then fails on a violation. The page reports each one itself
 * (securitypolicyviolation) as well as Chromium's own "Refused to …" console line.
 */
export async function watchPolicy(context: BrowserContext, errors: string[]): Promise<void> {
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  context.on('console', (msg) => {
    if (msg.type() === 'error' && /CSP violation|Content Security Policy/.test(msg.text())) errors.push(msg.text());
  });
}

/**
 * Throws unless `context` has no network: a navigation to `url`'s server, under another origin so no service worker
 * answers it, must fail as disconnected. (navigator.onLine is no witness: Chromium 150 reports true in a document
 * loaded after the context went offline, though every request of it fails.)
 */
export async function expectNoNetwork(context: BrowserContext, url: string): Promise<void> {
  const elsewhere = new URL(url);
  elsewhere.hostname = elsewhere.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
  const probe = await context.newPage();
  try {
    const failure = await probe.goto(elsewhere.href).then(
      () => 'it loaded',
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    if (!failure.includes('ERR_INTERNET_DISCONNECTED')) throw new Error(`The context is not offline: ${elsewhere.href} → ${failure}`);
  } finally {
    await probe.close();
  }
}

/** A fresh profile per test: empty IndexedDB, no service worker. Page errors and policy violations fail loudly. */
export async function openApp(browser: Browser, baseUrl: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ acceptDownloads: true });
  const errors: string[] = [];
  await watchPolicy(context, errors);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(baseUrl);
  await page.getByRole('tab', { name: /Define/ }).waitFor({ timeout: 60_000 });
  return { context, page, errors };
}

export async function goToStage(page: Page, name: 'Define' | 'Data' | 'Train' | 'Evaluate' | 'Deliver' | 'Monitor') {
  await page.getByRole('tab', { name, exact: true }).click();
  // A stage's screen is fetched on its first visit: wait until it has replaced the busy placeholder.
  await page.locator(`#stage-panel[aria-labelledby="tab-${name.toLowerCase()}"]`).waitFor();
  await page.locator('#stage-panel [aria-busy="true"]').waitFor({ state: 'detached' });
}

/** Trains with the settings already on the form and waits for the run to end. */
export async function trainAndWait(page: Page, timeout = 180_000): Promise<void> {
  await goToStage(page, 'Train');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByRole('heading', { name: /^Last run: / }).waitFor({ timeout });
}

/** The parameter count the Train screen shows for the current model settings (waits until it is computed). */
export async function shownParameterCount(page: Page): Promise<number> {
  const count = page.getByTestId('parameter-count');
  await count.waitFor({ timeout: 60_000 });
  return Number((await count.textContent())?.replace(/,/g, ''));
}

/** Chooses the model family on the Train screen: 'Linear / logistic', 'MLP' or 'CNN'. */
export async function chooseFamily(page: Page, family: 'Linear / logistic' | 'MLP' | 'CNN'): Promise<void> {
  await page.getByRole('combobox', { name: 'Model family' }).selectOption({ label: family });
}

/** Every record of one object store, read straight from the app's IndexedDB: figures on screen are checked against it. */
export function readStore<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('loopbench');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction(name, 'readonly').objectStore(name).getAll();
          all.onsuccess = () => {
            db.close();
            resolve(all.result as T[]);
          };
          all.onerror = () => reject(all.error);
        };
      }),
    store,
  );
}

/** The first cell of the row of a metrics table (by its accessible name) whose header starts with `row`. */
export async function metricCell(page: Page, table: string, row: string | RegExp): Promise<string> {
  const name = typeof row === 'string' ? new RegExp(`^${row.replace(/[()²]/g, '\\$&')}`) : row;
  return (await page.getByRole('table', { name: table }).getByRole('row', { name }).getByRole('cell').first().textContent()) ?? '';
}
