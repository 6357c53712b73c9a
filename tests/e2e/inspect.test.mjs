// The token inspector as a user meets it: paste each input form into Token and read the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { expect } from './expect.mjs';
import { start, stop, open, paste, region, vector, makeToken, downloadSvg } from './harness.mjs';

let server;
let browser;
before(async () => ({ server, browser } = await start()));
after(() => stop({ server, browser }));

const legacy = vector('minted/token-legacy-rs256.jwt').trim();
const es256 = vector('minted/token-bound-es256.jwt').trim();
const facts = JSON.parse(vector('minted/facts.json'));
// The ES256 token was issued at this instant (iat) and lives one hour.
const ES256_IAT_MS = JSON.parse(Buffer.from(es256.split('.')[1], 'base64url')).iat * 1000;

/** Asserts what every successfully decoded demo token shows. */
async function expectDemoIdentity(page) {
  const identity = region(page, 'Identity');
  await expect(identity).toContainText(`system:serviceaccount:${facts.namespace}:${facts.serviceaccount}`);
  await expect(identity).toContainText(`system:serviceaccounts:${facts.namespace}`);
  await expect(identity).toContainText('system:authenticated');
}

test('the empty page explains what to paste and has no error', async () => {
  const { page, context } = await open(browser, server.url);
  await expect(region(page, 'What you will see')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await context.close();
});

test('on a cold start the Token field comes first, and the panels under it follow', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // For each element, the number of the DOM change that brought it, counted from the start.
  await page.addInitScript(() => {
    window.__arrivals = {};
    let batch = 0;
    const seen = { token: () => document.getElementById('token'), examples: () => document.getElementById('examples-h'),
      signature: () => document.getElementById('key'), footer: () => document.querySelector('footer') };
    new MutationObserver(() => {
      batch++;
      for (const [name, find] of Object.entries(seen)) if (window.__arrivals[name] === undefined && find()) window.__arrivals[name] = batch;
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(server.url);
  await expect(region(page, 'Examples')).toBeVisible();
  await expect(page.getByRole('contentinfo')).toBeVisible();
  const arrivals = await page.evaluate(() => window.__arrivals);
  for (const later of ['examples', 'signature', 'footer']) {
    assert.ok(arrivals[later] > arrivals.token, `${later} came with the Token field: ${JSON.stringify(arrivals)}`);
  }
  await context.close();
});

test('after the first paint the examples are rehearsed in idle time, and the page is left as it was', async () => {
  const { page, context, requests } = await open(browser, server.url);
  const loaded = requests.length;
  const html = await page.locator('#app').innerHTML();
  await page.waitForFunction(() => performance.getEntriesByName('tokenscope:rehearsed').length === 1);
  assert.equal(await page.locator('#app').innerHTML(), html, 'the page did not change');
  await expect(page.getByLabel('Token', { exact: true })).toHaveValue('');
  await expect(region(page, 'What you will see')).toBeVisible();
  assert.deepEqual(requests.slice(loaded), [], 'no request');
  assert.deepEqual(await page.evaluate(() => [localStorage.length, sessionStorage.length, location.href]), [0, 0, server.url]);
  await context.close();
});

test('a raw legacy JWT is recognised, classified and explained', async () => {
  const { page, context } = await open(browser, server.url);
  await paste(page, 'Token', `\n  ${legacy}  \n`);
  await expect(page.getByRole('status', { name: 'Recognised input' })).toContainText('Recognised: a raw JWT');
  // One line, however it was copied: it wraps so all of it shows.
  assert.equal(await page.getByLabel('Token', { exact: true }).evaluate((e) => getComputedStyle(e).whiteSpace), 'pre-wrap');
  await expect(region(page, 'Summary').getByText(/^Legacy/)).toBeVisible();
  await expect(page.getByRole('status', { name: 'Validity' })).toHaveText(/^No expiry/);
  const claims = region(page, 'Claims');
  await expect(claims.getByRole('row', { name: /kubernetes\.io\/serviceaccount\/secret\.name/ })).toContainText(
    'Deleting it revokes the token',
  );
  await expect(region(page, 'Header')).toContainText('RS256');
  await expect(region(page, 'Findings')).toContainText('Legacy token that never expires');
  await expect(region(page, 'Findings')).toContainText('Signature not checked yet');
  await expect(page.getByRole('region', { name: 'Payload JSON' })).toContainText('"kubernetes.io/serviceaccount/namespace": "demo"');
  await expect(page.getByRole('button', { name: 'Copy payload JSON' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy header JSON' })).toBeVisible();
  await expectDemoIdentity(page);
  await context.close();
});

test('a paste shows its summary beside the field, moves nothing below it, and the details follow', async () => {
  const { page, context } = await open(browser, server.url);
  const viewport = page.viewportSize();
  assert.ok(viewport.width >= 1024, `two columns need a wide window, got ${viewport.width}px`);
  const top = (name) => region(page, name).evaluate((e) => e.getBoundingClientRect().top);
  const before = { examples: await top('Examples'), signature: await top('Signature') };
  await paste(page, 'Token', legacy);
  const summary = region(page, 'Summary');
  await expect(summary.getByText(/^Legacy/)).toBeVisible();
  // Beside the Token field, on the first screen, with no scrolling.
  const [field, box] = [await page.getByLabel('Token', { exact: true }).boundingBox(), await summary.boundingBox()];
  assert.ok(box.x > field.x + field.width, `summary at x=${box.x}, field ends at ${field.x + field.width}`);
  assert.ok(box.y + box.height <= viewport.height, `summary ends at ${box.y + box.height}px, below the fold`);
  assert.deepEqual({ examples: await top('Examples'), signature: await top('Signature') }, before);
  await expect(region(page, 'Claims')).toContainText('kubernetes.io/serviceaccount/secret.name');

  // Another token over it updates the details in place: they never leave the page.
  await page.evaluate(() => {
    window.__detailsRemoved = 0;
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.removedNodes) if (n.querySelector?.('#claims-h')) window.__detailsRemoved++;
    }).observe(document.querySelector('main'), { childList: true, subtree: true });
  });
  await paste(page, 'Token', es256);
  await expect(summary.getByText(/^Bound/)).toBeVisible();
  await expect(region(page, 'Claims')).toContainText('kubernetes.io');
  assert.equal(await page.evaluate(() => window.__detailsRemoved), 0);
  await context.close();
});

test('a Bearer header broken over lines is recognised', async () => {
  const { page, context } = await open(browser, server.url);
  const wrapped = legacy.match(/.{1,64}/g).join('\n');
  await paste(page, 'Token', `Bearer ${wrapped}\n`);
  await expect(page.getByRole('status', { name: 'Recognised input' })).toContainText('Bearer');
  await expect(region(page, 'Summary').getByText(/^Legacy/)).toBeVisible();
  await context.close();
});

test('the base64 of a token (a Secret data.token) is recognised', async () => {
  const { page, context } = await open(browser, server.url);
  await paste(page, 'Token', Buffer.from(legacy).toString('base64'));
  await expect(page.getByRole('status', { name: 'Recognised input' })).toContainText('base64');
  await expect(region(page, 'Summary').getByText(/^Legacy/)).toBeVisible();
  await context.close();
});

for (const [file, form] of [
  ['minted/secret.yaml', 'kubectl get secret -o yaml'],
  ['minted/secret.json', 'kubectl get secret -o json'],
]) {
  test(`a whole Secret (${file}) gives its token and fills CA certificate`, async () => {
    const { page, context } = await open(browser, server.url);
    await paste(page, 'Token', vector(file));
    await expect(page.getByRole('status', { name: 'Recognised input' })).toContainText(form);
    await expect(region(page, 'Summary').getByText(/^Legacy/)).toBeVisible();
    await expect(page.getByLabel('CA certificate', { exact: true })).toHaveValue(/-----BEGIN CERTIFICATE-----/);
    await expectDemoIdentity(page);
    await context.close();
  });
}

test('kubectl describe secret output gives its token', async () => {
  const { page, context } = await open(browser, server.url);
  await paste(page, 'Token', vector('minted/describe-secret.txt'));
  await expect(page.getByRole('status', { name: 'Recognised input' })).toContainText('kubectl describe secret');
  await expect(region(page, 'Summary').getByText(/^Legacy/)).toBeVisible();
  await context.close();
});

test('a kubeconfig with several token users offers a chooser and fills the CA', async () => {
  const { page, context } = await open(browser, server.url, { clock: ES256_IAT_MS + 60_000 });
  const kubeconfig = vector('minted/kubeconfig.yaml').replace(
    'users:\n',
    `users:\n- name: old-ci\n  user:\n    token: ${legacy}\n`,
  );
  await paste(page, 'Token', kubeconfig);
  await expect(page.getByRole('status', { name: 'Recognised input' })).toContainText('a kubeconfig');
  // The current context's user comes first: the ES256 bound token.
  await expect(region(page, 'Summary').getByText(/^Bound service-account token \(unbound\)/)).toBeVisible();
  await expect(page.getByLabel('CA certificate', { exact: true })).toHaveValue(/-----BEGIN CERTIFICATE-----/);
  // Pastes with line breaks keep their lines, unwrapped as in an editor; a one-line token wraps.
  const wrapping = (label) => page.getByLabel(label, { exact: true }).evaluate((e) => getComputedStyle(e).whiteSpace);
  assert.equal(await wrapping('Token'), 'pre');
  assert.equal(await wrapping('CA certificate'), 'pre');
  const chooser = page.getByLabel('Token to inspect');
  await chooser.selectOption({ label: 'user "old-ci" (no context uses it)' });
  await expect(region(page, 'Summary').getByText(/^Legacy/)).toBeVisible();
  await context.close();
});

test('times are shown in UTC and relative, and the status follows the clock', async () => {
  const { page, context } = await open(browser, server.url, { clock: ES256_IAT_MS + 60_000 });
  // The page's clock reads a known instant, however long the page took to load on a busy
  // machine; its timers keep running.
  await page.clock.setFixedTime(ES256_IAT_MS + 60_000);
  await paste(page, 'Token', es256);
  const status = page.getByRole('status', { name: 'Validity' });
  await expect(status).toHaveText('Valid: expires in 59 minutes');
  await expect(region(page, 'Times')).toContainText(facts['bound-es256.exp']);
  await expect(region(page, 'Summary')).toContainText('Lifetime: 1 hour');
  // Two hours on: the page's minute tick reads the new time.
  await page.clock.setFixedTime(ES256_IAT_MS + 60_000 + 2 * 3_600_000);
  await page.clock.fastForward('01:00');
  await expect(status).toHaveText('Expired 1 hour ago');
  await context.close();
});

test('a pod-bound token shows its binding, warnafter and extra identity fields', async () => {
  const { page, context } = await open(browser, server.url, { clock: ES256_IAT_MS + 60_000 });
  await paste(page, 'Token', vector('minted/token-bound-pod-rs256.jwt'));
  await expect(region(page, 'Summary').getByText(/^Bound service-account token \(pod-bound\)/)).toBeVisible();
  await expect(region(page, 'Times')).toContainText('Warn after');
  await expect(region(page, 'Findings')).toContainText('Very long lifetime (1 year)');
  const identity = region(page, 'Identity');
  await expect(identity).toContainText(`authentication.kubernetes.io/pod-name: ${facts.bound_pod}`);
  await expect(identity).toContainText('authentication.kubernetes.io/node-name: worker-3');
  await expect(identity).toContainText('authentication.kubernetes.io/credential-id: JTI=');
  await context.close();
});

test('a corrupted token names the part and position, and the next good paste works', async () => {
  const { page, context, pageErrors } = await open(browser, server.url);
  await paste(page, 'Token', vector('wild/legacy-corrupted-payload.jwt'));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('payload');
  await expect(alert).toContainText('byte 82');
  await paste(page, 'Token', vector('wild/legacy-gdbc-corrupted.jwt'));
  await expect(alert).toContainText('payload');
  await paste(page, 'Token', vector('real/malformed/rfc7516-A.3-jwe-compact-5-parts.txt'));
  await expect(alert).toContainText('JWE');
  await paste(page, 'Token', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0!.c2ln');
  await expect(alert).toContainText("'!' at offset 15 of the payload part (offset 36 in the token)");
  await paste(page, 'Token', 'kind: Secret\ndata: [unclosed\n');
  await expect(alert).toContainText('line');
  await paste(page, 'Token', vector('wild/legacy-kube-system-default.jwt'));
  await expect(alert).toHaveCount(0);
  await expect(region(page, 'Summary').getByText(/^Legacy/)).toBeVisible();
  await expect(region(page, 'Findings')).toContainText('kube-system namespace');
  await expect(region(page, 'Findings')).toContainText('Default service account');
  assert.deepEqual(pageErrors, []);
  await context.close();
});

test('claim values that look like HTML are shown as text, never run', async () => {
  const { page, context } = await open(browser, server.url);
  const evil = '<img src=x onerror="window.__owned=1"><script>window.__owned=2</script>';
  await paste(page, 'Token', makeToken({ iss: evil, sub: 'x', 'x-note': evil }));
  await expect(region(page, 'Claims')).toContainText(evil);
  await expect(region(page, 'Summary').getByText(/^Not a Kubernetes/)).toBeVisible();
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(await page.evaluate(() => window.__owned), undefined);
  await context.close();
});

test('nothing pasted leaves the page or is stored', async () => {
  const { page, context, requests } = await open(browser, server.url);
  // The app fetches its own examples once it has painted (to rehearse the paste path): wait for
  // that, so only what a paste might cause is counted after it, however slow the start.
  if (!requests.some((url) => url.endsWith('/examples.json'))) {
    await page.waitForRequest((r) => r.url().endsWith('/examples.json'));
  }
  const loaded = requests.length;
  for (const file of ['minted/secret.yaml', 'minted/kubeconfig.yaml', 'minted/token-bound-pod-rs256.jwt']) {
    await paste(page, 'Token', vector(file));
    await expect(region(page, 'Summary')).toBeVisible();
  }
  await page.getByRole('button', { name: 'Copy payload JSON' }).click();
  assert.deepEqual(requests.slice(loaded), [], 'no request after load');
  for (const url of requests) assert.ok(url.startsWith(server.url), `only the app itself is loaded: ${url}`);
  const stored = await page.evaluate(() => [localStorage.length, sessionStorage.length, location.href]);
  assert.deepEqual(stored, [0, 0, server.url]);
  const cookies = await context.cookies();
  assert.deepEqual(cookies, []);
  await context.close();
});

test('a paste over 1 MiB is refused with a message in Token, Verification key and CA certificate', async () => {
  const { page, context } = await open(browser, server.url);
  const huge = 'A'.repeat(1024 * 1024 + 1);
  await paste(page, 'Token', huge);
  await expect(page.getByRole('alert')).toContainText('the inspector stops at 1024 KiB');
  // The key field answers once there is a token to verify.
  await paste(page, 'Token', legacy);
  // A field with Open a file takes a text over 1 MiB as it takes such a file, and its file
  // field says why it stops, however the text came (a paste, text dropped in, a script).
  for (const label of ['Verification key', 'CA certificate']) {
    await paste(page, label, huge);
    await expect(page.getByRole('alert')).toContainText('larger than the 1.0 MiB this field reads');
    assert.equal(await page.getByLabel(label, { exact: true }).inputValue(), '');
  }
  await context.close();
});

test('the Times section draws the token\'s timeline: one mark per row of the table, and Download SVG saves it', async () => {
  const { page, context } = await open(browser, server.url, { clock: ES256_IAT_MS + 60_000 });
  await paste(page, 'Token', vector('minted/token-bound-pod-rs256.jwt'));
  const times = region(page, 'Times');
  const picture = times.getByRole('img', { name: /^Token timeline: / });
  await expect(picture).toBeVisible();
  // Its name says each row of the table it draws: the table is its text equivalent.
  const name = await picture.getAttribute('aria-label');
  const rows = await times.locator('tbody th').allTextContents();
  assert.ok(rows.length >= 3, rows.join());
  for (const row of rows) assert.ok(name.includes(row), `${row} is not in "${name}"`);
  const { name: file, text: svg } = await downloadSvg(page, times);
  assert.equal(file, 'token-timeline.svg');
  assert.ok(svg.includes('Warn after'), svg.slice(0, 300));
  await context.close();
});
