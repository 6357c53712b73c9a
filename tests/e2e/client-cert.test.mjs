// Client certificates minted by openssl at test time, pasted on Inspect as PEM and in a
// kubeconfig on Inspect and Kubeconfig: the page shows the subject, groups, issuer, serial and
// end date openssl prints, its WebCrypto check agrees with `openssl verify`, a system:masters
// certificate gets its finding, Check its access opens Access with that user and those groups,
// and Redact leaves no piece of the private key on screen. Without openssl the tests skip,
// except under CI=true, where that fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from './expect.mjs';
import { start, stop, open, paste, region, root } from './harness.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const haveOpenssl = spawnSync('openssl', ['version']).status === 0;
if (!haveOpenssl && process.env.CI === 'true') throw new Error('openssl is missing: install Debian\'s openssl');
const skip = !haveOpenssl && 'openssl is missing';

let server;
let browser;
let dir;

/** `openssl ca`'s configuration: the request's subject kept in its order, client-auth usage. */
const CA_CONFIG = `[ca]
default_ca = d
[d]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = p
unique_subject = no
[p]
organizationName = optional
commonName = supplied
[client]
extendedKeyUsage = clientAuth
keyUsage = critical, digitalSignature, keyEncipherment
`;

const RSA = ['-newkey', 'rsa:2048'];
const P256 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];

/** The CAs: the cluster's, an impostor of the same name with another key, and another CA. */
const CAS = [
  { name: 'ca', key: RSA, subject: '/CN=kubernetes' },
  { name: 'impostor', key: RSA, subject: '/CN=kubernetes' },
  { name: 'other', key: P256, subject: '/CN=other-ca' },
];

/** The client certificates, each checked against the cluster's CA `ca.crt`. */
const LEAVES = [
  { name: 'admin', key: RSA, subject: '/O=system:masters/O=dev team/CN=kubernetes-admin', ca: 'ca', dates: ['-days', '365', '-rand_serial'] },
  { name: 'utf8', key: P256, subject: '/O=équipe/O=dev/O=ops/CN=José Müller 日本', ca: 'ca', dates: ['-days', '30'] },
  { name: 'expired', key: RSA, subject: '/O=ops/CN=old-user', ca: 'ca', dates: ['-startdate', '20200101000000Z', '-enddate', '20210101000000Z'] },
  { name: 'impostor-signed', key: P256, subject: '/O=dev/CN=mallory', ca: 'impostor', dates: ['-days', '365'] },
  { name: 'other-signed', key: P256, subject: '/O=dev/CN=stranger', ca: 'other', dates: ['-days', '365'] },
];

const openssl = (...args) => execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const file = (name) => readFileSync(join(dir, name), 'utf8');

function mint() {
  writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '0A\n');
  for (const ca of CAS) {
    openssl('req', '-x509', '-nodes', '-days', '3650', '-subj', ca.subject, ...ca.key, '-keyout', `${ca.name}.key`, '-out', `${ca.name}.crt`);
  }
  for (const leaf of LEAVES) {
    openssl('req', '-new', '-nodes', '-utf8', '-subj', leaf.subject, ...leaf.key, '-keyout', `${leaf.name}.key`, '-out', `${leaf.name}.csr`);
    openssl('ca', '-batch', '-config', 'ca.cnf', '-cert', `${leaf.ca}.crt`, '-keyfile', `${leaf.ca}.key`, '-in', `${leaf.name}.csr`,
      '-out', `${leaf.name}.crt`, '-notext', '-preserveDN', '-utf8', '-extensions', 'client', ...leaf.dates);
  }
}

/** What openssl prints of a certificate: `openssl x509 -subject -issuer -enddate -serial`. */
function printed(name) {
  const out = openssl('x509', '-in', `${name}.crt`, '-noout', '-subject', '-issuer', '-enddate', '-serial', '-nameopt', 'RFC2253,-esc_msb');
  const field = (key) => out.split('\n').find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1).trim();
  // One attribute a line, in the DER's order: the order the API server reads the O values in.
  const lines = openssl('x509', '-in', `${name}.crt`, '-noout', '-subject', '-nameopt', 'sep_multiline,-esc_msb,sname,utf8')
    .split('\n').map((l) => l.trim());
  const values = (key) => lines.filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));
  return {
    subject: field('subject'),
    issuer: field('issuer'),
    // `Jan  1 00:00:00 2021 GMT` as the page writes it: 2021-01-01T00:00:00Z.
    notAfter: new Date(field('notAfter')).toISOString().replace('.000Z', 'Z'),
    serial: field('serial'),
    user: values('CN').at(-1),
    groups: values('O').join(', '),
  };
}

/** Whether `openssl verify` takes the certificate as signed by the cluster's CA (times aside). */
function verified(name) {
  return spawnSync('openssl', ['verify', '-no_check_time', '-CAfile', 'ca.crt', `${name}.crt`], { cwd: dir }).status === 0;
}

/** A kubeconfig of one context whose user signs in with `leaf`'s certificate and key. */
function kubeconfig(leaf, user) {
  const b64 = (name) => Buffer.from(file(name)).toString('base64');
  return `apiVersion: v1
kind: Config
clusters:
- name: kubernetes
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: ${b64('ca.crt')}
contexts:
- name: ${user}@kubernetes
  context:
    cluster: kubernetes
    user: ${user}
current-context: ${user}@kubernetes
users:
- name: ${user}
  user:
    client-certificate-data: ${b64(`${leaf}.crt`)}
    client-key-data: ${b64(`${leaf}.key`)}
`;
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'tokenscope-client-cert-'));
  mint();
  ({ server, browser } = await start());
});
after(async () => {
  await stop({ server, browser });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A row of a certificate's table, by its label. */
function row(table, label) {
  return table.getByRole('row', { name: label, exact: false }).first();
}

for (const leaf of LEAVES) {
  test(`${leaf.name}: the page shows what openssl prints, and its check agrees with openssl verify`, { skip }, async () => {
    const { page, context } = await open(browser, `${server.url}#/inspect`);
    try {
      const want = printed(leaf.name);
      await paste(page, 'CA certificate', file('ca.crt'));
      await paste(page, 'Token', file(`${leaf.name}.crt`));
      const section = region(page, 'Who this is');
      await expect(page.getByRole('status', { name: 'Recognised input' })).toContainText('a certificate, not a token');
      await expect(page.getByRole('alert')).toHaveCount(0);
      const table = section.getByRole('table', { name: 'Values of the pasted certificate' });
      const cell = async (label) => (await row(table, label).getByRole('cell').innerText()).trim();
      await expect(row(table, 'User (CN)')).toContainText(want.user);
      assert.equal(await cell('User (CN)'), want.user);
      assert.equal(await cell('Groups (O)'), want.groups);
      assert.equal(await cell('Subject'), want.subject);
      assert.equal(await cell('Issuer'), want.issuer);
      assert.equal((await cell('Serial number')).replaceAll(':', ''), want.serial);
      assert.ok((await cell('Valid until')).startsWith(want.notAfter), `${await cell('Valid until')} vs ${want.notAfter}`);

      const status = section.getByRole('list', { name: 'Who signed the pasted certificate' }).locator('.status');
      await expect(status).toHaveText(/^(Signed|NOT signed|Not signed)/);
      const said = (await status.innerText()).trim();
      assert.equal(said.startsWith('Signed by the pasted CA'), verified(leaf.name), said);

      const findings = section.getByRole('list', { name: 'Findings for the pasted certificate' });
      if (leaf.name === 'expired') await expect(findings).toContainText('Expired');
      if (leaf.name === 'admin') await expect(findings).toContainText('In system:masters');
      if (leaf.name === 'utf8') await expect(findings).toContainText('Expires within 30 days');
    } finally {
      await context.close();
    }
  });
}

test('a kubeconfig with a system:masters certificate: the finding, and Check its access answers Yes to everything', { skip }, async () => {
  const { page, context } = await open(browser, `${server.url}#/inspect`);
  try {
    await paste(page, 'Token', kubeconfig('admin', 'kubernetes-admin'));
    const user = region(page, 'User kubernetes-admin');
    await expect(user.getByRole('list', { name: 'Findings for user kubernetes-admin' })).toContainText('In system:masters: bypasses RBAC');
    await expect(user.getByRole('list', { name: 'Findings for user kubernetes-admin' })).toContainText('A private key was pasted');
    await expect(user.getByRole('list', { name: 'Who signed user kubernetes-admin' }))
      .toContainText('Signed by the cluster\'s CA (certificate-authority-data): the signature verifies');
    await user.getByRole('button', { name: 'Check its access' }).click();
    await page.waitForURL(/#\/access/);
    await expect(page.getByLabel('Subject', { exact: true })).toHaveValue('user:kubernetes-admin, group:system:masters, group:dev team');
    // The focus lands on the subject now in use, and screen readers are told so.
    await expect(page.getByRole('status', { name: 'Subject in use' })).toBeFocused();
    await expect(page.locator('#arrived')).toHaveText('Access filled from the certificate: its user and groups are the subject below.');
    await expect(page.getByRole('status', { name: 'Subject in use' })).toContainText('kubernetes-admin');
    await expect(page.getByRole('status', { name: 'Subject in use' })).toContainText('system:masters, dev team, system:authenticated');
    await paste(page, 'Cluster RBAC', readFileSync(join(root, 'demo/rbac.yaml'), 'utf8'));
    const can = region(page, 'Can I');
    await can.getByLabel('Verb', { exact: true }).fill('delete');
    await can.getByLabel('Resource', { exact: true }).fill('secrets');
    await can.getByLabel('Namespace', { exact: true }).fill('kube-system');
    await expect(page.getByRole('status', { name: 'Can I answer' })).toHaveText(/^Yes: .*system:masters.*before RBAC/);
  } finally {
    await context.close();
  }
});

test('Load kubeconfig on the Kubeconfig page shows the same section', { skip }, async () => {
  const { page, context } = await open(browser, `${server.url}#/kubeconfig`);
  try {
    await paste(page, 'Load kubeconfig', kubeconfig('utf8', 'jose'));
    const user = region(page, 'User jose');
    const want = printed('utf8');
    const table = user.getByRole('table', { name: 'Values of user jose' });
    await expect(row(table, 'User (CN)')).toContainText(want.user);
    await expect(row(table, 'Groups (O)')).toContainText(want.groups);
    await expect(user.getByRole('list', { name: 'Who signed user jose' })).toContainText('Signed by the cluster\'s CA');
    await expect(user.getByRole('button', { name: 'Check its access' })).toBeVisible();
  } finally {
    await context.close();
  }
});

/** Everything a page shows as text, but the values of the fields Redact masks on screen. */
async function pageText(page) {
  return page.evaluate(() => {
    const parts = [document.body.innerText];
    for (const e of document.querySelectorAll('pre, code')) parts.push(e.textContent);
    for (const e of document.querySelectorAll('*')) for (const a of e.attributes) parts.push(a.value);
    for (const e of document.querySelectorAll('textarea, input, select')) {
      const style = getComputedStyle(e);
      const masked = style.getPropertyValue('-webkit-text-security') === 'disc'
        || (style.color === 'rgba(0, 0, 0, 0)' && style.backgroundImage.includes('radial-gradient'));
      if (!masked) parts.push(e.value);
    }
    return parts.join('\n');
  });
}

test('with Redact on, no piece of the private key is on screen, and the page says one was pasted', { skip }, async () => {
  const { page, context } = await open(browser, `${server.url}#/inspect`);
  try {
    await page.getByRole('switch', { name: 'Redact' }).check();
    const key = file('admin.key');
    const keyB64 = Buffer.from(key).toString('base64');
    const pieces = [
      ...key.split('\n').filter((l) => l && !l.startsWith('-----')),
      ...keyB64.match(/.{1,40}/g).slice(1),
    ].filter((p) => p.length >= 16);
    const config = kubeconfig('admin', 'kubernetes-admin');
    // In a kubeconfig on Inspect and Kubeconfig, and pasted with its certificate as PEM.
    await paste(page, 'Token', config);
    await expect(region(page, 'User kubernetes-admin')).toContainText('A private key (client-key-data) was pasted');
    let text = await pageText(page);
    assert.deepEqual(pieces.filter((p) => text.includes(p)), [], 'Inspect, kubeconfig');
    await paste(page, 'Token', `${file('admin.crt')}${key}`);
    await expect(region(page, 'Who this is')).toContainText('A private key was pasted');
    text = await pageText(page);
    assert.deepEqual(pieces.filter((p) => text.includes(p)), [], 'Inspect, PEM');
    await page.getByRole('link', { name: 'Kubeconfig', exact: true }).click();
    await paste(page, 'Load kubeconfig', config);
    await expect(region(page, 'User kubernetes-admin')).toContainText('In system:masters');
    text = await pageText(page);
    assert.deepEqual(pieces.filter((p) => text.includes(p)), [], 'Kubeconfig');
  } finally {
    await context.close();
  }
});

test('the section: no serious accessibility violations in either theme, and it fits a phone', { skip }, async () => {
  const { page, context } = await open(browser, `${server.url}#/inspect`);
  try {
    await page.setViewportSize({ width: 375, height: 800 });
    await paste(page, 'Token', kubeconfig('admin', 'kubernetes-admin'));
    await expect(region(page, 'User kubernetes-admin')).toContainText('Signed by');
    await page.evaluate(axeSource);
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`), [], scheme);
    }
    const { scroll, width } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      width: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= width, `${scroll}px wide in a ${width}px viewport`);
  } finally {
    await context.close();
  }
});
