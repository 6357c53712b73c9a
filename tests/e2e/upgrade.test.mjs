// The first visit is the first-visit app; Troubleshoot, Token request, Audit and Activity come
// with the full app, which the first-visit app loads when one of them is first opened
// (src/ui/upgrade.rs, static/upgrade.js). What was pasted carries over, the route and the focus
// stay, every request goes to the app's own origin, and after a first visit the full app opens
// with the network off too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from './expect.mjs';
import { serve, launch, open, paste, recordCsp, offlineState, root, region } from './harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const token = readFileSync(join(root, 'demo/bound-pod.jwt'), 'utf8').trim();
const rbac = readFileSync(join(root, 'demo/rbac.yaml'), 'utf8');
const FULL_WASM = /tokenscope-full-[0-9a-f]+_bg\.wasm$/;

/** `<html data-upgrade>`: how loading the full app went (static/upgrade.js). */
async function upgrade(page) {
  return page.evaluate(() => document.documentElement.dataset.upgrade);
}

/** Waits until loading the full app is done (or fails the test after 10 s). */
async function upgraded(page) {
  await page.waitForFunction(() => document.documentElement.dataset.upgrade === 'done', null, { timeout: 10_000 });
}

/**
 * Opens `url` in a context without a service worker, so that `page.route` sees every request
 * (the worker would answer some itself) and the test decides when the full app's wasm arrives.
 */
async function openHeld(url) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const csp = await recordCsp(context);
  const requests = [];
  const pageErrors = [];
  context.on('request', (r) => requests.push(r.url()));
  let release;
  const held = new Promise((ok) => (release = ok));
  let refuse = false;
  await context.route(FULL_WASM, async (route) => {
    if (refuse) return route.abort();
    await held;
    return route.continue();
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(url);
  await page.locator('[data-shell]').waitFor({ state: 'detached' });
  await page.getByRole('main').getByRole('heading').first().waitFor();
  return { page, context, csp, requests, pageErrors, release, refuse: (on) => (refuse = on) };
}

test('opening Troubleshoot loads the full app, which keeps the token, the RBAC and the focus', async () => {
  const server = await serve();
  const { page, context, csp, requests, pageErrors, release } = await openHeld(`${server.url}#/inspect`);
  try {
    await paste(page, 'Token', token);
    await expect(page.getByRole('region', { name: 'Summary' })).toContainText('Bound service-account token');
    await page.getByRole('link', { name: 'Access', exact: true }).click();
    await paste(page, 'Cluster RBAC', rbac);
    await expect(page.getByRole('status', { name: 'Read RBAC' })).toContainText('Read 4 roles and 4 bindings');
    await region(page, 'Can I').getByLabel('Verb', { exact: true }).fill('get');
    assert.ok(!requests.some((url) => url.includes('tokenscope-full')), 'the full app is not part of the first visit');

    await page.getByRole('link', { name: 'Troubleshoot', exact: true }).click();
    const main = page.getByRole('main');
    await expect(main.getByRole('heading', { name: 'Troubleshoot' })).toBeVisible();
    await expect(main.getByRole('status')).toHaveText('Loading the full toolkit…');
    release();
    await expect(main.getByText('Loading the full toolkit…')).toHaveCount(0);
    await upgraded(page);
    await expect(main.getByRole('heading', { name: 'Troubleshoot an error', exact: true })).toBeVisible();
    assert.match(page.url(), /#\/troubleshoot$/, 'the route stays');
    // The link clicked keeps the focus in the full app.
    await expect(page.getByRole('link', { name: 'Troubleshoot', exact: true })).toBeFocused();

    await page.getByRole('link', { name: 'Inspect', exact: true }).click();
    await expect(page.getByLabel('Token', { exact: true })).toHaveValue(token);
    await expect(page.getByRole('region', { name: 'Summary' })).toContainText('Bound service-account token');
    await page.getByRole('link', { name: 'Access', exact: true }).click();
    await expect(page.getByLabel('Cluster RBAC', { exact: true })).toHaveValue(rbac);
    await expect(page.getByRole('status', { name: 'Read RBAC' })).toContainText('Read 4 roles and 4 bindings');
    await expect(region(page, 'Can I').getByLabel('Verb', { exact: true })).toHaveValue('get');
    // The token still answers as the subject: derived state was rebuilt, not lost.
    await expect(page.getByRole('status', { name: 'Subject in use' })).toContainText('from the inspected token');

    assert.ok(requests.some((url) => FULL_WASM.test(url)), 'the full app was fetched');
    for (const url of requests) assert.ok(url.startsWith(server.url), `a request left the app's origin: ${url}`);
    assert.deepEqual(csp, [], 'no CSP violation');
    assert.deepEqual(pageErrors, []);
    assert.equal(await page.locator('#crashed').isHidden(), true, 'no crash notice');
    assert.equal(await page.evaluate(() => 'tokenscopeHandover' in window), false, 'the hand-over is gone');
  } finally {
    await context.close();
    await server.close();
  }
});

test('a deep link to Audit starts the first-visit app, which loads the full app', async () => {
  const server = await serve();
  const { page, context, allRequests, pageErrors, csp } = await open(browser, `${server.url}#/audit`);
  try {
    const main = page.getByRole('main');
    await expect(main.getByText('Loading the full toolkit…')).toHaveCount(0);
    await upgraded(page);
    await expect(main.getByRole('heading', { name: 'Token Secrets', exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Audit', exact: true })).toHaveAttribute('aria-current', 'page');
    for (const url of allRequests) assert.ok(url.startsWith(server.url), `a request left the app's origin: ${url}`);
    assert.deepEqual(csp, [], 'no CSP violation');
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
    await server.close();
  }
});

test('when the full app cannot be had, the page says what to do and tries again', async () => {
  const server = await serve();
  const { page, context, pageErrors, release, refuse } = await openHeld(`${server.url}#/inspect`);
  try {
    release();
    refuse(true);
    await paste(page, 'Token', token);
    await page.getByRole('link', { name: 'Activity', exact: true }).click();
    const status = page.getByRole('main').getByRole('status');
    await expect(status).toContainText('Could not load the full toolkit');
    await expect(status).toContainText('Connect and try again');
    refuse(false);
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByRole('main').getByText('Loading the full toolkit…')).toHaveCount(0);
    await upgraded(page);
    await expect(page.getByRole('main').getByRole('heading', { name: 'Activity', exact: true })).toBeVisible();
    await page.getByRole('link', { name: 'Inspect', exact: true }).click();
    await expect(page.getByLabel('Token', { exact: true })).toHaveValue(token);
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
    await server.close();
  }
});

test('once opened, the full app opens again with the network off and the server gone', async () => {
  const server = await serve();
  const { page, context, allRequests, pageErrors } = await open(browser, server.url);
  try {
    await offlineState(page, 'ready');
    // Opened once online: the worker keeps the full app's files as they arrive.
    await page.getByRole('link', { name: 'Audit', exact: true }).click();
    await upgraded(page);
    await server.close();
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('link', { name: 'Token request', exact: true }).click();
    await expect(page.getByRole('main').getByText('Loading the full toolkit…')).toHaveCount(0);
    await upgraded(page);
    await expect(page.getByRole('main').getByRole('heading', { name: 'Token request', exact: true })).toBeVisible();
    for (const url of allRequests) assert.ok(url.startsWith(server.url), `a request left the app's origin: ${url}`);
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
    await server.close();
  }
});

test('the single file is the full app: its pages need no loading', async () => {
  const single = join(root, 'dist-single', 'tokenscope.html');
  assert.ok(existsSync(single), `${single} is missing: run scripts/single-file`);
  const { page, context, pageErrors, csp } = await open(browser, `${pathToFileURL(single).href}#/audit`);
  try {
    const main = page.getByRole('main');
    await expect(main.getByRole('heading', { name: 'Token Secrets', exact: true })).toBeVisible();
    await expect(main.getByText('Loading the full toolkit…')).toHaveCount(0);
    assert.equal(await upgrade(page), undefined, 'nothing to upgrade');
    assert.deepEqual(csp, [], 'no CSP violation');
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});
