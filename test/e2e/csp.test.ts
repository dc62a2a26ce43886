// The built app ships a strict Content-Security-Policy, and the suite notices a violation: an inline script injected
// into the page is blocked and reported through `errors`, which every test checks (see watchPolicy). (eval cannot be
// tried from here: code Playwright evaluates runs through the DevTools protocol, which the page's policy does not see.)
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../scripts/csp.mjs';
import { launch, openApp } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('the built app ships its policy, and an inline script is blocked and reported', async () => {
  const { context, page, errors } = await openApp(browser, inject('baseUrl'));
  const shipped = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(shipped).toBe(CONTENT_SECURITY_POLICY);
  expect(shipped).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(errors).toEqual([]);

  const ran = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true';
    document.head.append(script);
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => errors.filter((e) => /CSP violation: script-src/.test(e)).length).toBe(1);
  await context.close();
});
