// Hosted under a sub-path, as a GitHub Pages project site (/tokenscope/) or a documentation
// site's /tools/tokenscope/ host it: the same dist/ starts, inspects, and reloads offline there,
// asks the site's root for nothing, and its service worker and caches keep to its own folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { expect } from './expect.mjs';
import { serve, launch, open, paste, region, vector, offlineState } from './harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const token = vector('minted/token-bound-pod-rs256.jwt');

async function decodeToken(page) {
  await paste(page, 'Token', token);
  await expect(region(page, 'Summary').getByText(/^Bound service-account token \(pod-bound\)/)).toBeVisible();
}

/** The service worker's scope and the names of the caches, as the page sees them. */
function workerFacts(page) {
  return page.evaluate(async () => ({
    scope: (await navigator.serviceWorker.getRegistration())?.scope,
    caches: await caches.keys(),
  }));
}

test('served at /tools/tokenscope/, the app starts, inspects and reloads offline, and asks the root for nothing', async () => {
  const server = await serve(undefined, { at: '/tools/tokenscope/' });
  const { page, context, allRequests, pageErrors, csp } = await open(browser, server.url);
  try {
    assert.ok(server.url.endsWith('/tools/tokenscope/'));
    await decodeToken(page);
    await offlineState(page, 'ready');
    const { scope, caches } = await workerFacts(page);
    assert.equal(scope, server.url, 'the service worker is scoped to the app folder');
    assert.ok(caches.length > 0 && caches.every((name) => name.includes('/tools/tokenscope/')), `caches named for the folder: ${caches}`);

    await server.close();
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('main').getByRole('heading').first().waitFor();
    await decodeToken(page);

    assert.deepEqual(pageErrors, []);
    assert.deepEqual(csp, [], 'no CSP violation');
    for (const url of allRequests) assert.ok(url.startsWith(server.url), `a request left the app folder: ${url}`);
    assert.deepEqual(server.missing, [], 'nothing the page asked for was missing');
  } finally {
    await context.close();
    await server.close();
  }
});

test('two copies on one origin keep their own service workers and caches', async () => {
  const server = await serve(undefined, { at: ['/a/', '/b/'] });
  const context = await browser.newContext();
  try {
    const a = await context.newPage();
    await a.goto(`${server.origin}/a/`);
    await offlineState(a, 'ready');
    const b = await context.newPage();
    await b.goto(`${server.origin}/b/`);
    await offlineState(b, 'ready');

    const fromA = await workerFacts(a);
    const fromB = await workerFacts(b);
    assert.equal(fromA.scope, `${server.origin}/a/`);
    assert.equal(fromB.scope, `${server.origin}/b/`);
    assert.ok(fromB.caches.some((name) => name.includes(' /a/ ')), `/b/ left /a/'s cache alone: ${fromB.caches}`);
    assert.ok(fromB.caches.some((name) => name.includes(' /b/ ')), `/b/ has its own cache: ${fromB.caches}`);

    // /a/ still loads with the server gone, from its own cache.
    await server.close();
    await context.setOffline(true);
    await a.reload();
    await a.getByRole('main').getByRole('heading').first().waitFor();
    await decodeToken(a);
  } finally {
    await context.close();
    await server.close();
  }
});
