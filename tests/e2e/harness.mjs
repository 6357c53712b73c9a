// Shared set-up for the end-to-end tests: a static server over dist/, Debian's Chromium
// driven by Playwright, and a record of every request the page makes.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveStatic } from '../../scripts/lib/static-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');
export const dist = join(root, 'dist');
export const vectors = join(root, 'tests', 'fixtures');

/** Reads a test vector from tests/fixtures (minted/, real/, wild/). */
export function vector(path) {
  return readFileSync(join(vectors, path), 'utf8');
}

/**
 * Serves `dir` (dist/) on 127.0.0.1 at a free port, at the site's root or under the base paths
 * of `at` (scripts/lib/static-server.mjs); `hits` counts the requests for each path and `missing`
 * lists those answered 404.
 */
export async function serve(dir = dist, { at = '/' } = {}) {
  const hits = new Map();
  const server = await serveStatic(dir, { at, onRequest: (path) => hits.set(path, (hits.get(path) ?? 0) + 1) });
  return { ...server, hits };
}

/**
 * The usual set-up of a test file: dist/ served and Chromium launched, and with `page` one
 * session open on the app (`true` for the start page, or a suffix such as '#/rbac').
 * `stop` takes what `start` returned and closes it, whatever part of it exists.
 */
export async function start({ page } = {}) {
  const env = {};
  try {
    env.server = await serve();
    env.browser = await launch();
    if (page) env.session = await open(env.browser, env.server.url + (page === true ? '' : page));
    return env;
  } catch (error) {
    await stop(env);
    throw error;
  }
}

export async function stop({ server, browser, session } = {}) {
  await session?.context.close();
  await browser?.close();
  await server?.close();
}

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Records what the Content-Security-Policy blocks in every page of `context`: each
 * `securitypolicyviolation` event (from a script run before the page's own) and each console
 * message about the policy. Call before the first navigation.
 */
export async function recordCsp(context) {
  const violations = [];
  await context.exposeBinding('__tokenscopeCspViolation', (_, v) => violations.push(v));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__tokenscopeCspViolation({
        directive: e.effectiveDirective,
        blocked: e.blockedURI,
        sample: e.sample,
        source: `${e.sourceFile}:${e.lineNumber}`,
      }),
    );
  });
  context.on('console', (m) => {
    if (/content.security.policy|\bCSP\b/i.test(m.text())) violations.push({ console: m.type(), text: m.text() });
  });
  return violations;
}

/**
 * Resolves with boot.js's answer to whether the app works offline (`data-offline`, see
 * static/boot.js) once there is one, or once it is `wanted` (e.g. 'ready': the shell is cached).
 */
export async function offlineState(page, wanted, timeout = 10_000) {
  // Polled from node: the page's timers may be faked (page.clock).
  const end = Date.now() + timeout;
  for (;;) {
    const state = await page.evaluate(() => document.documentElement.dataset.offline);
    if (state !== undefined && (wanted === undefined || state === wanted)) return state;
    if (Date.now() > end) throw new Error(`data-offline is ${state}, not ${wanted ?? 'set'}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/**
 * Opens the app in a fresh page and records every request it makes. `requests` lists URLs the
 * page asked for, `allRequests` also those of its service worker; `pageErrors` collects uncaught
 * errors (a panic shows up there); `csp` what the Content-Security-Policy blocked.
 */
export async function open(browser, url, { clock } = {}) {
  const context = await browser.newContext();
  const csp = await recordCsp(context);
  const allRequests = [];
  context.on('request', (r) => allRequests.push(r.url()));
  const page = await context.newPage();
  const requests = [];
  const pageErrors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  if (clock !== undefined) await page.clock.install({ time: clock });
  await page.goto(url);
  // The app has mounted once it has replaced index.html's static shell (the first render as
  // markup) and its first page's heading is there; it has finished loading once boot.js has
  // registered the service worker (which caches the app shell) or given up.
  await page.locator('[data-shell]').waitFor({ state: 'detached' });
  await page.getByRole('main').getByRole('heading').first().waitFor();
  await offlineState(page);
  return { page, context, requests, allRequests, pageErrors, csp };
}

/**
 * Fills a field as a paste would (one input event with the whole text). A text of many lines
 * goes through the clipboard and Ctrl+V, as a user pastes it: Playwright's `fill` types it as
 * one editing command per line, which takes Chromium seconds for a few hundred lines (30 s for
 * 1,500) and made tests of big pastes race their timeout. Over 1 MiB, a paste is the app's
 * file path, which tests reach on purpose, so `fill` keeps such texts in the text area.
 */
export async function paste(page, label, text) {
  const field = page.getByLabel(label, { exact: true });
  if (text.split('\n').length <= 100 || text.length > 1 << 20) {
    await field.fill(text);
    return;
  }
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await field.focus();
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
  const value = await field.inputValue();
  if (value !== text.replace(/\r\n?/g, '\n')) throw new Error(`paste into ${label}: the field holds ${value.length} characters, not ${text.length}`);
}

/** The region (a <section> named by its heading) called `name`. */
export function region(page, name) {
  return page.getByRole('region', { name, exact: true });
}

/** base64url of a string or object (JSON), for hand-made tokens. */
export function b64url(value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return Buffer.from(text).toString('base64url');
}

/** A token with the given payload and a dummy signature. */
export function makeToken(payload, header = { alg: 'RS256', kid: '', typ: 'JWT' }) {
  return `${b64url(header)}.${b64url(payload)}.${b64url('not a real signature')}`;
}

/**
 * Screenshots `picture` in the light and the dark theme to `target/NAME-light.png` and
 * `target/NAME-dark.png` (copied to docs/ by hand for the README when the picture changes).
 */
export async function shootThemes(page, picture, name) {
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await picture.screenshot({ path: join(root, 'target', `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: null });
}

/** Clicks **Download SVG** in `within`: the file's name and its text, an SVG document. */
export async function downloadSvg(page, within) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    within.getByRole('button', { name: 'Download SVG' }).click(),
  ]);
  const text = readFileSync(await file.path(), 'utf8');
  if (!text.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')) {
    throw new Error(`${file.suggestedFilename()} is not an SVG document: ${text.slice(0, 80)}`);
  }
  return { name: file.suggestedFilename(), text };
}

