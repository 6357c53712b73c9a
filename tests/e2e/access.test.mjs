// What can this token do? Paste a List of roles and bindings, inspect a token, and ask: the
// answers and the effective rules come from the pasted objects alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from './expect.mjs';
import { start, stop, open, paste, region, root } from './harness.mjs';
import { bigClusterRole } from './dumps.mjs';

let server;
let browser;
let session;
before(async () => ({ server, browser, session } = await start({ page: true })));
after(() => stop({ server, browser, session }));

const list = readFileSync(join(root, 'demo/rbac.yaml'), 'utf8');
const token = readFileSync(join(root, 'demo/bound-pod.jwt'), 'utf8').trim();

async function ask(page, verb, resource, namespace, name = '') {
  // Who can has fields of the same names.
  const can = region(page, 'Can I');
  await can.getByLabel('Verb', { exact: true }).fill(verb);
  await can.getByLabel('Resource', { exact: true }).fill(resource);
  await can.getByLabel('Namespace', { exact: true }).fill(namespace);
  await can.getByLabel('Name', { exact: true }).fill(name);
  return page.getByRole('status', { name: 'Can I answer' });
}

test('a pasted List and the inspected token answer Can I, with the reason', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/inspect`);
  await paste(page, 'Token', token);
  await page.getByRole('link', { name: 'Access', exact: true }).click();
  await paste(page, 'Cluster RBAC', list);
  await expect(page.getByRole('status', { name: 'Read RBAC' })).toContainText('Read 4 roles and 4 bindings');
  await expect(page.getByRole('status', { name: 'Subject in use' })).toContainText('system:serviceaccount:workshop:demo-app, from the inspected token');

  await expect(await ask(page, 'get', 'pods', 'workshop')).toHaveText(/^Yes.*demo-app-pod-reader.*pod-reader/);
  await expect(await ask(page, 'get', 'pods/log', 'workshop')).toHaveText(/^Yes/);
  await expect(await ask(page, 'delete', 'pods', 'workshop')).toHaveText(/^No/);
  await expect(await ask(page, 'list', 'secrets', 'workshop')).toHaveText(/^No/);
  await expect(await ask(page, 'list', 'secrets', 'staging')).toHaveText(/^Yes.*secret-reader/);
  // Aggregated ClusterRole bound to the service accounts' group, cluster-wide.
  await expect(await ask(page, 'watch', 'services', 'kube-system')).toHaveText(/^Yes.*workshop-monitoring/);
  await expect(await ask(page, 'get', '/metrics', '')).toHaveText(/^Yes/);
  await expect(await ask(page, 'get', '/healthz', '')).toHaveText(/^No/);
});

test('the access grid agrees with Can I, switches namespace, and a cell asks Can I', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/access`);
  await paste(page, 'Subject', 'system:serviceaccount:workshop:demo-app');
  await paste(page, 'Cluster RBAC', list);
  const grid = page.getByRole('table', { name: 'Access grid' });
  await page.getByLabel('Grid namespace').selectOption('workshop');
  await expect(grid.getByRole('button', { name: 'get pods: yes' })).toBeVisible();
  await expect(grid.getByRole('button', { name: 'list secrets: no' })).toBeVisible();
  // Typing in Can I does not move the grid; its own list does.
  await ask(page, 'get', 'pods', 'kube-system');
  await expect(grid.getByRole('button', { name: 'get pods: yes' })).toBeVisible();
  await page.getByLabel('Grid namespace').selectOption('staging');
  await expect(grid.getByRole('button', { name: 'list secrets: yes' })).toBeVisible();
  // A cell fills Can I with its request, and Can I answers as the cell says.
  await grid.getByRole('button', { name: 'list secrets: yes' }).click();
  const can = region(page, 'Can I');
  await expect(can.getByLabel('Verb', { exact: true })).toHaveValue('list');
  await expect(can.getByLabel('Resource', { exact: true })).toHaveValue('secrets');
  await expect(can.getByLabel('Namespace', { exact: true })).toHaveValue('staging');
  await expect(page.getByRole('status', { name: 'Can I answer' })).toHaveText(/^Yes.*secret-reader/);
});

test('effective rules are traced, and risks and missing roles flagged', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/access?example=bound&rbac=demo`);
  const effective = region(page, 'Effective rules');
  await expect(effective).toContainText('In namespace workshop');
  await expect(effective).toContainText('pods/log');
  await expect(effective).toContainText('RoleBinding workshop/demo-app-pod-reader');
  await expect(effective).toContainText('/metrics');
  const risks = region(page, 'Risks');
  await expect(risks).toContainText('Reads Secrets');
  await expect(risks).toContainText('deployer');
});

test('a typed subject replaces the token, and a bad one is explained', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/access?rbac=demo`);
  const subject = page.getByLabel('Subject', { exact: true });
  await subject.fill('alice');
  await expect(await ask(page, 'get', 'pods', 'workshop')).toHaveText(/^No/);
  await subject.fill('group:system:serviceaccounts:workshop');
  await expect(await ask(page, 'list', 'endpoints', 'default')).toHaveText(/^Yes/);
  await subject.fill('system:serviceaccount:only-namespace');
  await expect(page.getByRole('main')).toContainText('system:serviceaccount:');
});

test('effective rules over 100 rows draw 100, and Show 100 more draws 200', async () => {
  // A page of its own: what earlier tests left in the shared one (the demo RBAC, whose text
  // area the app makes anew when it loads) does not race the paste.
  const { page, context } = await open(browser, `${server.url}#/access`);
  await paste(page, 'Subject', 'system:serviceaccount:team:app');
  // One ClusterRole of 250 rules on 250 resources, bound to the subject: 250 rows.
  await paste(page, 'Cluster RBAC', bigClusterRole(250));
  const effective = region(page, 'Effective rules');
  const table = effective.getByRole('table').first();
  await expect(effective).toContainText('Showing 100 of 250 rows');
  assert.equal(await table.locator('tbody tr').count(), 100);
  await effective.getByRole('button', { name: 'Show 100 more' }).click();
  await expect(effective).toContainText('Showing 200 of 250 rows');
  assert.equal(await table.locator('tbody tr').count(), 200);
  // Can I answers from every row, drawn or not.
  await expect(await ask(page, 'get', 'secrets', 'team')).toHaveText(/^Yes/);
  await context.close();
});
