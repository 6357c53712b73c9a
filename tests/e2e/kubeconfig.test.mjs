// The kubeconfig builder, checked by a real client: fill the form in Chromium, download the
// file, and point kubectl at a local HTTPS server whose certificate a fresh test CA signed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:https';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from './expect.mjs';
import { serve, launch, open, paste, region, vector } from './harness.mjs';

let server;
let browser;
let api;
let dir;
const seen = [];

/** Mints a throwaway CA and a serving certificate for 127.0.0.1 with openssl. */
function mintPki() {
  const openssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=tokenscope-e2e-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', 'server.crt', '-days', '2', '-extfile', 'ext.cnf');
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tokenscope-kubeconfig-'));
  mintPki();
  // A stand-in API server: answers /version and records the Authorization header it got.
  api = createServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.crt')) }, (req, res) => {
    seen.push({ path: req.url, authorization: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ major: '1', minor: '31', gitVersion: 'v1.31.0-tokenscope-e2e' }));
  });
  await new Promise((ok) => api.listen(0, '127.0.0.1', ok));
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((ok) => (api ? api.close(ok) : ok()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const token = vector('minted/token-bound-es256.jwt').trim();
const apiUrl = () => `https://127.0.0.1:${api.address().port}`;

/**
 * Runs kubectl with only the downloaded kubeconfig (and an empty HOME). Asynchronously: the
 * stand-in API server answers from this same event loop.
 */
function kubectl(kubeconfig, ...args) {
  return new Promise((resolve) => {
    const child = spawn('kubectl', ['--kubeconfig', kubeconfig, '--request-timeout=10s', ...args], {
      env: { PATH: process.env.PATH, HOME: dir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function fillForm(page, ca) {
  await paste(page, 'Cluster name', 'e2e cluster #1');
  await paste(page, 'Server URL', apiUrl());
  await paste(page, 'CA certificate', ca);
  await paste(page, 'Token', token);
  await expect(page.getByRole('region', { name: 'Kubeconfig YAML' })).toContainText('certificate-authority-data');
}

async function download(page, name) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download kubeconfig' }).click(),
  ]);
  assert.match(file.suggestedFilename(), /^[A-Za-z0-9._-]+$/);
  assert.match(file.suggestedFilename(), /e2e/);
  const path = join(dir, name);
  await file.saveAs(path);
  return path;
}

test('kubectl trusts the downloaded kubeconfig and sends the token', async () => {
  const { page, context } = await open(browser, `${server.url}#/kubeconfig`);
  await fillForm(page, readFileSync(join(dir, 'ca.crt'), 'utf8'));
  await expect(page.getByLabel('User name', { exact: true })).toHaveValue('');
  await expect(page.getByRole('region', { name: 'Kubeconfig YAML' })).toContainText('podgetter@e2e cluster #1');
  const path = await download(page, 'good.yaml');
  const result = await kubectl(path, 'get', '--raw', '/version');
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /tokenscope-e2e/);
  assert.equal(seen.at(-1).authorization, `Bearer ${token}`);
  const view = await kubectl(path, 'config', 'view', '--raw', '-o', 'jsonpath={.contexts[0].context.namespace}');
  assert.equal(view.stdout, 'demo');
  await expect(page.getByRole('region', { name: 'kubectl commands' })).toContainText('--embed-certs');
  await expect(page.getByRole('region', { name: 'curl command' })).toContainText('Authorization: Bearer');
  await expect(page.getByRole('region', { name: 'can-i command' })).toContainText('auth can-i --list');
  await context.close();
});

test('with the wrong CA, kubectl refuses the server', async () => {
  const { page, context } = await open(browser, `${server.url}#/kubeconfig`);
  await fillForm(page, vector('minted/ca.crt'));
  const path = await download(page, 'wrong-ca.yaml');
  const before = seen.length;
  const result = await kubectl(path, 'get', '--raw', '/version');
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /x509|certificate/i);
  assert.equal(seen.length, before, 'no request got through');
  await context.close();
});

test('the rules: skip-TLS drops the CA loudly, garbage servers are refused, http warns', async () => {
  const { page, context } = await open(browser, `${server.url}#/kubeconfig`);
  await fillForm(page, vector('minted/ca.crt'));
  await page.getByLabel('Skip TLS verification').check();
  const yaml = page.getByRole('region', { name: 'Kubeconfig YAML' });
  await expect(yaml).toContainText('insecure-skip-tls-verify: true');
  assert.doesNotMatch(await yaml.innerText(), /certificate-authority-data/);
  await expect(region(page, 'Cluster and credentials')).toContainText('CA');
  await page.getByLabel('Skip TLS verification').uncheck();
  await paste(page, 'Server URL', 'not a url');
  await expect(page.getByRole('alert')).toContainText('Server URL');
  await paste(page, 'Server URL', 'http://127.0.0.1:8080');
  await expect(yaml).toContainText('server: http://127.0.0.1:8080');
  await paste(page, 'CA certificate', '-----BEGIN CERTIFICATE-----\nnope\n');
  await expect(page.getByRole('alert').first()).toBeVisible();
  await context.close();
});

test('a Secret pasted on #/inspect prefills the token and CA; a kubeconfig can be loaded', async () => {
  const { page, context } = await open(browser, server.url);
  await paste(page, 'Token', vector('minted/secret.yaml'));
  await page.getByRole('link', { name: 'Kubeconfig' }).click();
  await expect(page.getByLabel('Token', { exact: true })).toHaveValue(/^eyJ/);
  await expect(page.getByLabel('CA certificate', { exact: true })).toHaveValue(/BEGIN CERTIFICATE/);
  await expect(page.getByLabel('Namespace')).toHaveAttribute('placeholder', 'demo');
  await paste(page, 'Load kubeconfig', vector('minted/kubeconfig.yaml'));
  await expect(page.getByRole('status', { name: 'Loaded context' })).toContainText('podgetter@prod');
  await expect(page.getByLabel('Cluster name')).toHaveValue('prod');
  await expect(page.getByLabel('Server URL')).toHaveValue('https://127.0.0.1:6443');
  await context.close();
});
