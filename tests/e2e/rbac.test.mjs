// The RBAC builder as a user drives it: type the account, pick a preset, download the YAML,
// and check the file holds what kubectl itself would create (tests/fixtures/rbac, recorded
// from `kubectl create … --dry-run=client -o yaml`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { expect } from './expect.mjs';
import { start, stop, region, root } from './harness.mjs';

let server;
let browser;
let session;
const dir = mkdtempSync(join(tmpdir(), 'tokenscope-rbac-'));
before(async () => ({ server, browser, session } = await start({ page: '#/rbac' })));
after(() => stop({ server, browser, session }));

/** Documents of a YAML stream as plain objects, without kubectl's `creationTimestamp: null`. */
function documents(text) {
  return parseAllDocuments(text).map((d) => {
    const value = d.toJSON();
    if (value?.metadata && value.metadata.creationTimestamp === null) delete value.metadata.creationTimestamp;
    return value;
  });
}

async function fillAccount(page, account, namespace) {
  await page.getByLabel('Service account', { exact: true }).fill(account);
  await page.getByLabel('Namespace', { exact: true }).fill(namespace);
}

async function downloadYaml(page) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download YAML' }).click(),
  ]);
  assert.match(file.suggestedFilename(), /^[A-Za-z0-9._-]+\.yaml$/);
  const path = join(dir, file.suggestedFilename());
  await file.saveAs(path);
  return readFileSync(path, 'utf8');
}

const presets = [
  ['Read pods', 'pod-reader', 'demo', 'read-pods.yaml', ['ServiceAccount', 'Role', 'RoleBinding']],
  ['ConfigMap store', 'store', 'demo', 'configmap-store.yaml', ['ServiceAccount', 'Role', 'RoleBinding']],
  ['Read-only view', 'viewer', 'demo', 'read-only-view.yaml', ['ServiceAccount', 'RoleBinding']],
  ['CI deployer', 'ci', 'ci-system', 'ci-deployer.yaml', ['ServiceAccount', 'Role', 'RoleBinding']],
  ['Namespace admin', 'admin-bot', 'team-a', 'namespace-admin.yaml', ['ServiceAccount', 'RoleBinding']],
  ['Cluster admin', 'root', 'demo', 'cluster-admin.yaml', ['ServiceAccount', 'ClusterRoleBinding']],
];

for (const [preset, account, namespace, fixture, kinds] of presets) {
  test(`preset ${preset}: the downloaded YAML is what kubectl creates`, async () => {
    const { page } = session;
    await page.goto(`${server.url}#/rbac`);
    await fillAccount(page, account, namespace);
    await page.getByRole('button', { name: preset, exact: true }).click();
    await expect(page.getByRole('region', { name: 'RBAC YAML' })).toContainText(`name: ${account}`);
    const ours = documents(await downloadYaml(page));
    assert.deepEqual(ours.map((d) => d.kind), kinds);
    const theirs = documents(readFileSync(join(root, 'tests/fixtures/rbac', fixture), 'utf8'));
    assert.deepEqual(ours, theirs);
    for (const binding of ours.filter((d) => d.kind.endsWith('Binding'))) {
      assert.equal(binding.roleRef.apiGroup, 'rbac.authorization.k8s.io');
      assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: account, namespace }]);
    }
  });
}

test('Cluster admin carries the strongest warning; Read pods none', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/rbac`);
  await fillAccount(page, 'root', 'demo');
  await page.getByRole('button', { name: 'Cluster admin', exact: true }).click();
  await expect(region(page, 'What the account can do')).toContainText('Danger: Bound to cluster-admin');
  await page.getByRole('button', { name: 'Read pods', exact: true }).click();
  await expect(region(page, 'What the account can do')).toContainText('No risky permissions.');
});

test('names are checked as DNS-1123, and nothing is written until they are right', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/rbac`);
  await page.getByRole('button', { name: 'Read pods', exact: true }).click();
  await fillAccount(page, 'Bad_Name', 'demo');
  await expect(page.getByRole('alert')).toContainText('DNS-1123');
  await expect(page.getByRole('button', { name: 'Download YAML' })).toHaveCount(0);
  await fillAccount(page, 'good-name', 'demo');
  await expect(page.getByRole('button', { name: 'Download YAML' })).toHaveCount(1);
});

test('the rules editor: add a rule, toggle verbs, see warnings and the summary, remove it', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/rbac`);
  await fillAccount(page, 'reader', 'demo');
  await page.getByRole('button', { name: 'Read pods', exact: true }).click();
  await page.getByRole('button', { name: 'Add rule' }).click();
  const rule2 = page.getByRole('group', { name: 'Rule 2' });
  await rule2.getByLabel('Resources', { exact: true }).fill('secrets');
  await rule2.getByRole('button', { name: 'list', exact: true }).click();
  await expect(rule2.getByLabel('Verbs', { exact: true })).toHaveValue('list');
  await expect(page.getByRole('region', { name: 'RBAC YAML' })).toContainText('- secrets');
  await expect(region(page, 'What the account can do')).toContainText('Reads Secrets');
  await expect(page.getByRole('region', { name: 'kubectl commands' })).toContainText('kubectl create serviceaccount reader');
  await page.getByRole('button', { name: 'Remove rule 2' }).click();
  await expect(page.getByRole('group', { name: 'Rule 2' })).toHaveCount(0);
  await expect(region(page, 'What the account can do')).toContainText('No risky permissions.');
});

test('Token Secret adds the annotated Secret last', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/rbac`);
  await fillAccount(page, 'legacy', 'demo');
  await page.getByRole('button', { name: 'Read pods', exact: true }).click();
  await page.getByLabel('Token Secret', { exact: true }).check();
  const docs = documents(await downloadYaml(page));
  const secret = docs.at(-1);
  assert.equal(secret.kind, 'Secret');
  assert.equal(secret.type, 'kubernetes.io/service-account-token');
  assert.equal(secret.metadata.annotations['kubernetes.io/service-account.name'], 'legacy');
});

test('Show what this grants opens #/access with the answers', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/rbac`);
  await fillAccount(page, 'pod-reader', 'demo');
  await page.getByRole('button', { name: 'Read pods', exact: true }).click();
  await page.getByRole('button', { name: 'Show what this grants' }).click();
  await expect(page.getByLabel('Subject', { exact: true })).toHaveValue('system:serviceaccount:demo:pod-reader');
  const canI = page.getByRole('region', { name: 'Can I', exact: true });
  await canI.getByLabel('Verb', { exact: true }).fill('list');
  await canI.getByLabel('Resource', { exact: true }).fill('pods');
  await canI.getByLabel('Namespace', { exact: true }).fill('demo');
  await expect(page.getByRole('status', { name: 'Can I answer' })).toHaveText(/^Yes/);
  await canI.getByLabel('Verb', { exact: true }).fill('delete');
  await expect(page.getByRole('status', { name: 'Can I answer' })).toHaveText(/^No/);
});

test('a user bound in two namespaces: a Role and a RoleBinding in each, and kubectl binds --user', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/rbac`);
  await page.getByLabel('Subject', { exact: true }).selectOption('User');
  await page.getByLabel('User or group', { exact: true }).fill('jane@example.com');
  await page.getByLabel('Namespace', { exact: true }).fill('app1, app2');
  await page.getByRole('button', { name: 'Read pods', exact: true }).click();
  // A preset keeps the subject and namespaces typed before it.
  await expect(page.getByLabel('User or group', { exact: true })).toHaveValue('jane@example.com');
  const docs = documents(await downloadYaml(page));
  assert.deepEqual(docs.map((d) => `${d.kind}/${d.metadata.namespace}`), ['Role/app1', 'RoleBinding/app1', 'Role/app2', 'RoleBinding/app2']);
  for (const binding of docs.filter((d) => d.kind === 'RoleBinding')) {
    assert.deepEqual(binding.subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'jane@example.com' }]);
    assert.equal(binding.roleRef.kind, 'Role');
  }
  const commands = page.getByRole('region', { name: 'kubectl commands' });
  await expect(commands).toContainText('--user=jane@example.com');
  await expect(commands).toContainText('--namespace=app2 --role=user-jane-example.com --user=jane@example.com');
  assert.doesNotMatch(await commands.textContent(), /create serviceaccount/);
  // Access answers for the user: Yes in both namespaces, No in a third.
  await page.getByRole('button', { name: 'Show what this grants' }).click();
  await expect(page.getByLabel('Subject', { exact: true })).toHaveValue('jane@example.com');
  const canI = page.getByRole('region', { name: 'Can I', exact: true });
  await canI.getByLabel('Verb', { exact: true }).fill('list');
  await canI.getByLabel('Resource', { exact: true }).fill('pods');
  for (const [namespace, answer] of [['app1', /^Yes/], ['app2', /^Yes/], ['app3', /^No/]]) {
    await canI.getByLabel('Namespace', { exact: true }).fill(namespace);
    await expect(page.getByRole('status', { name: 'Can I answer' })).toHaveText(answer);
  }
});

test('a group in two namespaces with one ClusterRole: one role, a RoleBinding to it in each', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/rbac`);
  await page.getByLabel('Subject', { exact: true }).selectOption('Group');
  await page.getByLabel('User or group', { exact: true }).fill('deployers');
  await page.getByLabel('Namespace', { exact: true }).fill('app1 app2');
  await page.getByRole('button', { name: 'Read pods', exact: true }).click();
  await page.getByLabel('One ClusterRole for every namespace', { exact: true }).check();
  const docs = documents(await downloadYaml(page));
  assert.deepEqual(docs.map((d) => `${d.kind}/${d.metadata.namespace ?? ''}`), ['ClusterRole/', 'RoleBinding/app1', 'RoleBinding/app2']);
  const role = docs[0].metadata.name;
  for (const binding of docs.slice(1)) {
    assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role });
    assert.deepEqual(binding.subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'deployers' }]);
  }
  await expect(page.getByRole('region', { name: 'kubectl commands' })).toContainText('--group=deployers');
});

test('a service account of another namespace, bound in two', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/rbac`);
  await page.getByLabel('Subject', { exact: true }).selectOption('ServiceAccount');
  await page.getByLabel('Service account', { exact: true }).fill('deployer');
  await page.getByLabel('Namespace', { exact: true }).fill('app1, app2');
  await page.getByLabel("Service account's namespace", { exact: true }).fill('ci');
  await page.getByRole('button', { name: 'Read pods', exact: true }).click();
  const docs = documents(await downloadYaml(page));
  assert.deepEqual(docs.map((d) => `${d.kind}/${d.metadata.namespace}`), ['ServiceAccount/ci', 'Role/app1', 'RoleBinding/app1', 'Role/app2', 'RoleBinding/app2']);
  for (const binding of docs.filter((d) => d.kind === 'RoleBinding')) {
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }]);
  }
});
