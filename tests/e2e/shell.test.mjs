// The static shell: index.html carries the app's first render, so the Token field is on screen
// before the wasm has arrived; the app replaces it on start and keeps what was pasted into it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from './expect.mjs';
import { start, stop, dist, region, vector } from './harness.mjs';

let server;
let browser;
before(async () => ({ server, browser } = await start()));
after(() => stop({ server, browser }));

const legacy = vector('minted/token-legacy-rs256.jwt').trim();

/** A fresh page whose wasm is held back until `release()` is called. */
async function heldBack(suffix = '') {
  const context = await browser.newContext();
  const page = await context.newPage();
  let release;
  const released = new Promise((ok) => (release = ok));
  await page.route('**/*.wasmxz', async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(server.url + suffix, { waitUntil: 'domcontentloaded' });
  return { page, context, release };
}

test('the shell in index.html is the markup of the app\'s first render', async () => {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const shell = html.match(/<div id="app">([\s\S]*?)<\/div>\n\s*<div id="crashed"/)?.[1];
  assert.ok(shell?.includes('data-shell'), 'index.html has a shell in #app');
  const context = await browser.newContext();
  const page = await context.newPage();
  // The first DOM state in which the app's own Token field stands where the shell was.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      const app = document.getElementById('app');
      if (app && !app.querySelector('[data-shell]') && document.getElementById('token')) {
        window.__firstRender = app.innerHTML;
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(server.url);
  await page.waitForFunction(() => window.__firstRender !== undefined);
  const first = await page.evaluate(() => window.__firstRender);
  // Parsed by the same browser, so attribute order and entities compare alike.
  const normalised = await page.evaluate((markup) => {
    const box = document.createElement('div');
    box.innerHTML = markup;
    box.querySelector('[data-shell]')?.removeAttribute('data-shell');
    return box.innerHTML;
  }, shell);
  assert.equal(normalised, first, 'update the shell in index.html to what the app renders first');
  await context.close();
});

test('the Token field is on screen before the wasm has arrived', async () => {
  const { page, context, release } = await heldBack();
  await expect(page.getByLabel('Token', { exact: true })).toBeVisible();
  await expect(region(page, 'What you will see')).toBeVisible();
  assert.equal(await page.locator('[data-shell]').count(), 1, 'the app has not started');
  release();
  await expect(page.locator('[data-shell]')).toHaveCount(0);
  await expect(page.getByLabel('Token', { exact: true })).toBeVisible();
  await context.close();
});

test('a token pasted before the app starts is inspected once it does, and the field keeps the focus', async () => {
  const { page, context, release } = await heldBack();
  const field = page.getByLabel('Token', { exact: true });
  await field.focus();
  await field.fill(legacy);
  release();
  await expect(region(page, 'Summary').getByText(/^Legacy/)).toBeVisible();
  await expect(page.locator('[data-shell]')).toHaveCount(0);
  await expect(field).toHaveValue(legacy);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'token');
  // Typing goes on where it left off.
  await page.keyboard.press('End');
  await page.keyboard.type('x');
  await expect(field).toHaveValue(`${legacy}x`);
  await context.close();
});

test('a deep link to another page does not show the shell\'s Inspect page meanwhile', async () => {
  const { page, context, release } = await heldBack('#/ca');
  await expect(page.getByRole('banner')).toBeVisible();
  await expect(page.locator('[data-shell] main')).toBeHidden();
  release();
  await expect(page.getByRole('heading', { name: 'Cluster CA', exact: true })).toBeVisible();
  await expect(page.getByLabel('Token', { exact: true })).toHaveCount(0);
  await context.close();
});

// On a slow network the shell stands for seconds: what a user does to it meanwhile must hold.

test('the shell\'s skip link moves the focus to the content and leaves the route alone', async () => {
  const { page, context, release } = await heldBack();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();
  assert.equal(await page.evaluate(() => location.hash), '', 'the hash holds the route, not #main');
  release();
  await expect(page.locator('[data-shell]')).toHaveCount(0);
  await expect(page.getByLabel('Token', { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No such page' })).toHaveCount(0);
  await context.close();
});

test('a page chosen in the shell\'s navigation hides its Inspect page and opens once the app starts', async () => {
  const { page, context, release } = await heldBack();
  const nav = page.getByRole('navigation', { name: 'Pages' });
  await nav.getByRole('link', { name: 'CA', exact: true }).click();
  await expect(page.locator('[data-shell] main')).toBeHidden();
  await expect(nav.getByRole('link', { name: 'CA', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(nav.getByRole('link', { name: 'Inspect', exact: true })).toHaveAttribute('aria-current', null);
  // And back: the shell's Inspect page shows again.
  await nav.getByRole('link', { name: 'Inspect', exact: true }).click();
  await expect(page.getByLabel('Token', { exact: true })).toBeVisible();
  await nav.getByRole('link', { name: 'CA', exact: true }).click();
  release();
  await expect(page.getByRole('heading', { name: 'Cluster CA', exact: true })).toBeVisible();
  await expect(page.getByLabel('Token', { exact: true })).toHaveCount(0);
  await context.close();
});

test('a deep link marks its page in the shell\'s navigation', async () => {
  const { page, context, release } = await heldBack('#/rbac');
  const nav = page.getByRole('navigation', { name: 'Pages' });
  await expect(nav.getByRole('link', { name: 'RBAC', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(nav.getByRole('link', { name: 'Inspect', exact: true })).toHaveAttribute('aria-current', null);
  release();
  await expect(page.locator('[data-shell]')).toHaveCount(0);
  await context.close();
});

/**
 * In the page, before anything of it runs: records every state of the Redact switch and of the
 * token as a screen could show it. A state is taken on each write of an input's `checked`
 * (the app sets the property, which no MutationObserver sees), after each batch of DOM
 * changes (a MutationObserver, which runs before the browser can paint them) and at each
 * animation frame. So a frame with the switch off or a token unmasked is recorded however
 * short it is and however the work is timed: no sampling, no luck.
 */
function recordRedact(signature) {
  const states = (window.__redactStates = []);
  const take = (why, checked) => {
    const redact = document.getElementById('redact');
    if (!redact) return;
    const field = document.getElementById('token');
    states.push({
      why,
      shell: !!document.querySelector('[data-shell]'),
      checked: checked ?? redact.checked,
      token: field ? field.value.length : 0,
      masked: field ? getComputedStyle(field).webkitTextSecurity === 'disc' : null,
      shown: (document.getElementById('app')?.innerText ?? '').includes(signature),
    });
  };
  const checked = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'checked');
  Object.defineProperty(HTMLInputElement.prototype, 'checked', {
    ...checked,
    set(value) {
      checked.set.call(this, value);
      if (this.id === 'redact') take('set checked', !!value);
    },
  });
  new MutationObserver(() => take('mutation')).observe(document, {
    childList: true,
    subtree: true,
    attributes: true,
    characterData: true,
  });
  const frame = () => {
    take('frame');
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

test('Redact turned on in the shell stays on once the app starts', async () => {
  const signature = legacy.split('.')[2];
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(recordRedact, signature);
  let release;
  const released = new Promise((ok) => (release = ok));
  await page.route('**/*.wasmxz', async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(server.url, { waitUntil: 'domcontentloaded' });
  await page.getByRole('switch', { name: 'Redact' }).check();
  const field = page.getByLabel('Token', { exact: true });
  await field.fill(legacy);
  release();
  await expect(page.locator('[data-shell]')).toHaveCount(0);
  const segments = region(page, 'Segments');
  await expect(segments).toContainText('••••••••');
  assert.ok(!(await segments.innerText()).includes(signature), 'the signature is masked');
  // Two more frames, so the states after the report are recorded too.
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  const states = await page.evaluate(() => window.__redactStates);
  const on = states.findIndex((s) => s.checked);
  assert.ok(on >= 0 && states[on].shell, 'Redact was turned on in the shell');
  const after = states.slice(on);
  assert.ok(after.some((s) => !s.shell && s.why === 'frame'), 'frames of the app were recorded');
  assert.ok(after.some((s) => !s.shell && s.token > 0), 'the app got the token');
  for (const [i, state] of after.entries()) {
    const at = `state ${on + i} of ${states.length}: ${JSON.stringify(state)}`;
    assert.equal(state.checked, true, `the switch shows off: ${at}`);
    if (state.token > 0) assert.equal(state.masked, true, `the Token field shows the token: ${at}`);
    assert.equal(state.shown, false, `the page shows the signature: ${at}`);
  }
  await context.close();
});

test('the focus stays on the control it was on in the shell', async () => {
  // Keyboard only: Tab from the skip link to the CA link, Enter; the app opens the CA page
  // with the focus still on that link, so Tab goes on from there.
  const { page, context, release } = await heldBack();
  await page.keyboard.press('Tab');
  const nav = page.getByRole('navigation', { name: 'Pages' });
  const ca = nav.getByRole('link', { name: 'CA', exact: true });
  while (!(await ca.evaluate((e) => e === document.activeElement))) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  release();
  await expect(page.locator('[data-shell]')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Cluster CA', exact: true })).toBeVisible();
  await expect(ca).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(nav.getByRole('link', { name: 'Kubeconfig', exact: true })).toBeFocused();
  await context.close();

  // The Redact switch, turned on with the space bar.
  const second = await heldBack();
  const redact = second.page.getByRole('switch', { name: 'Redact' });
  await redact.focus();
  await second.page.keyboard.press('Space');
  second.release();
  await expect(second.page.locator('[data-shell]')).toHaveCount(0);
  await expect(redact).toBeFocused();
  assert.equal(await redact.isChecked(), true);
  await second.context.close();
});
