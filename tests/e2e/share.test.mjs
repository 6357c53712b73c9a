// Share links and embeds as a docs author and a trainer use them: a link made on each page
// opens in a fresh browser with the same form, a token pasted anywhere never goes into a link,
// a link made by an earlier version still opens, and `?embed` shows one page without the
// navigation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveStatic } from '../../scripts/lib/static-server.mjs';
import { expect } from './expect.mjs';
import { start, stop, open, paste, region, vector, dist } from './harness.mjs';

let server;
let browser;
before(async () => ({ server, browser } = await start()));
after(() => stop({ server, browser }));

const token = vector('minted/token-legacy-rs256.jwt').trim();
const [, tokenPayload, tokenSignature] = token.split('.');

/** A fresh browser context on `hash`, as a colleague opening the link. */
async function fresh(url) {
  const session = await open(browser, url);
  return session;
}

/** Presses **Copy link** (the first one named `name`) and gives the link it shows. */
async function copyLink(page, name = 'Copy link') {
  await page.getByRole('button', { name, exact: true }).first().click();
  const field = page.getByLabel('Share link', { exact: true }).first();
  await field.waitFor();
  return field.inputValue();
}

/** The JSON a link carries, inflated here as any reader of the link could. */
function carried(link) {
  const payload = new URL(link).hash.split('share=')[1];
  assert.match(payload, /^v1\./);
  return inflateRawSync(Buffer.from(payload.slice(3), 'base64url')).toString('utf8');
}

function assertNoSecret(link) {
  const text = carried(link);
  for (const part of [token, tokenPayload, tokenSignature]) assert.ok(!text.includes(part), 'a token part went into the link');
  assert.ok(!link.includes(tokenPayload));
}

test('RBAC builder: a link opens in a fresh browser with the same form, and says so', async () => {
  const { page, context } = await fresh(`${server.url}#/rbac`);
  await page.getByRole('button', { name: 'Read pods', exact: true }).click();
  await paste(page, 'Service account', 'share-demo');
  await paste(page, 'Namespace', 'team-a');
  const link = await copyLink(page);
  assert.match(link, /#\/rbac\?share=v1\./);
  assertNoSecret(link);
  const yaml = await region(page, 'RBAC YAML').innerText();
  await context.close();
  const other = await fresh(link);
  await expect(other.page.getByLabel('Service account', { exact: true })).toHaveValue('share-demo');
  await expect(other.page.getByLabel('Namespace', { exact: true })).toHaveValue('team-a');
  await expect(other.page.getByRole('status', { name: 'Link' })).toContainText('Loaded from a link');
  assert.equal(await region(other.page, 'RBAC YAML').innerText(), yaml);
  await other.context.close();
});

test('Access: the pasted policy, Subject, Can I and Who can travel in the link', async () => {
  const policy = vector('share/k8s-docs-simple-role.yaml') + vector('share/k8s-docs-simple-rolebinding-with-role.yaml');
  const { page, context } = await fresh(`${server.url}#/access`);
  await paste(page, 'Cluster RBAC', policy);
  await paste(page, 'Subject', 'user:jane');
  const canI = page.locator('section.can-i');
  await canI.getByLabel('Verb', { exact: true }).fill('list');
  await canI.getByLabel('Resource', { exact: true }).fill('pods');
  await canI.getByLabel('Namespace', { exact: true }).fill('default');
  const answer = await page.getByRole('status', { name: 'Can I answer' }).innerText();
  const link = await copyLink(page);
  await context.close();
  const other = await fresh(link);
  await expect(other.page.getByLabel('Cluster RBAC', { exact: true })).toHaveValue(policy);
  await expect(other.page.getByLabel('Subject', { exact: true })).toHaveValue('user:jane');
  await expect(other.page.locator('section.can-i').getByLabel('Resource', { exact: true })).toHaveValue('pods');
  await expect(other.page.getByRole('status', { name: 'Can I answer' })).toHaveText(answer);
  await other.context.close();
});

test('Token request and Kubeconfig: the form opens again; the kubeconfig token stays behind', async () => {
  const { page, context } = await fresh(`${server.url}#/token`);
  await paste(page, 'Service account', 'build-bot');
  await paste(page, 'Namespace', 'ci');
  await paste(page, 'Duration', '10m');
  const tokenLink = await copyLink(page);
  await page.goto(`${server.url}#/kubeconfig`);
  await paste(page, 'Cluster name', 'workshop');
  await paste(page, 'Server URL', 'https://10.0.0.5:6443');
  await paste(page, 'Token', token);
  const kubeconfigLink = await copyLink(page);
  assertNoSecret(kubeconfigLink);
  await context.close();

  const other = await fresh(tokenLink);
  await expect(other.page.getByLabel('Service account', { exact: true })).toHaveValue('build-bot');
  await expect(other.page.getByLabel('Duration', { exact: true })).toHaveValue('10m');
  await other.page.goto(kubeconfigLink);
  await expect(other.page.getByLabel('Cluster name', { exact: true })).toHaveValue('workshop');
  await expect(other.page.getByLabel('Server URL', { exact: true })).toHaveValue('https://10.0.0.5:6443');
  await expect(other.page.getByLabel('Token', { exact: true })).toHaveValue('');
  await other.context.close();
});

test('Learn: a step link opens that step', async () => {
  const { page, context } = await fresh(`${server.url}#/learn`);
  const button = page.getByRole('button', { name: /^Copy link to step / }).nth(1);
  const name = await button.getAttribute('aria-label');
  await button.click();
  const link = await page.getByLabel('Share link', { exact: true }).first().inputValue();
  assert.match(link, /#\/learn\/[a-z-]+\?share=v1\./);
  await context.close();
  const other = await fresh(link);
  const id = new URL(link).hash.split('?')[0].split('/')[2];
  await other.page.locator(`#step-${id}.current`).waitFor();
  await expect(other.page.getByRole('status', { name: 'Link' })).toContainText('Loaded from a link');
  assert.ok(name);
  await other.context.close();
});

test('a token pasted anywhere never goes into a link: the page refuses and says why', async () => {
  const { page, context } = await fresh(`${server.url}#/rbac`);
  const pages = [
    ['#/rbac', 'Service account'],
    ['#/rbac', 'Namespace'],
    ['#/access', 'Cluster RBAC'],
    ['#/access', 'Subject'],
    ['#/token', 'Service account'],
    ['#/token', 'Audiences'],
    ['#/kubeconfig', 'Cluster name'],
    ['#/kubeconfig', 'CA certificate'],
  ];
  for (const [hash, label] of pages) {
    await page.goto(`${server.url}${hash}`);
    const field = page.getByLabel(label, { exact: true }).first();
    const before = await field.inputValue();
    await field.fill(`see ${token} here`);
    await page.getByRole('button', { name: 'Copy link', exact: true }).first().click();
    await expect(page.getByRole('alert').filter({ hasText: 'No link was made' })).toContainText('token');
    const shown = page.getByLabel('Share link', { exact: true });
    if (await shown.count()) assertNoSecret(await shown.first().inputValue());
    await field.fill(before);
  }
  // A Bearer header and the base64 of a token, as a Secret's data holds it, are refused too.
  await page.goto(`${server.url}#/token`);
  for (const text of [`Bearer ${token}`, Buffer.from(token).toString('base64')]) {
    await paste(page, 'Audiences', text);
    await page.getByRole('button', { name: 'Copy link', exact: true }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'No link was made' })).toBeVisible();
  }
  await context.close();
});

// Made by the native encoder (tests/fixtures/share/v1-links.txt, the first line): never change it.
const OLD_RBAC_LINK = '#/rbac?share=v1.dZBNS8QwEIb_SplzxHtvnryIh4on9ZBOx27ZNBNmkhZZ';

test('an old v1 link still opens', async () => {
  const fixture = vector('share/v1-links.txt').split('\n').find((l) => l.startsWith('#/rbac'));
  assert.ok(fixture.startsWith(OLD_RBAC_LINK));
  const other = await fresh(`${server.url}${fixture}`);
  await expect(other.page.getByLabel('Service account', { exact: true })).toHaveValue('demo-app');
  await expect(other.page.getByLabel('Namespace', { exact: true })).toHaveValue('workshop');
  await expect(region(other.page, 'RBAC YAML')).toContainText('pods/log');
  await other.context.close();
});

test('a link over your own text keeps it: Restore what you had gives it back', async () => {
  const { page, context } = await fresh(`${server.url}#/rbac`);
  await paste(page, 'Service account', 'my-own');
  const fixture = vector('share/v1-links.txt').split('\n').find((l) => l.startsWith('#/rbac'));
  await page.goto(`${server.url}${fixture}`);
  await expect(page.getByLabel('Service account', { exact: true })).toHaveValue('demo-app');
  await page.getByRole('button', { name: 'Restore what you had' }).click();
  await expect(page.getByLabel('Service account', { exact: true })).toHaveValue('my-own');
  await context.close();
});

test('a broken link says why and fills nothing', async () => {
  const other = await fresh(`${server.url}#/rbac?share=v1.AAAA`);
  await expect(other.page.getByRole('alert', { name: 'Link' })).toContainText('did not open');
  await other.context.close();
});

test('?embed shows one page without the navigation, with a link out', async () => {
  for (const url of [`${server.url}?embed#/rbac`, `${server.url}#/rbac?embed`]) {
    const other = await fresh(url);
    await expect(other.page.getByRole('navigation', { name: 'Pages' })).toHaveCount(0);
    const out = other.page.getByRole('link', { name: 'Open in the full app' });
    const href = await out.getAttribute('href');
    assert.match(href, /#\/rbac$/);
    assert.ok(!href.includes('embed'));
    await expect(other.page.getByRole('heading', { name: 'Subject, namespaces and scope' })).toBeVisible();
    await other.context.close();
  }
});

test('?embed renders inside an iframe from another loopback port when frame-ancestors allows it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokenscope-embed-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Docs</title>');
  const docs = await serveStatic(dir);
  // The README's header, naming the docs site; and the default, which names none.
  const allowed = await serveStatic(dist, { headers: { 'content-security-policy': `frame-ancestors 'self' ${docs.origin}` } });
  const refused = await serveStatic(dist, { headers: { 'content-security-policy': "frame-ancestors 'none'" } });
  writeFileSync(join(dir, 'index.html'), `<!doctype html><title>Docs</title>
<iframe title="allowed" src="${allowed.url}?embed#/rbac" width="900" height="700"></iframe>
<iframe title="refused" src="${refused.url}?embed#/rbac" width="900" height="700"></iframe>`);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(docs.url);
    const frame = page.frameLocator('iframe[title="allowed"]');
    await expect(frame.getByRole('heading', { name: 'Subject, namespaces and scope' })).toBeVisible();
    await expect(frame.getByRole('navigation', { name: 'Pages' })).toHaveCount(0);
    await expect(frame.getByRole('link', { name: 'Open in the full app' })).toBeVisible();
    const blocked = page.frames().find((f) => f.url().startsWith(refused.url));
    const shown = blocked ? await blocked.locator('h2').count().catch(() => 0) : 0;
    assert.equal(shown, 0, 'frame-ancestors none must keep the app out of the frame');
  } finally {
    await context.close();
    await Promise.all([docs.close(), allowed.close(), refused.close()]);
  }
});

/** Presses `button` and gives the text of the file it downloads. */
async function download(page, button) {
  const dir = mkdtempSync(join(tmpdir(), 'tokenscope-export-'));
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const path = join(dir, file.suggestedFilename());
  await file.saveAs(path);
  return readFileSync(path, 'utf8');
}

test('an export is redacted by default; unticking Redact the export gives the real values', async () => {
  const { page, context } = await fresh(`${server.url}#/inspect`);
  await paste(page, 'Token', token);
  const group = page.getByRole('group', { name: 'Export' });
  for (const name of ['Export Markdown', 'Export JSON']) {
    const text = await download(page, group.getByRole('button', { name }));
    assert.ok(text.length > 100, name);
    assert.ok(!text.includes(tokenPayload) && !text.includes(tokenSignature), `${name} holds a token part`);
  }
  await group.getByLabel('Redact the export').uncheck();
  const real = await download(page, group.getByRole('button', { name: 'Export JSON' }));
  assert.ok(real.includes(tokenSignature));

  // Troubleshoot quotes what was pasted: a token in it is masked in the export too.
  await page.goto(`${server.url}#/troubleshoot`);
  await paste(page, 'Error message', `$ curl -H "Authorization: Bearer ${token}" https://10.0.0.5:6443/api/v1/namespaces/workshop/pods
Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:workshop:demo-app" cannot list resource "pods" in API group "" in the namespace "workshop"`);
  const markdown = await download(page, page.getByRole('group', { name: 'Export' }).getByRole('button', { name: 'Export Markdown' }));
  assert.match(markdown, /demo-app/);
  assert.ok(!markdown.includes(tokenPayload) && !markdown.includes(tokenSignature));
  await context.close();
});

test('Access and Audit exports hold no uid, token or Secret data by default', async () => {
  const uid = '36c8f0dd-02b2-4d40-b272-35ade876ae2e';
  const policy = vector('share/k8s-docs-simple-role.yaml').replace('metadata:\n', `metadata:\n  uid: ${uid}\n`)
    + vector('share/k8s-docs-simple-rolebinding-with-role.yaml');
  const { page, context } = await fresh(`${server.url}#/access`);
  await paste(page, 'Cluster RBAC', policy);
  await paste(page, 'Subject', 'user:jane');
  const access = await download(page, page.getByRole('group', { name: 'Export' }).getByRole('button', { name: 'Export JSON' }));
  assert.match(access, /pods/);
  assert.ok(!access.includes(uid));

  const secret = {
    apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token',
    metadata: { name: 'build-token', namespace: 'ci', uid, creationTimestamp: '2021-03-01T10:00:00Z',
      annotations: { 'kubernetes.io/service-account.name': 'build', 'kubernetes.io/service-account.uid': uid } },
    data: { token: Buffer.from(token).toString('base64'), namespace: Buffer.from('ci').toString('base64') },
  };
  await page.goto(`${server.url}#/audit`);
  await paste(page, 'Secrets', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [secret] }));
  for (const name of ['Export Markdown', 'Export JSON']) {
    const text = await download(page, page.getByRole('group', { name: 'Export' }).getByRole('button', { name }));
    assert.match(text, /Token Secrets|"report": "audit"/);
    for (const part of [uid, tokenPayload, tokenSignature, secret.data.token.slice(0, 40)]) assert.ok(!text.includes(part), `${name} holds ${part.slice(0, 12)}…`);
  }
  await context.close();
});
