// The Token request page, and the client code beside the kubeconfig, checked by real clients:
// the generated Python (the official kubernetes client, from tools/venv) and curl lines run
// against a local HTTPS stand-in API server whose certificate only a fresh test CA vouches for.
// Also: a form's first visit hints rather than scolds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:https';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from './expect.mjs';
import { serve, launch, open, paste, region, root, vector } from './harness.mjs';

let server;
let browser;
let api;
let dir;
const seen = [];

/** Mints a throwaway CA and a serving certificate for 127.0.0.1 with openssl. */
function mintPki() {
  const openssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'test-ca.crt', '-days', '2', '-subj', '/CN=tokenscope-e2e-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'test-ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', 'server.crt', '-days', '2', '-extfile', 'ext.cnf');
}

const pod = (name) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'demo' }, status: { phase: 'Running' } });

/** What the stand-in answers: the pods of `demo` as the API server would, `{}` for the rest. */
function answer(path) {
  if (path.startsWith('/api/v1/namespaces/demo/pods/')) return pod(decodeURIComponent(path.split('/').pop()));
  if (path.startsWith('/api/v1/namespaces/demo/pods')) return { apiVersion: 'v1', kind: 'PodList', metadata: {}, items: [pod('web-1')] };
  if (path === '/version') return { major: '1', minor: '31', gitVersion: 'v1.31.0-tokenscope-e2e' };
  return { kind: 'APIVersions', versions: ['v1'] };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tokenscope-token-'));
  mintPki();
  api = createServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.crt')) }, (req, res) => {
    seen.push({ path: req.url, authorization: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer(req.url.split('?')[0])));
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
const venvPython = join(root, 'tools', 'venv', 'bin', 'python3');

/** Runs `command` asynchronously (the stand-in answers from this same event loop). */
function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Clicks `button` and saves the download into the test's folder under its suggested name. */
async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button, exact: true }).click()]);
  const name = file.suggestedFilename();
  assert.match(name, /^[A-Za-z0-9@._-]+$/);
  await file.saveAs(join(dir, name));
  return name;
}

test('a first visit to each form hints at what is required and shows no error', async () => {
  const { page, context } = await open(browser, `${server.url}#/kubeconfig`);
  for (const route of ['#/kubeconfig', '#/rbac', '#/token']) {
    await page.goto(`${server.url}${route}`);
    const pending = page.getByRole('button', { name: 'Show what is missing' });
    await expect(pending).toBeVisible({ timeout: 15_000 });
    await expect(page.getByRole('alert')).toHaveCount(0);
    assert.equal(await page.locator('main .field-error').count(), 0, route);
    await pending.click();
    await expect(page.getByRole('alert')).toContainText('Not written yet');
  }
  await context.close();
});

test('the Token request form writes the command, the TokenRequest, the Pod and a marked preview', async () => {
  const { page, context, requests } = await open(browser, `${server.url}#/token`);
  await paste(page, 'Service account', 'app');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await paste(page, 'Namespace', 'demo');
  await paste(page, 'Duration', '5m');
  await expect(page.getByRole('alert')).toContainText('Duration');
  await paste(page, 'Duration', '2h');
  await paste(page, 'Audiences', 'vault');
  await expect(region(page, 'Token request')).toContainText('will not work against the cluster');
  await paste(page, 'Audiences', '');
  await page.getByLabel('Bound object', { exact: true }).selectOption('Pod');
  await paste(page, 'Bound object name', 'app-0');
  await paste(page, 'Mount path', '/var/run/secrets/app');
  await expect(page.getByRole('region', { name: 'kubectl create token command' })).toHaveText(
    'kubectl create token app --namespace=demo --duration=2h --bound-object-kind=Pod --bound-object-name=app-0',
  );
  await expect(page.getByRole('region', { name: 'TokenRequest curl' })).toContainText('/api/v1/namespaces/demo/serviceaccounts/app/token');
  await expect(page.getByRole('region', { name: 'TokenRequest curl' })).toContainText('--cacert');
  const requestFile = await download(page, 'Download TokenRequest JSON');
  const request = JSON.parse(readFileSync(join(dir, requestFile), 'utf8'));
  assert.equal(request.kind, 'TokenRequest');
  assert.equal(request.spec.expirationSeconds, 7200);
  assert.deepEqual(request.spec.boundObjectRef, { kind: 'Pod', apiVersion: 'v1', name: 'app-0' });
  const podFile = await download(page, 'Download Pod manifest');
  const manifest = readFileSync(join(dir, podFile), 'utf8');
  assert.match(manifest, /serviceAccountName: app/);
  assert.match(manifest, /automountServiceAccountToken: false/);
  assert.match(manifest, /expirationSeconds: 7200/);
  assert.match(manifest, /mountPath: \/var\/run\/secrets\/app/);
  for (const name of ['kubectl create token command', 'TokenRequest JSON', 'TokenRequest curl', 'Pod manifest']) {
    await expect(page.getByRole('button', { name: `Copy ${name}` })).toBeVisible();
  }
  // The preview, through the inspector's own report, marked and unsigned.
  const preview = region(page, 'Claims preview');
  await expect(preview.getByRole('note', { name: 'Preview notice' })).toContainText('It is not a token');
  await expect(region(page, 'Findings')).toContainText('Preview, unsigned');
  assert.doesNotMatch(await region(page, 'Findings').innerText(), /Signature not checked yet/);
  await expect(page.getByRole('region', { name: 'Payload JSON' })).toContainText('system:serviceaccount:demo:app');
  await expect(page.getByRole('region', { name: 'Payload JSON' })).toContainText('"pod"');
  await expect(region(page, 'Times')).toContainText('in 2 hours');
  // Redact masks the bound uid in every output.
  await paste(page, 'Bound object uid', '0b7e7c52-5d1e-4d4e-9a51-4c1f0f1a2b3c');
  await expect(page.getByRole('region', { name: 'kubectl create token command' })).toContainText('--bound-object-uid=0b7e7c52');
  await page.getByRole('switch', { name: 'Redact' }).check();
  await expect(page.getByRole('region', { name: 'kubectl create token command' })).toContainText('--bound-object-uid=\'0b7e••••••••\'');
  for (const name of ['kubectl create token command', 'TokenRequest JSON', 'Pod manifest', 'Payload JSON']) {
    assert.doesNotMatch(await page.getByRole('region', { name }).innerText(), /0b7e7c52-5d1e/, name);
  }
  assert.deepEqual(requests.filter((u) => !u.startsWith(server.url)), [], 'nothing left the page');
  await context.close();
});

/** Fills the kubeconfig form for the stand-in, downloads the kubeconfig, saves the CA. */
async function kubeconfigFor(page) {
  await paste(page, 'Cluster name', 'e2e');
  await paste(page, 'Server URL', apiUrl());
  await paste(page, 'CA certificate', readFileSync(join(dir, 'test-ca.crt'), 'utf8'));
  await paste(page, 'Token', token);
  await expect(page.getByRole('region', { name: 'Kubeconfig YAML' })).toContainText('certificate-authority-data');
  return download(page, 'Download kubeconfig');
}

test('the Python snippet, run with the official client, sends the token and trusts the CA', { skip: !existsSync(venvPython) && !process.env.CI && 'no tools/venv' }, async () => {
  const { page, context } = await open(browser, `${server.url}#/kubeconfig`);
  const kubeconfig = await kubeconfigFor(page);
  const code = region(page, 'Client code');
  await expect(code).toContainText('re-reads the token file');
  await expect(code.getByRole('button', { name: 'Copy Python: the kubeconfig file' })).toBeVisible();
  const script = await download(page, 'Download Python: the kubeconfig file');
  const source = readFileSync(join(dir, script), 'utf8');
  assert.match(source, new RegExp(`KUBECONFIG = "${kubeconfig.replace(/[.@]/g, '\\$&')}"`));
  assert.doesNotMatch(source, /^[^#\n]*verify_ssl\s*=\s*False/m);
  const before = seen.length;
  const result = await run(venvPython, [script]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /web-1/);
  assert.match(result.stdout, /web-1 Running/);
  const calls = seen.slice(before);
  assert.deepEqual(calls.map((c) => c.path.split('?')[0]), ['/api/v1/namespaces/demo/pods', '/api/v1/namespaces/demo/pods/web-1']);
  for (const call of calls) assert.equal(call.authorization, `Bearer ${token}`);
  // With another CA in the kubeconfig the client refuses the server: TLS is verified.
  const wrong = readFileSync(join(dir, kubeconfig), 'utf8').replace(
    /certificate-authority-data: \S+/,
    `certificate-authority-data: ${Buffer.from(vector('minted/ca.crt')).toString('base64')}`,
  );
  writeFileSync(join(dir, kubeconfig), wrong);
  const refused = await run(venvPython, [script]);
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /certificate|SSL/i);
  assert.equal(seen.length, before + calls.length, 'no request got through');
  await context.close();
});

test('the curl lines send the token to every endpoint and trust only the CA', async () => {
  const { page, context } = await open(browser, `${server.url}#/kubeconfig`);
  await kubeconfigFor(page);
  const script = await page.getByRole('region', { name: 'curl: the API by hand' }).innerText();
  const ca = /--cacert '?([^' ]+)'?/.exec(script)?.[1];
  assert.ok(ca, script);
  writeFileSync(join(dir, ca), readFileSync(join(dir, 'test-ca.crt')));
  const before = seen.length;
  const result = await run('bash', ['-c', script.replaceAll('curl --globoff', 'curl -sSf --globoff')], { TOKEN: token });
  assert.equal(result.status, 0, result.stderr);
  const calls = seen.slice(before);
  assert.deepEqual(calls.map((c) => c.path), ['/api', '/version', '/api/v1/namespaces/demo/pods', '/api/v1/namespaces/demo/pods/POD-NAME']);
  for (const call of calls) assert.equal(call.authorization, `Bearer ${token}`);
  // Without the CA, curl refuses the server.
  writeFileSync(join(dir, ca), vector('minted/ca.crt'));
  const refused = await run('bash', ['-c', script.replaceAll('curl --globoff', 'curl -sSf --globoff')], { TOKEN: token });
  assert.notEqual(refused.status, 0);
  assert.equal(seen.length, before + calls.length, 'no request got through');
  await context.close();
});

test('Inspect shows the PyJWT 2 way to decode without verifying, and it runs', async () => {
  const { page, context } = await open(browser, server.url);
  const snippet = page.getByRole('region', { name: 'Python: decode with PyJWT 2' });
  await expect(snippet).toContainText('jwt.decode(token, options={"verify_signature": False})');
  await expect(page.getByRole('button', { name: 'Copy Python: decode with PyJWT 2' })).toBeVisible();
  if (existsSync(venvPython)) {
    writeFileSync(join(dir, 'decode.py'), await snippet.innerText());
    const result = await run(venvPython, ['decode.py'], { TOKEN: token });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /system:serviceaccount:/);
  }
  await context.close();
});
