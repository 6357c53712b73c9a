// Redact, tried the way a projector would betray it: with the switch on, every page is filled
// with values that carry secrets (a token pasted as a Secret and in a kubeconfig, the
// kubeconfig builder given the token whole, line-wrapped and as a static token the YAML writer
// must escape, the RBAC builder with its token Secret, Access with the token's service
// account), and the whole of each page is searched for each secret in every form it could
// take on screen: raw, JSON-escaped, shell-quoted, base64 and base64url, and wrapped over
// lines. Clear, with Redact on, forgets the token and nothing else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from './expect.mjs';
import { start, stop, paste, region, b64url, vector } from './harness.mjs';

let server;
let browser;
let session;
before(async () => ({ server, browser, session } = await start({ page: true })));
after(() => stop({ server, browser, session }));

const now = Math.floor(Date.now() / 1000);
const namespace = 'redact-ns';
const account = 'redact-sa';
/** Every uid and token id below is a secret: each run makes new ones, so none is in the app. */
const uids = {
  jti: randomUUID(),
  'service account uid': randomUUID(),
  'pod uid': randomUUID(),
  'node uid': randomUUID(),
  'uid inside an unknown claim': randomUUID(),
  'legacy jti': randomUUID(),
  'legacy service account uid': randomUUID(),
  'Secret uid': randomUUID(),
};
const header = b64url({ alg: 'RS256', kid: 'redact-e2e-kid' });
const sign = () => randomBytes(256).toString('base64url');

const boundPayload = b64url({
  aud: ['https://kubernetes.default.svc.cluster.local'],
  exp: now + 3600,
  iat: now,
  iss: 'https://kubernetes.default.svc.cluster.local',
  jti: uids.jti,
  'kubernetes.io': {
    namespace,
    node: { name: 'node-1', uid: uids['node uid'] },
    pod: { name: 'app-5f7c9d8b6-x2k4p', uid: uids['pod uid'] },
    serviceaccount: { name: account, uid: uids['service account uid'] },
  },
  nbf: now,
  sub: `system:serviceaccount:${namespace}:${account}`,
  // A claim the app does not know, holding a uid: masked by what it is, not by its row's name.
  'example.com/owner': { kind: 'Deployment', uid: uids['uid inside an unknown claim'] },
});
const boundSignature = sign();
const bound = `${header}.${boundPayload}.${boundSignature}`;

const legacyPayload = b64url({
  iss: 'kubernetes/serviceaccount',
  jti: uids['legacy jti'],
  'kubernetes.io/serviceaccount/namespace': namespace,
  'kubernetes.io/serviceaccount/secret.name': `${account}-token-x7k2p`,
  'kubernetes.io/serviceaccount/service-account.name': account,
  'kubernetes.io/serviceaccount/service-account.uid': uids['legacy service account uid'],
  sub: `system:serviceaccount:${namespace}:${account}`,
});
const legacySignature = sign();
const legacy = `${header}.${legacyPayload}.${legacySignature}`;

/** The bound token as a terminal wraps it when copied: the YAML writer must escape the break. */
const wrapped = `${bound.slice(0, 300)}\n${bound.slice(300, 700)}\r\n${bound.slice(700)}`;
/** A static (not JWT) token with characters the YAML writer and the shell quote must escape. */
const staticToken = `st4tic"t0ken\\with#quotes'and:colons ${randomBytes(24).toString('hex')}`;

const secrets = {
  'bound token': bound,
  'bound payload': boundPayload,
  'bound signature': boundSignature,
  'legacy token': legacy,
  'legacy payload': legacyPayload,
  'legacy signature': legacySignature,
  'wrapped token': wrapped,
  'static token': staticToken,
  ...uids,
};

/** Each form a secret can take on screen, keyed by how it was written. */
function forms(secret) {
  const bytes = Buffer.from(secret);
  const out = {
    raw: secret,
    'JSON-escaped': JSON.stringify(secret).slice(1, -1),
    'shell-quoted': secret.replaceAll("'", "'\\''"),
    base64: bytes.toString('base64').replace(/=+$/, ''),
    base64url: bytes.toString('base64url'),
  };
  // A base64url segment decoded and written again in the standard alphabet.
  if (/^[A-Za-z0-9_-]{16,}$/.test(secret)) out['same bytes in base64'] = Buffer.from(secret, 'base64url').toString('base64').replace(/=+$/, '');
  // Each distinct text once, under the first name that gives it.
  const seen = new Set();
  return Object.fromEntries(Object.entries(out).filter(([, v]) => !seen.has(v) && seen.add(v)));
}

/**
 * Everything a page shows or holds as text: what is rendered (innerText), every <pre> and <code>
 * (also when scrolled or hidden), every attribute (titles, labels, placeholders), and every
 * form control's value unless the control masks it on screen (Redact puts the pasted fields'
 * text behind discs, or a long line's behind a pattern of them). Control values are read from the elements, not from attributes.
 */
async function pageText(page) {
  return page.evaluate(() => {
    const parts = [document.body.innerText];
    for (const e of document.querySelectorAll('pre, code')) parts.push(e.textContent);
    for (const e of document.querySelectorAll('*')) for (const a of e.attributes) parts.push(a.value);
    for (const e of document.querySelectorAll('textarea, input, select')) {
      // Discs, or for a field holding a long line, transparent text over a pattern of discs.
      const style = getComputedStyle(e);
      const masked = style.getPropertyValue('-webkit-text-security') === 'disc' || e.type === 'password'
        || (style.color === 'rgba(0, 0, 0, 0)' && style.backgroundImage.includes('radial-gradient'));
      if (!masked) parts.push(e.value);
    }
    return parts.join('\n');
  });
}

/** Where `secret`, in any of its forms, is in `text`, also once lines are joined again. */
function leaks(text, name, secret) {
  // Wrapped output joined again: backslash-newline continuations, escaped and real line
  // breaks, and any white space between the pieces taken out.
  const joined = text.replace(/\\\r?\n/g, '').replace(/\\[nrt]/g, '').replace(/\s+/g, '');
  const found = [];
  for (const [form, value] of Object.entries(forms(secret))) {
    if (value.length < 12) continue;
    if (text.includes(value)) found.push(`${name} (${form})`);
    else if (joined.includes(value.replace(/\s+/g, ''))) found.push(`${name} (${form}, wrapped)`);
  }
  return found;
}

const pages = {
  inspect: async (page) => {
    await page.getByRole('heading', { name: 'Paste', exact: true }).waitFor();
    await region(page, 'Segments').waitFor();
    await region(page, 'Raw JSON').waitFor();
  },
  ca: async (page) => {
    await page.getByRole('heading', { name: 'Cluster CA', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Chain', exact: true }).waitFor();
  },
  kubeconfig: async (page) => {
    await page.getByRole('heading', { name: 'Cluster and credentials' }).waitFor();
    await page.getByRole('heading', { name: 'Start from an existing kubeconfig' }).waitFor();
  },
  rbac: async (page) => {
    await page.getByRole('heading', { name: 'Manifests' }).waitFor();
  },
  access: async (page) => {
    await page.getByRole('heading', { name: 'Roles and bindings' }).waitFor();
  },
  learn: async (page) => {
    await page.getByRole('heading', { name: /^Guided walk/ }).waitFor();
  },
};

/** Visits every page and lists each secret found on it, after `step`. */
async function sweep(page, step, found) {
  for (const [name, ready] of Object.entries(pages)) {
    await page.goto(`${server.url}#/${name}`);
    await ready(page);
    // The details of a paste are painted a frame after its summary.
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    const text = await pageText(page);
    // The search must see the page: the inspected token's account is no secret and is shown.
    if (name === 'inspect' && !text.includes(`system:serviceaccount:${namespace}:${account}`)) {
      found.push(`after ${step}: the Inspect page shows no token`);
    }
    for (const [secret, value] of Object.entries(secrets)) {
      for (const leak of leaks(text, secret, value)) found.push(`after ${step}: ${leak} on #/${name}`);
    }
  }
}

const ca = vector('minted/ca.crt');
const caData = Buffer.from(ca).toString('base64');

const secretYaml = `apiVersion: v1
kind: Secret
type: kubernetes.io/service-account-token
metadata:
  name: ${account}-token-x7k2p
  namespace: ${namespace}
  uid: ${uids['Secret uid']}
  annotations:
    kubernetes.io/service-account.name: ${account}
    kubernetes.io/service-account.uid: ${uids['legacy service account uid']}
data:
  ca.crt: ${caData}
  namespace: ${Buffer.from(namespace).toString('base64')}
  token: ${Buffer.from(legacy).toString('base64')}
`;

const kubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster:
    server: https://203.0.113.10:6443
    certificate-authority-data: ${caData}
users:
- name: bound
  user:
    token: ${bound}
- name: legacy
  user:
    token: ${legacy}
contexts:
- name: bound@prod
  context: {cluster: prod, user: bound, namespace: ${namespace}}
- name: legacy@prod
  context: {cluster: prod, user: legacy, namespace: ${namespace}}
current-context: bound@prod
`;

const rbac = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: ${namespace}}
rules:
- apiGroups: [""]
  resources: [pods, secrets]
  verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: ${namespace}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects:
- {kind: ServiceAccount, name: ${account}, namespace: ${namespace}}
`;

test('with Redact on, no page shows a secret in any form', async () => {
  const { page, pageErrors } = session;
  const found = [];
  await page.goto(`${server.url}#/inspect`);
  await page.getByRole('switch', { name: 'Redact' }).check();

  // A Secret with a legacy token, its CA and its uids.
  await paste(page, 'Token', secretYaml);
  await expect(page.getByRole('status', { name: 'Recognised input' })).toContainText('Secret');
  await sweep(page, 'a Secret pasted', found);

  // A kubeconfig with two users; both tokens inspected in turn.
  await page.goto(`${server.url}#/inspect`);
  await paste(page, 'Token', kubeconfig);
  await expect(region(page, 'Summary').locator('.badge')).toHaveText(/^Bound/);
  await sweep(page, 'a kubeconfig pasted (bound token)', found);
  await page.goto(`${server.url}#/inspect`);
  await page.getByLabel('Token to inspect').selectOption({ index: 1 });
  await expect(region(page, 'Summary').locator('.badge')).toHaveText(/^Legacy/);
  await sweep(page, 'a kubeconfig pasted (legacy token)', found);

  // The kubeconfig builder: loaded from a kubeconfig, then the token typed in other shapes.
  await page.goto(`${server.url}#/kubeconfig`);
  await paste(page, 'Load kubeconfig', kubeconfig);
  await expect(page.getByRole('status', { name: 'Loaded context' })).toContainText('bound@prod');
  await expect(page.getByRole('region', { name: 'Kubeconfig YAML' })).toContainText('bound@prod');
  await sweep(page, 'a kubeconfig loaded into the builder', found);
  // A line-wrapped token is refused (the API server would refuse it too): nothing is written.
  await page.goto(`${server.url}#/kubeconfig`);
  await page.locator('#kc-token').fill(wrapped);
  await expect(page.getByRole('main')).toContainText('Token has a line break inside');
  await sweep(page, 'a line-wrapped token typed into the builder', found);
  await page.goto(`${server.url}#/kubeconfig`);
  await page.locator('#kc-token').fill(staticToken);
  await expect(page.getByRole('region', { name: 'Kubeconfig YAML' })).toContainText('bound@prod');
  await sweep(page, 'a static token typed into the builder', found);

  // The RBAC builder for the token's account, with its token Secret; Access for the account.
  await page.goto(`${server.url}#/rbac`);
  await page.getByRole('button', { name: 'Read pods', exact: true }).click();
  await page.getByLabel('Service account', { exact: true }).fill(account);
  await page.getByLabel('Namespace', { exact: true }).fill(namespace);
  await page.getByLabel('Token Secret').check();
  await expect(page.getByRole('region', { name: 'RBAC YAML' })).toContainText('kubernetes.io/service-account-token');
  await page.goto(`${server.url}#/access`);
  await paste(page, 'Cluster RBAC', rbac);
  await page.getByLabel('Subject', { exact: true }).fill(`system:serviceaccount:${namespace}:${account}`);
  await page.locator('#can-verb').fill('get');
  await page.locator('#can-resource').fill('secrets');
  await page.locator('#can-namespace').fill(namespace);
  await expect(page.getByRole('status', { name: 'Can I answer' })).toContainText(/^Yes/);
  await sweep(page, 'RBAC and Access filled', found);

  assert.deepEqual(found, [], 'secrets on screen with Redact on');
  assert.deepEqual(pageErrors, []);
});

test('Clear, with Redact on, forgets the token and keeps Redact, the RBAC builder and Access', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/rbac`);
  const redact = page.getByRole('switch', { name: 'Redact' });
  await redact.check();
  await page.getByLabel('Service account', { exact: true }).fill('kept-sa');
  await page.goto(`${server.url}#/access`);
  await paste(page, 'Cluster RBAC', rbac);
  await expect(page.getByRole('status', { name: 'Read RBAC' })).toContainText('Read 1 roles and 1 bindings');
  await page.goto(`${server.url}#/kubeconfig`);
  await page.getByLabel('Cluster name', { exact: true }).fill('kept-cluster');

  await page.goto(`${server.url}#/inspect`);
  await paste(page, 'Token', bound);
  await expect(region(page, 'Summary').locator('.badge')).toHaveText(/^Bound/);
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(page.getByLabel('Token', { exact: true })).toHaveValue('');
  await expect(page.getByRole('heading', { name: 'What you will see' })).toBeVisible();
  assert.equal(await redact.isChecked(), true, 'Redact stays on');

  await page.goto(`${server.url}#/rbac`);
  await expect(page.getByLabel('Service account', { exact: true })).toHaveValue('kept-sa');
  await page.goto(`${server.url}#/access`);
  await expect(page.getByRole('status', { name: 'Read RBAC' })).toContainText('Read 1 roles and 1 bindings');
  await page.goto(`${server.url}#/kubeconfig`);
  await expect(page.getByLabel('Cluster name', { exact: true })).toHaveValue('kept-cluster');
  const token = page.locator('#kc-token');
  assert.equal(await token.inputValue(), '', 'the token that followed the inspector is cleared');
});

// Tokens embedded in what people paste: error lines, kubectl's -v=8 log, quoted authorizer
// reasons, audit events, a Secret dump. Redact masks them by their shape on every page, wherever
// a page quotes the paste (parts tables, diagnoses, reasons, cells), and Copy still gives them.
const embeddedJti = randomUUID();
const embeddedPayload = b64url({
  iss: 'https://kubernetes.default.svc.cluster.local',
  sub: `system:serviceaccount:${namespace}:${account}`,
  aud: ['https://kubernetes.default.svc.cluster.local'],
  exp: now + 3600,
  iat: now,
  nbf: now,
  jti: embeddedJti,
  'kubernetes.io': { namespace, serviceaccount: { name: account, uid: randomUUID() } },
});
const embeddedSignature = sign();
const embedded = `${header}.${embeddedPayload}.${embeddedSignature}`;
const opaque = `s3cr3t-${randomBytes(16).toString('hex')}`;
const keyBody = Array.from({ length: 4 }, () => randomBytes(48).toString('base64')).join('\n');
const dataValue = randomBytes(24).toString('base64');
const embeddedSecrets = {
  'embedded payload': embeddedPayload,
  'embedded signature': embeddedSignature,
  'opaque bearer token': opaque,
  'private key line': keyBody.split('\n')[1],
  'Secret data value': dataValue,
  'token as Secret data': Buffer.from(embedded).toString('base64'),
};

// Shaped like the real pastes in tests/fixtures/real/redact/ (kubectl -v=8 with the token,
// curl with a Bearer header, `kubectl get secret -o yaml`), with this run's secrets.
const verboseLog = `I1207 10:00:00.000000   12345 round_trippers.go:466] curl -v -XGET  -H "Accept: application/json, */*" -H "Authorization: Bearer ${embedded}" 'https://203.0.113.10:6443/api/v1/namespaces/${namespace}/pods?limit=500'
I1207 10:00:00.100000   12345 round_trippers.go:553] GET https://203.0.113.10:6443/api/v1/namespaces/${namespace}/pods?limit=500 401 Unauthorized in 3 milliseconds`;
const errors = {
  unauthorized: `${verboseLog}
error: You must be logged in to the server (Unauthorized): token ${embedded} rejected, --token=${opaque}`,
  forbidden: `${verboseLog.replace('401 Unauthorized', '403 Forbidden')}
Error from server (Forbidden): secrets "db" is forbidden: User "system:serviceaccount:${namespace}:${account}" cannot get resource "secrets" in API group "" in the namespace "${namespace}": webhook: "Authorization: Bearer ${opaque}" denied for ${embedded}`,
  x509: `$ kubectl --token=${opaque} get pods
Unable to connect to the server: x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "kubernetes"), bearer ${embedded}
-----BEGIN RSA PRIVATE KEY-----
${keyBody}
-----END RSA PRIVATE KEY-----
apiVersion: v1
kind: Secret
data:
  password: ${dataValue}
  token: ${Buffer.from(embedded).toString('base64')}
`,
};

/** One audit event of the embedded token's account, its reason quoting credentials. */
function auditEvent(verb, resource, decision, reason) {
  return JSON.stringify({
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: randomUUID(), stage: 'ResponseComplete', verb,
    requestURI: `/api/v1/namespaces/${namespace}/${resource}`,
    user: {
      username: `system:serviceaccount:${namespace}:${account}`,
      groups: ['system:serviceaccounts', 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${embeddedJti}`] },
    },
    objectRef: { resource, namespace, apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: decision === 'allow' ? 200 : 403 },
    requestReceivedTimestamp: '2026-12-01T10:00:00.000000Z', stageTimestamp: '2026-12-01T10:00:00.000000Z',
    annotations: { 'authorization.k8s.io/decision': decision, 'authorization.k8s.io/reason': reason },
  });
}
const auditLog = [
  auditEvent('list', 'pods', 'allow', `RBAC: allowed by RoleBinding "reader/${namespace}" of Role "reader" to ServiceAccount "${account}/${namespace}"; Bearer ${opaque}`),
  auditEvent('get', 'secrets', 'forbid', `webhook: token ${embedded} is not allowed to get secrets`),
].join('\n');

const secretDump = JSON.stringify({
  apiVersion: 'v1', kind: 'List',
  items: [{
    apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token',
    metadata: {
      name: `${account}-token-x7k2p`, namespace, uid: randomUUID(),
      annotations: {
        'kubernetes.io/service-account.name': account,
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ data: { token: Buffer.from(embedded).toString('base64') } }),
      },
    },
    data: { token: Buffer.from(embedded).toString('base64'), namespace: Buffer.from(namespace).toString('base64') },
  }],
});

const allPages = {
  ...pages,
  // The CA field holds the x509 error here, not a certificate: there is no chain to wait for.
  ca: async (page) => page.getByRole('heading', { name: 'Cluster CA', exact: true }).waitFor(),
  troubleshoot: async (page) => page.getByRole('heading', { name: 'Troubleshoot an error' }).waitFor(),
  token: async (page) => page.getByRole('heading', { name: 'Token request', exact: true }).waitFor(),
  audit: async (page) => page.getByRole('heading', { name: 'Token Secrets', exact: true }).waitFor(),
  activity: async (page) => page.getByRole('heading', { name: 'Activity', exact: true }).waitFor(),
};

/** Searches `names` (all pages when empty) for the embedded secrets after `step`. */
async function sweepEmbedded(page, step, found, names = Object.keys(allPages)) {
  for (const name of names) {
    await page.goto(`${server.url}#/${name}`);
    await allPages[name](page);
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    const text = await pageText(page);
    for (const [secret, value] of Object.entries(embeddedSecrets)) {
      for (const leak of leaks(text, secret, value)) {
        const at = text.indexOf(value);
        found.push(`after ${step}: ${leak} on #/${name}${at < 0 ? '' : `: …${text.slice(Math.max(0, at - 80), at + 20)}…`}`);
      }
    }
  }
}

/** What the next Copy puts on the clipboard, read from the page's own call. */
async function copied(page, click) {
  await page.evaluate(() => {
    window.copiedTexts = [];
    navigator.clipboard.writeText = async (text) => { window.copiedTexts.push(text); };
  });
  await click();
  return page.evaluate(() => window.copiedTexts.join('\n'));
}

test('with Redact on, tokens embedded in errors, logs and reasons are masked on every page, and copied whole', async () => {
  const { page, pageErrors } = session;
  const found = [];
  await page.goto(`${server.url}#/inspect`);
  const redact = page.getByRole('switch', { name: 'Redact' });
  await redact.check();

  // Inspect: a curl command with the token in its Bearer header.
  await paste(page, 'Token', `curl -H "Authorization: Bearer ${embedded}" https://203.0.113.10:6443/api`);
  await expect(region(page, 'Summary').locator('.badge')).toHaveText(/^Bound|^Legacy|Unbound/);
  await sweepEmbedded(page, 'a curl command inspected', found, ['inspect']);

  // Troubleshoot: a 401, a 403 whose reason quotes credentials, an x509 error with a key and a Secret.
  for (const [kind, error] of Object.entries(errors)) {
    await page.goto(`${server.url}#/troubleshoot`);
    await paste(page, 'Error message', error);
    await expect(page.getByRole('status', { name: 'Diagnosis' })).toBeVisible();
    const text = await pageText(page);
    assert.ok(text.includes('Diagnosis'), `${kind}: no diagnosis`);
    await sweepEmbedded(page, `a ${kind} error pasted`, found, ['troubleshoot']);
  }
  // The 403's fix, opened in the RBAC builder.
  await page.goto(`${server.url}#/troubleshoot`);
  await paste(page, 'Error message', errors.forbidden);
  const fix = page.getByRole('button', { name: 'Fix in RBAC builder' });
  if (await fix.isVisible()) await fix.click();

  // CA: the x509 error pasted where the CA goes.
  await page.goto(`${server.url}#/ca`);
  await paste(page, 'CA certificate', errors.x509);

  // Access: a role named by a token, asked Can I and Who can.
  await page.goto(`${server.url}#/access`);
  await paste(page, 'Cluster RBAC', `${rbac}---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: "${embedded}", namespace: ${namespace}}
rules:
- {apiGroups: [""], resources: [configmaps], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: "Bearer ${opaque}", namespace: ${namespace}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: "${embedded}"}
subjects:
- {kind: ServiceAccount, name: ${account}, namespace: ${namespace}}
---
apiVersion: v1
kind: Secret
metadata: {name: stray, namespace: ${namespace}}
data: {password: ${dataValue}}
`);
  await page.getByLabel('Subject', { exact: true }).fill(`system:serviceaccount:${namespace}:${account}`);
  await page.locator('#can-verb').fill('get');
  await page.locator('#can-resource').fill('configmaps');
  await page.locator('#can-namespace').fill(namespace);
  await expect(page.getByRole('status', { name: 'Can I answer' })).toHaveText(/^(Yes|No)/);
  const who = page.locator('#who-verb');
  if (await who.isVisible()) {
    await who.fill('get');
    await page.locator('#who-resource').fill('configmaps');
    await page.locator('#who-namespace').fill(namespace);
  }

  // Audit: a Secret dump whose annotation repeats the token; Activity: reasons quoting it.
  await page.goto(`${server.url}#/audit`);
  await paste(page, 'Secrets', secretDump);
  await expect(page.getByRole('status', { name: 'Audit summary' })).toBeVisible();
  await page.goto(`${server.url}#/activity`);
  await paste(page, 'Audit events', auditLog);
  const denied = page.getByLabel('Include denied requests', { exact: true });
  await expect(page.getByRole('status', { name: 'Read events' })).toBeVisible();
  if (await denied.isVisible()) await denied.check();

  await sweepEmbedded(page, 'every page filled', found);
  assert.deepEqual(found, [], 'embedded secrets on screen with Redact on');

  // Copy gives the real values with Redact on: the activity's requests with their reasons,
  // and the kubeconfig built from a kubeconfig whose token is the embedded one.
  await page.goto(`${server.url}#/activity`);
  await allPages.activity(page);
  const requests = await copied(page, () => page.getByRole('button', { name: 'Copy requests' }).click());
  assert.ok(requests.includes(opaque) || requests.includes(embedded), 'Copy requests gives the real reasons');
  await page.goto(`${server.url}#/kubeconfig`);
  await paste(page, 'Load kubeconfig', kubeconfig.replace(bound, embedded));
  await expect(page.getByRole('region', { name: 'Kubeconfig YAML' })).toContainText('bound@prod');
  const written = await copied(page, () => page.getByRole('button', { name: 'Copy kubeconfig', exact: true }).click());
  assert.ok(written.includes(embedded), 'Copy kubeconfig gives the real token');
  assert.ok(!(await pageText(page)).includes(embeddedSignature), 'and the screen does not');
  assert.deepEqual(pageErrors, []);
});

// A long line (a one-line EventList) is masked by a pattern behind transparent text, which
// Chromium lays out as fast as unmasked text, instead of by discs, laid out glyph by glyph.
test('with Redact on, a field holding a long line is masked without discs, and a short one with them', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/activity`);
  const redact = page.getByRole('switch', { name: 'Redact' });
  await redact.check();
  const event = (i) => ({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: `id-${i}`,
    stage: 'ResponseComplete', requestURI: `/api/v1/namespaces/team/pods/web-${i}`, verb: 'get',
    user: { username: `system:serviceaccount:team:app`, groups: ['system:serviceaccounts'] },
    objectRef: { resource: 'pods', namespace: 'team', name: `web-${i}`, apiVersion: 'v1' },
    responseStatus: { code: 200 }, annotations: { 'secret-token': bound } });
  const list = JSON.stringify({ apiVersion: 'audit.k8s.io/v1', kind: 'EventList', items: Array.from({ length: 200 }, (_, i) => event(i)) });
  const field = page.getByLabel('Audit events', { exact: true });
  await paste(page, 'Audit events', list);
  await page.waitForFunction(() => document.getElementById('activity-events').classList.contains('long'));
  const style = await field.evaluate((e) => {
    const s = getComputedStyle(e);
    return { security: s.getPropertyValue('-webkit-text-security'), color: s.color, background: s.backgroundImage };
  });
  assert.notEqual(style.security, 'disc', 'no discs on a long line');
  assert.equal(style.color, 'rgba(0, 0, 0, 0)');
  assert.match(style.background, /radial-gradient/);
  assert.deepEqual(leaks(await pageText(page), 'token', bound), []);
  await paste(page, 'Audit events', 'short');
  await page.waitForFunction(() => !document.getElementById('activity-events').classList.contains('long'));
  assert.equal(await field.evaluate((e) => getComputedStyle(e).getPropertyValue('-webkit-text-security')), 'disc');
  await redact.uncheck();
});
