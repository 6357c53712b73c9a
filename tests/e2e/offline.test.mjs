// Offline and private by construction: the Content-Security-Policy blocks nothing the app does
// (and would block any request elsewhere), the service worker precaches every file of the
// build, so after one visit every page works with the network off and the server gone, and the
// single-file build works opened from disk.
import { createHash } from 'node:crypto';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from './expect.mjs';
import { serve, launch, open, paste, region, vector, offlineState, root } from './harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const token = vector('minted/token-bound-pod-rs256.jwt');
const single = join(root, 'dist-single', 'tokenscope.html');

/** The directives of the CSP <meta> in `html`, as a Map of name to sources. */
function csp(html) {
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)];
  assert.equal(metas.length, 1, 'one CSP <meta>');
  assert.ok(metas[0].index < html.search(/<(script|style|link)\b/), 'the CSP comes before every script, style and link');
  return new Map(
    metas[0][1]
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...sources]) => [name, sources]),
  );
}

/** Asserts what no policy of ours may allow. */
function assertStrict(policy) {
  for (const [name, sources] of policy) {
    for (const loose of ["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:', 'ws:', 'wss:']) {
      assert.ok(!sources.includes(loose), `${name} allows ${loose}`);
    }
  }
  assert.deepEqual(policy.get('object-src'), ["'none'"]);
  assert.deepEqual(policy.get('base-uri'), ["'none'"]);
  assert.deepEqual(policy.get('form-action'), ["'none'"]);
  assert.ok(policy.get('script-src').includes("'wasm-unsafe-eval'"));
  assert.ok(policy.get('script-src').some((s) => s.startsWith("'sha256-")), 'inline scripts allowed by hash');
}

/** Pastes the pod-bound token and waits for it to be decoded. */
async function decodeToken(page) {
  await paste(page, 'Token', token);
  await expect(region(page, 'Summary').getByText(/^Bound service-account token \(pod-bound\)/)).toBeVisible();
}

function assertOnly(requests, prefixes) {
  assert.ok(requests.length > 0, 'requests are recorded');
  for (const url of requests) {
    assert.ok(
      prefixes.some((p) => url.startsWith(p)),
      `a request left ${prefixes.join(' / ')}: ${url}`,
    );
  }
}

test('the served page has a strict CSP and nothing the app does violates it', async () => {
  const server = await serve();
  try {
    const html = await (await fetch(server.url)).text();
    const policy = csp(html);
    assertStrict(policy);
    assert.deepEqual(policy.get('default-src'), ["'self'"]);
    assert.deepEqual(policy.get('connect-src'), ["'self'"], 'the loader fetches the .wasm and nothing else');
    // The one inline style is the page's own stylesheet, allowed by its hash and nothing wider.
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
    assert.equal(styles.length, 1, 'one inline stylesheet');
    const hash = `'sha256-${createHash('sha256').update(styles[0]).digest('base64')}'`;
    assert.deepEqual(policy.get('style-src'), ["'self'", hash], 'no inline style but the stylesheet');

    const { page, context, allRequests, pageErrors, csp: violations } = await open(browser, server.url);
    await decodeToken(page);
    await page.getByRole('button', { name: 'Copy payload JSON' }).click();
    for (const route of ['#/ca', '#/kubeconfig', '#/inspect']) {
      await page.evaluate((hash) => (location.hash = hash), route);
      await page.getByRole('main').getByRole('heading').first().waitFor();
    }
    await expect(region(page, 'Summary')).toBeVisible();
    assert.deepEqual(violations, [], 'no CSP violation');
    assert.deepEqual(pageErrors, []);
    assertOnly(allRequests, [server.url]);

    // The recorder works, and the policy bites: an injected inline script does not run.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true';
      document.head.append(s);
    });
    const end = Date.now() + 5000;
    while (violations.length === 0 && Date.now() < end) await new Promise((ok) => setTimeout(ok, 50));
    assert.equal(await page.evaluate(() => window.__injected), undefined);
    assert.ok(
      violations.some((v) => v.directive === 'script-src-elem' || v.directive === 'script-src'),
      `the injected script is reported: ${JSON.stringify(violations)}`,
    );
    // An injected style does not apply either.
    await page.evaluate(() => {
      const s = document.createElement('style');
      s.textContent = 'main { display: none }';
      document.head.append(s);
    });
    await expect(page.getByRole('main')).toBeVisible();
    const styleEnd = Date.now() + 5000;
    const styleBlocked = () => violations.some((v) => v.directive === 'style-src-elem' || v.directive === 'style-src' || /style/i.test(v.text ?? ''));
    while (!styleBlocked() && Date.now() < styleEnd) await new Promise((ok) => setTimeout(ok, 50));
    assert.ok(styleBlocked(), `the injected style is reported: ${JSON.stringify(violations)}`);
    await context.close();
  } finally {
    await server.close();
  }
});

test('the service worker registers only after the app is first painted, so it does not hold it up', async () => {
  const server = await serve();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(() => {
      const register = ServiceWorkerContainer.prototype.register;
      ServiceWorkerContainer.prototype.register = function (...args) {
        window.__registeredAt = performance.now();
        return register.apply(this, args);
      };
    });
    await page.goto(server.url);
    await offlineState(page, 'ready');
    const [registered, painted] = await page.evaluate(() => [
      window.__registeredAt,
      performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    ]);
    assert.ok(painted !== undefined, 'the page was painted');
    assert.ok(registered > painted, `registered at ${registered} ms, first painted at ${painted} ms`);
  } finally {
    await context.close();
    await server.close();
  }
});

test('a first visit downloads the wasm, js and css once: the service worker takes them from the HTTP cache', async () => {
  // The server sends no validators, so anything fetched twice is downloaded twice.
  const server = await serve();
  const { page, context } = await open(browser, server.url);
  try {
    await offlineState(page, 'ready');
    // The hashed files the page loads before its load event, when the worker registers. (The
    // icon is fetched whenever the browser gets to it, sometimes after the worker has cached it.)
    const hashed = [...server.hits].filter(([path]) => /-[0-9a-f]{12,16}(_bg)?\.(wasmxz|js)$/.test(path));
    assert.equal(hashed.length, 2, `wasm and js were fetched: ${JSON.stringify([...server.hits])}`);
    for (const [path, count] of hashed) assert.equal(count, 1, `${path} fetched ${count} times`);
    await context.close();
  } finally {
    await server.close();
  }
});

test('nothing waits in front of the wasm: the loader is an async module after #app, the crash notice and the stylesheet inline', () => {
  const html = readFileSync(join(root, 'dist', 'index.html'), 'utf8');
  const at = (re, what) => {
    const m = html.match(re);
    assert.ok(m, `dist/index.html has no ${what}`);
    return m.index;
  };
  const panic = at(/<script>[^<]*getElementById\("crashed"\)/, 'inline crash-notice script');
  const style = at(/<style>/, 'inline stylesheet');
  const app = at(/<div id="app">/, '#app');
  const loader = at(/<script type="module" async>\s*import init/, 'async module loader');
  assert.ok(panic < style, 'the crash notice comes first');
  assert.doesNotMatch(html, /<link rel="stylesheet"/, 'the stylesheet is a request the first layout waits for');
  assert.ok(app < loader, 'the loader comes before #app exists');
  assert.equal((html.match(/<script type="module"/g) ?? []).length, 1, 'one module script');
  assert.doesNotMatch(html, /src="panic\.js"/, 'panic.js is still fetched');
});

test('after the first visit the app loads and decodes with the network off and the server gone', async () => {
  const server = await serve();
  const { page, context, allRequests, pageErrors, csp: violations } = await open(browser, server.url);
  try {
    await offlineState(page, 'ready');
    await server.close();
    await context.setOffline(true);

    await page.reload();
    await page.getByRole('main').getByRole('heading').first().waitFor();
    await decodeToken(page);
    assert.equal(await offlineState(page), 'ready', 'still offline-capable');
    await expect(page.getByRole('contentinfo')).toContainText('Works offline');

    // The examples come from the service worker's cache too.
    await page.getByRole('button', { name: 'Load example: kubeconfig' }).click();
    await expect(page.getByRole('status', { name: 'Signature status' })).toHaveText(/^Verified/);

    // A new tab, straight to another page of the app.
    const tab = await context.newPage();
    await tab.goto(`${server.url}#/ca`);
    await tab.getByRole('main').getByRole('heading').first().waitFor();
    await tab.goto(`${server.url}#/inspect`);
    await decodeToken(tab);

    assert.deepEqual(violations, [], 'no CSP violation');
    assert.deepEqual(pageErrors, []);
    assertOnly(allRequests, [server.url]);
  } finally {
    await context.close();
    await server.close();
  }
});

test('after one online visit to the home page, every one of the ten pages works with the network off', async () => {
  const server = await serve();
  const { page, context, allRequests, pageErrors, csp: violations } = await open(browser, server.url);
  try {
    // "ready" only once a worker controls the page and its cache holds every file of the build.
    await offlineState(page, 'ready');
    assert.ok(await page.evaluate(() => !!navigator.serviceWorker.controller), 'the worker controls the page');
    await expect(page.getByRole('contentinfo')).toContainText('Works offline');
    await server.close();
    await context.setOffline(true);

    // Each page opened in a new tab, straight from its link, then used.
    const pages = [
      ['#/inspect?example=kubeconfig', async (tab) => {
        await expect(tab.getByRole('status', { name: 'Signature status' })).toHaveText(/^Verified/);
      }],
      ['#/troubleshoot?example=forbidden', async (tab) => {
        await expect(tab.getByRole('button', { name: 'Fix in RBAC builder' })).toBeVisible();
      }],
      ['#/ca', async (tab) => {
        await paste(tab, 'CA certificate', vector('minted/chain.pem'));
        await expect(tab.getByText('Signature verified.').first()).toBeVisible();
      }],
      ['#/kubeconfig', async (tab) => {
        await paste(tab, 'Cluster name', 'prod');
        await paste(tab, 'Server URL', 'https://203.0.113.10:6443');
        await paste(tab, 'Token', token);
        await expect(tab.getByRole('region', { name: 'Kubeconfig YAML' })).toBeVisible();
        await expect(region(tab, 'Client code')).toBeVisible();
      }],
      ['#/token', async (tab) => {
        await paste(tab, 'Service account', 'ci-bot');
        await paste(tab, 'Namespace', 'demo');
        await expect(tab.getByRole('region', { name: 'TokenRequest JSON' })).toBeVisible();
      }],
      ['#/rbac?preset=ci-deployer&sa=ci-bot&ns=demo', async (tab) => {
        await expect(tab.getByRole('region', { name: 'RBAC YAML' })).toBeVisible();
      }],
      ['#/access?example=bound&rbac=demo', async (tab) => {
        await expect(tab.getByRole('region', { name: 'Effective rules' })).toBeVisible();
        await expect(region(tab, 'Who can')).toBeVisible();
      }],
      ['#/audit', async (tab) => {
        await expect(tab.getByLabel('Secrets', { exact: true })).toBeVisible();
      }],
      ['#/activity', async (tab) => {
        await expect(tab.getByLabel('Audit events', { exact: true })).toBeVisible();
      }],
      ['#/learn', async (tab) => {
        await expect(tab.getByRole('heading', { name: 'Guided walk: a service account from start to finish' })).toBeVisible();
      }],
    ];
    for (const [hash, works] of pages) {
      const tab = await context.newPage();
      tab.on('pageerror', (e) => pageErrors.push(`${hash}: ${e}`));
      await tab.goto(`${server.url}${hash}`);
      await tab.locator('[data-shell]').waitFor({ state: 'detached' });
      await tab.getByRole('main').getByRole('heading').first().waitFor();
      await works(tab);
      assert.doesNotMatch(await tab.locator('body').innerText(), /toolkit|Could not load/i, hash);
      await expect(tab.getByRole('contentinfo')).toContainText('Works offline');
      await tab.close();
    }
    // And all ten from the navigation of one page, reloaded offline.
    await page.reload();
    const nav = page.getByRole('navigation', { name: 'Pages' });
    for (const name of ['Inspect', 'Troubleshoot', 'CA', 'Kubeconfig', 'Token request', 'RBAC', 'Access', 'Audit', 'Activity', 'Learn']) {
      await nav.getByRole('link', { name, exact: true }).click();
      await expect(nav.getByRole('link', { name, exact: true })).toHaveAttribute('aria-current', 'page');
      await page.getByRole('main').getByRole('heading').first().waitFor();
    }
    assert.deepEqual(violations, [], 'no CSP violation');
    assert.deepEqual(pageErrors, []);
    assertOnly(allRequests, [server.url]);
  } finally {
    await context.close();
    await server.close();
  }
});

test('after a new deployment, an open page says so and reloads into it', async () => {
  // A copy of dist/ to deploy over: a new build changes sw.js (its cache version), and that is
  // what the browser checks on each visit.
  const dir = mkdtempSync(join(tmpdir(), 'tokenscope-deploy-'));
  cpSync(join(root, 'dist'), dir, { recursive: true });
  const server = await serve(dir);
  const { page, context, pageErrors } = await open(browser, server.url);
  try {
    await offlineState(page, 'ready');
    const notice = page.getByRole('status', { name: 'New version' });
    await expect(notice).toHaveCount(0);

    const sw = join(dir, 'sw.js');
    const before = readFileSync(sw, 'utf8');
    const after = before.replace(/VERSION ?= ?"([^"]+)"/, 'VERSION="$1-next"');
    assert.notEqual(after, before, 'sw.js has no VERSION to change');
    writeFileSync(sw, after);

    // The old worker serves this load from its cache; the new one installs and takes over.
    await page.reload();
    await expect(notice).toContainText('A newer version of Tokenscope is installed');
    await notice.getByRole('button', { name: 'Reload' }).click();
    await page.getByRole('main').getByRole('heading').first().waitFor();
    await decodeToken(page);
    await expect(notice).toHaveCount(0);
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the single-file build decodes a token opened from disk, and fetches nothing', async () => {
  assert.ok(existsSync(single), `${single} is missing: run scripts/single-file`);
  const html = readFileSync(single, 'utf8');
  const policy = csp(html);
  assertStrict(policy);
  assert.deepEqual(policy.get('default-src'), ["'none'"]);
  assert.deepEqual(policy.get('connect-src'), ["'none'"]);
  const outside = html.replace(/<script\b[\s\S]*?<\/script>/g, '');
  // Links within the page (the static shell's #/ca, #main) are not files.
  assert.deepEqual(outside.match(/\s(src|href)="(?!data:|#)[^"]*"/g), null, 'no reference to another file');

  const url = pathToFileURL(single).href;
  const { page, context, allRequests, pageErrors, csp: violations } = await open(browser, url);
  try {
    assert.equal(await offlineState(page), 'unavailable', 'no service worker from disk');
    await expect(page.getByRole('contentinfo')).toContainText('opened from a file it already needs no network');
    await decodeToken(page);
    await expect(region(page, 'Claims')).toContainText('kubernetes.io');
    // The examples are inline: nothing is fetched for them either.
    await page.getByRole('button', { name: 'Load example: ES256 token' }).click();
    await expect(page.getByRole('status', { name: 'Signature status' })).toHaveText(/^Verified/);
    assert.deepEqual(violations, [], 'no CSP violation');
    assert.deepEqual(pageErrors, []);
    assertOnly(allRequests, [url, 'data:']);
  } finally {
    await context.close();
  }
});
