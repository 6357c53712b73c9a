// The CA inspector: each minted certificate in CA certificate, read as openssl would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from './expect.mjs';
import { start, stop, open, paste, region, vector, root, downloadSvg } from './harness.mjs';

let server;
let browser;
before(async () => ({ server, browser } = await start()));
after(() => stop({ server, browser }));

const facts = JSON.parse(vector('minted/facts.json'));
// A minute after the minted tokens were issued (2026-11-23T06:55:06Z): every minted certificate
// but the expired one is valid.
const ISSUED = JSON.parse(Buffer.from(vector('minted/token-bound-es256.jwt').split('.')[1], 'base64url')).iat;
const NOW_MS = (ISSUED + 60) * 1000;

async function openCa() {
  const opened = await open(browser, `${server.url}#/ca`, { clock: NOW_MS });
  return opened;
}

function row(page, cert, label) {
  return region(page, cert).getByRole('row', { name: label });
}

for (const file of ['ca.crt', 'ca.der.b64']) {
  test(`${file}: the root is explained with openssl's fingerprint`, async () => {
    const { page, context } = await openCa();
    await paste(page, 'CA certificate', vector(`minted/${file}`));
    const title = `Certificate 1 of 1: CN=${facts.ca_subject_cn}`;
    await expect(row(page, title, 'SHA-256 fingerprint')).toContainText(facts.ca_sha256);
    await expect(row(page, title, 'Valid until')).toContainText(facts.ca_not_after);
    await expect(row(page, title, 'Basic constraints')).toContainText('CA:TRUE');
    await expect(row(page, title, 'Self-signed')).toContainText('yes');
    await expect(region(page, 'Chain')).toContainText('Signature verified.');
    await context.close();
  });
}

test('chain.pem: two certificates, the intermediate verified by the root', async () => {
  const { page, context } = await openCa();
  await paste(page, 'CA certificate', vector('minted/chain.pem'));
  await expect(page.getByRole('heading', { name: /^Certificate 2 of 2/ })).toBeVisible();
  await expect(region(page, 'Chain')).toContainText('Signature verified.');
  await expect(region(page, 'Chain').getByText('Signature does NOT verify.')).toHaveCount(0);
  await context.close();
});

test('chain.pem is drawn: a row per certificate, a line to its signer, its words the Chain list, and Download SVG saves it', async () => {
  const { page, context } = await openCa();
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await paste(page, 'CA certificate', vector('minted/chain.pem'));
    const chain = region(page, 'Chain');
    await expect(chain).toContainText('Signature verified.');
    const picture = chain.getByRole('img', { name: /^Certificate chain: / });
    await expect(picture).toBeVisible();
    // Once both signatures are checked, its name says what the list beside it says.
    await expect(picture).toHaveAttribute(
      'aria-label',
      'Certificate chain: 1. CN=demo-cluster-ca-intermediate, signed by 2 (signature verified), valid now; 2. CN=demo-cluster-ca, self-signed (signature verified), valid now',
    );
    const items = await chain.getByRole('listitem').count();
    const name = await picture.getAttribute('aria-label');
    assert.equal(name.split('; ').length, items, name);
    // One line to a signer (the root signs itself: said, not drawn), in the verified colour.
    await expect(picture.locator('line.ch-ok')).toHaveCount(3);
    await expect(picture.locator('line.ch-fail')).toHaveCount(0);
    await picture.screenshot({ path: join(root, 'target', `chain-${scheme}.png`) });
  }
  const { name: file, text: svg } = await downloadSvg(page, region(page, 'Chain'));
  assert.equal(file, 'certificate-chain.svg');
  assert.ok(svg.includes('1. CN=demo-cluster-ca-intermediate'), svg.slice(0, 300));
  await context.close();
});

test('expired-ca.crt is flagged Expired', async () => {
  const { page, context } = await openCa();
  await paste(page, 'CA certificate', vector('minted/expired-ca.crt'));
  await expect(page.getByRole('list', { name: 'Findings for certificate 1' })).toContainText('Expired');
  await context.close();
});

test('server.crt is not a CA and shows its names', async () => {
  const { page, context } = await openCa();
  await paste(page, 'CA certificate', vector('minted/server.crt'));
  await expect(page.getByRole('list', { name: 'Findings for certificate 1' })).toContainText('Not a CA');
  await expect(page.getByRole('row', { name: /Subject alternative names/ })).toContainText('kubernetes.default.svc');
  await context.close();
});

test('certificates valid from before 1970, or with an x400Address among their names, are shown', async () => {
  const fixture = (name) => readFileSync(join(root, 'tests', 'fixtures', name), 'utf8');
  const { page, context } = await openCa();
  await paste(page, 'CA certificate', fixture('valid-1950-to-2049-p256.crt'));
  const old = 'Certificate 1 of 1: CN=valid-from-1950';
  await expect(row(page, old, 'Valid from')).toContainText('1950-01-01T00:00:00Z');
  await expect(row(page, old, 'Valid until')).toContainText('2049-12-31T23:59:59Z');
  await paste(page, 'CA certificate', fixture('x400-san-p256.crt'));
  await expect(row(page, 'Certificate 1 of 1: CN=x400-test', 'Subject alternative names')).toContainText(
    'DNS:kubernetes, X400Name:<unsupported>, DNS:kubernetes.default',
  );
  await expect(page.getByRole('alert')).toHaveCount(0);
  await context.close();
});

test('critical extensions and name constraints are listed, and a critical extension clients refuse is a finding', async () => {
  const { page, context } = await openCa();
  await paste(page, 'CA certificate', readFileSync(join(root, 'tests', 'fixtures', 'critical-extensions-p256.crt'), 'utf8'));
  const cert = 'Certificate 1 of 1: CN=critical-extensions-ca';
  await expect(row(page, cert, 'Critical extensions')).toContainText(
    'basicConstraints, keyUsage, nameConstraints, 1.3.6.1.4.1.55555.1, subjectKeyIdentifier',
  );
  await expect(row(page, cert, 'Other extensions')).toContainText('1.3.6.1.4.1.55555.1 (critical), authorityInfoAccess');
  await expect(row(page, cert, 'Name constraints')).toContainText(
    'permitted: DNS:cluster.local, IP:10.0.0.0/255.0.0.0, IP:FD00:0:0:0:0:0:0:0/FF00:0:0:0:0:0:0:0; excluded: DNS:internal.example',
  );
  await expect(page.getByRole('list', { name: 'Findings for certificate 1' })).toContainText(
    'Critical extension that clients refuse: 1.3.6.1.4.1.55555.1, subjectKeyIdentifier',
  );
  await context.close();
});

test('a critical nameConstraints or subjectAltName that Go reads only in part is a critical extension clients refuse', async () => {
  const { page, context } = await openCa();
  await paste(page, 'CA certificate', readFileSync(join(root, 'tests', 'fixtures', 'critical-dirname-p256.crt'), 'utf8'));
  const cert = 'Certificate 1 of 1: CN=dirname-constrained-ca';
  await expect(row(page, cert, 'Name constraints')).toContainText('permitted: DNS:cluster.local, DirName:O=Example');
  await expect(page.getByRole('list', { name: 'Findings for certificate 1' })).toContainText(
    'Critical extension that clients refuse: subjectAltName, nameConstraints',
  );
  await context.close();
});

test('the CA from a pasted Secret shows on the CA page, and bad input is explained', async () => {
  const { page, context } = await open(browser, server.url, { clock: NOW_MS });
  await paste(page, 'Token', vector('minted/secret.yaml'));
  await expect(region(page, 'Cluster CA')).toContainText(`CN=${facts.ca_subject_cn}`);
  await page.getByRole('link', { name: 'See it explained' }).click();
  await expect(page.getByRole('row', { name: /SHA-256 fingerprint/ })).toContainText(facts.ca_sha256);
  const pem = vector('minted/ca.crt');
  await paste(page, 'CA certificate', pem.slice(0, pem.length - 40));
  await expect(page.getByRole('alert')).toBeVisible();
  await paste(page, 'CA certificate', vector('real/keys/k8s-upstream-test-rsa.key.pem'));
  await expect(page.getByRole('alert')).toContainText('private key');
  await paste(page, 'CA certificate', 'bm90IGEgY2VydA==');
  await expect(page.getByRole('alert')).toBeVisible();
  await paste(page, 'CA certificate', pem);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await context.close();
});
