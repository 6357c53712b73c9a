// Troubleshoot as a user meets it: paste the error, read the diagnosis, follow Fix in RBAC
// builder, download the YAML, and check on the Access page that it grants exactly the request
// that was refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { expect } from './expect.mjs';
import { start, stop, paste, makeToken, region, vector } from './harness.mjs';

let server;
let browser;
let session;
const dir = mkdtempSync(join(tmpdir(), 'tokenscope-troubleshoot-'));
before(async () => ({ server, browser, session } = await start({ page: '#/troubleshoot' })));
after(() => stop({ server, browser, session }));

const KUBECTL = 'Error from server (Forbidden): secrets "db" is forbidden: User '
  + '"system:serviceaccount:prod:deployer" cannot get resource "secrets" in API group "" in the namespace "prod"';

const STATUS = JSON.stringify({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'forbidden: User "system:serviceaccount:default:podgetter" cannot get path "/"',
  reason: 'Forbidden',
  details: {},
  code: 403,
}, null, 2);

function diagnosis(page) {
  return page.getByRole('status', { name: 'Diagnosis' });
}

async function downloadYaml(page) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download YAML' }).click(),
  ]);
  const path = join(dir, file.suggestedFilename());
  await file.saveAs(path);
  return readFileSync(path, 'utf8');
}

/** Pastes the error, follows Fix in RBAC builder and downloads the builder's YAML. */
async function fixInBuilder(page, error) {
  await page.goto(`${server.url}#/troubleshoot`);
  await paste(page, 'Error message', error);
  await expect(diagnosis(page)).toHaveText(/^Forbidden: /);
  await page.getByRole('button', { name: 'Fix in RBAC builder' }).click();
  await page.waitForURL(/#\/rbac$/);
  await expect(page.getByRole('region', { name: 'RBAC YAML' })).toBeVisible();
  const text = await downloadYaml(page);
  return { text, docs: parseAllDocuments(text).map((d) => d.toJSON()) };
}

/** Pastes `yaml` into Cluster RBAC on the Access page and asks Can I as `subject`. */
async function canI(page, yaml, subject, [verb, resource, namespace, name]) {
  if (!page.url().endsWith('#/access')) {
    await page.getByRole('link', { name: 'Access', exact: true }).click();
    await paste(page, 'Cluster RBAC', yaml);
    await page.getByLabel('Subject', { exact: true }).fill(subject);
  }
  await region(page, 'Can I').getByLabel('Verb', { exact: true }).fill(verb);
  await region(page, 'Can I').getByLabel('Resource', { exact: true }).fill(resource);
  await region(page, 'Can I').getByLabel('Namespace', { exact: true }).fill(namespace);
  await region(page, 'Can I').getByLabel('Name', { exact: true }).fill(name);
  return page.getByRole('status', { name: 'Can I answer' });
}

test('a kubectl 403: the parts, the fix, the builder\'s YAML granting exactly that request', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/troubleshoot`);
  await paste(page, 'Error message', `$ kubectl get secret db -n prod\n${KUBECTL}\n$ `);
  await expect(diagnosis(page)).toHaveText(/^Forbidden: .*system:serviceaccount:prod:deployer/);
  const parts = page.getByLabel('Parts of the error');
  for (const part of ['system:serviceaccount:prod:deployer', 'get', 'secrets', '"" (core)', 'prod', 'db']) {
    await expect(parts).toContainText(part);
  }
  await expect(page.getByRole('region', { name: 'Fix YAML' })).toContainText('resourceNames:');
  await expect(page.getByRole('region', { name: 'kubectl commands' }))
    .toContainText('kubectl create role deployer-get-secrets-db --namespace=prod --verb=get --resource=secrets --resource-name=db');

  const { text, docs } = await fixInBuilder(page, KUBECTL);
  assert.deepEqual(docs.map((d) => d.kind), ['ServiceAccount', 'Role', 'RoleBinding']);
  const [, role, binding] = docs;
  assert.equal(role.metadata.namespace, 'prod');
  assert.deepEqual(role.rules, [{ apiGroups: [''], resourceNames: ['db'], resources: ['secrets'], verbs: ['get'] }]);
  assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
  assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'prod' }]);

  const subject = 'system:serviceaccount:prod:deployer';
  await expect(await canI(page, text, subject, ['get', 'secrets', 'prod', 'db'])).toHaveText(/^Yes/);
  await expect(await canI(page, text, subject, ['get', 'secrets', 'prod', 'other'])).toHaveText(/^No/);
  await expect(await canI(page, text, subject, ['list', 'secrets', 'prod', ''])).toHaveText(/^No/);
  await expect(await canI(page, text, subject, ['get', 'secrets', 'staging', 'db'])).toHaveText(/^No/);
});

test('a JSON Status for a path: a ClusterRole of nonResourceURLs, bound cluster-wide', async () => {
  const { page } = session;
  const { text, docs } = await fixInBuilder(page, `HTTP/2 403\ncontent-type: application/json\n\n${STATUS}`);
  assert.deepEqual(docs.map((d) => d.kind), ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']);
  const [, role, binding] = docs;
  assert.deepEqual(role.rules, [{ nonResourceURLs: ['/'], verbs: ['get'] }]);
  assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'podgetter', namespace: 'default' }]);

  const subject = 'system:serviceaccount:default:podgetter';
  await expect(await canI(page, text, subject, ['get', '/', '', ''])).toHaveText(/^Yes/);
  await expect(await canI(page, text, subject, ['get', '/healthz', '', ''])).toHaveText(/^No/);
  await expect(await canI(page, text, subject, ['post', '/', '', ''])).toHaveText(/^No/);
});

test('with Cluster RBAC pasted, the 403 gets the Can I answer and the nearest miss', async () => {
  const { page } = session;
  const rbac = [
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: reader, namespace: prod}',
    "rules: [{apiGroups: [''], resources: [secrets], verbs: [list]}]\n---",
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: deployer-reader, namespace: prod}',
    'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}',
    'subjects: [{kind: ServiceAccount, name: deployer, namespace: prod}]',
  ].join('\n');
  await page.goto(`${server.url}#/access`);
  await paste(page, 'Cluster RBAC', rbac);
  await page.getByRole('link', { name: 'Troubleshoot', exact: true }).click();
  await paste(page, 'Error message', KUBECTL);
  const found = page.getByRole('region', { name: 'Can I in Cluster RBAC' });
  await expect(found).toContainText('No: no binding grants');
  await expect(found).toContainText('Nearest miss: RoleBinding prod/deployer-reader gives this user Role prod/reader, which allows list on it but not get');
});

test('401, x509, the empty name and an unknown paste each start with their word', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/troubleshoot`);
  await paste(page, 'Error message', 'error: You must be logged in to the server (Unauthorized)');
  await expect(diagnosis(page)).toHaveText(/^Unauthorized: /);
  await expect(page.getByLabel('Checklist')).toContainText('Unknown: ');
  await expect(page.getByLabel('Related objects', { exact: true })).toBeVisible();

  await paste(page, 'Error message', 'Unable to connect to the server: x509: certificate signed by unknown authority');
  await expect(diagnosis(page)).toHaveText(/^Certificate not trusted: /);
  await expect(page.getByRole('link', { name: 'Check a ca.crt on the CA page' })).toHaveAttribute('href', '#/ca');

  await paste(page, 'Error message', "$ kubectl get secret $(kubectl get sa ci -n build -o jsonpath='{.secrets[0].name}') -n build\nerror: resource name may not be empty");
  await expect(diagnosis(page)).toHaveText(/^Empty resource name: .*1\.24/);
  await expect(page.getByRole('region', { name: 'Commands' })).toContainText('kubectl create token ci --namespace=build');
  await expect(page.getByRole('region', { name: 'Token Secret' })).toContainText('kubernetes.io/service-account.name: ci');

  await paste(page, 'Error message', 'hello');
  await expect(diagnosis(page)).toHaveText(/^Not recognised: Expected a Kubernetes API error/);
});

test('a 401 is checked against the inspected token', async () => {
  const { page } = session;
  const expired = makeToken({
    iss: 'https://kubernetes.default.svc', sub: 'system:serviceaccount:ci:bot', aud: ['https://kubernetes.default.svc'],
    iat: 1_600_000_000, exp: 1_600_003_600,
    'kubernetes.io': { namespace: 'ci', serviceaccount: { name: 'bot', uid: 'a6ad7997-a1a0-4d6b-8d2a-2b8f0b1a0c11' } },
  });
  await page.goto(`${server.url}#/inspect`);
  await paste(page, 'Token', expired);
  await page.getByRole('link', { name: 'Troubleshoot', exact: true }).click();
  await paste(page, 'Error message', 'error: You must be logged in to the server (Unauthorized)');
  await expect(page.getByLabel('Checklist')).toContainText('Failed: ');
});

test('the guided walk\'s 403 step opens its error explained', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/learn/forbidden`);
  await page.getByRole('link', { name: 'See this 403 explained, with its fix' }).click();
  await expect(diagnosis(page)).toHaveText(/^Forbidden: .*system:serviceaccount:workshop:demo-app/);
  await expect(page.getByLabel('Error message', { exact: true })).toHaveValue(/cannot list resource "pods"/);
  assert.ok(!page.url().includes('demo-app'), 'no user text in the URL');
});

test('a curl command with a token in Token is recognised as a token inside other text', async () => {
  const { page } = session;
  const token = makeToken({ iss: 'kubernetes/serviceaccount', sub: 'system:serviceaccount:default:x' });
  await page.goto(`${server.url}#/inspect`);
  await paste(page, 'Token', `curl -k https://10.0.0.1:6443/api -H "Authorization: Bearer ${token}" -H 'Accept: application/json'`);
  await expect(page.getByRole('status', { name: 'Recognised input' })).toContainText('a token inside other text');
});

test('a user\'s 403 (an AWS role, from a real Python client trace): the builder binds the user, not a service account', async () => {
  const { page } = session;
  const user = 'arn:aws:sts::123456789012:assumed-role/prowler/i-0b4asdfasdfasdfc584';
  const { text, docs } = await fixInBuilder(page, vector('errors/python-status-aws-role.txt'));
  assert.deepEqual(docs.map((d) => d.kind), ['ClusterRole', 'ClusterRoleBinding']);
  const [role, binding] = docs;
  assert.deepEqual(role.rules, [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }]);
  assert.deepEqual(binding.subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }]);
  await expect(await canI(page, text, user, ['list', 'nodes', '', ''])).toHaveText(/^Yes/);
  await expect(await canI(page, text, user, ['get', 'nodes', '', 'node-1'])).toHaveText(/^No/);
  await expect(await canI(page, text, user, ['list', 'pods', '', ''])).toHaveText(/^No/);
});
