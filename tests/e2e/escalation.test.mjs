// How far does this subject get? A pasted cluster (RBAC, ServiceAccounts and real workloads)
// gives the path to cluster-admin, drawn and listed, the rules to remove, and the workloads;
// every step on the path is a Yes of Can I for the identity taking it, and Who can agrees.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { expect } from './expect.mjs';
import { start, stop, paste, region, vector, shootThemes, downloadSvg } from './harness.mjs';

let server;
let browser;
let session;
before(async () => ({ server, browser, session } = await start({ page: '#/access' })));
after(() => stop({ server, browser, session }));

// Hand-made RBAC with a known path (alice creates pods in build, whose service account deployer
// is cluster-admin), and real workloads (BishopFox/badPods, a real `kubectl get pods -o yaml`;
// sources in tests/fixtures/escalation/real/README.md).
const cluster = [
  'escalation/admin.yaml',
  'escalation/pods-to-admin.yaml',
  'escalation/real/badpods/everything-allowed-exec-deployment.yaml',
  'escalation/real/badpods/nothing-allowed-exec-deployment.yaml',
  'escalation/real/steamcloud-get-pods.yaml',
].map(vector).join('\n---\n');

async function ask(page, subject, verb, resource, namespace) {
  await paste(page, 'Subject', subject);
  const can = region(page, 'Can I');
  await can.getByLabel('Verb', { exact: true }).fill(verb);
  await can.getByLabel('Resource', { exact: true }).fill(resource);
  await can.getByLabel('Namespace', { exact: true }).fill(namespace);
  await can.getByLabel('Name', { exact: true }).fill('');
  return page.getByRole('status', { name: 'Can I answer' });
}

test('a pasted cluster gives the path to cluster-admin, drawn and listed, the cut and the workloads', async () => {
  const { page } = session;
  await paste(page, 'Subject', 'alice');
  await paste(page, 'Cluster RBAC', cluster);
  const section = region(page, 'Escalation');
  await expect(section.getByRole('status', { name: 'Escalation' })).toHaveText('Cluster-admin in 2 steps:');
  const steps = section.getByRole('list', { name: 'Escalation path' }).getByRole('listitem');
  const words = await steps.allTextContents();
  assert.equal(words.length, 2, words.join('\n'));
  assert.match(words[0], /^creates a pod \(create pods in namespace build\) → a pod of its own in namespace build, allowed by RoleBinding build\/alice-pods → Role build\/pod-maker$/);
  assert.match(words[1], /^the pod runs as system:serviceaccount:build:deployer$/);

  // The picture draws the list: its name holds every identity of the path.
  const picture = section.getByRole('img', { name: /^Escalation path to cluster-admin in 2 steps: / });
  await expect(picture).toBeVisible();
  const name = await picture.getAttribute('aria-label');
  for (const who of ['alice', 'a pod of its own in namespace build', 'system:serviceaccount:build:deployer']) {
    assert.ok(name.includes(who), `${who} is not in "${name}"`);
  }
  // In both themes, for the README (copied to docs/ by hand when the picture changes).
  await shootThemes(page, picture, 'escalation');
  const { name: file, text: svg } = await downloadSvg(page, section);
  assert.equal(file, 'escalation-path.svg');
  assert.ok(svg.includes('system:serviceaccount:build:deployer'), svg.slice(0, 400));

  // The cut: the one rule that breaks every path, with the change that removes it.
  const cut = section.getByRole('list', { name: 'Rules to remove' });
  await expect(section.getByRole('heading', { name: 'Remove 1 rule to break every path' })).toBeVisible();
  await expect(cut).toContainText('RoleBinding build/alice-pods');
  await expect(cut).toContainText('kubectl');

  // The workloads: one row per real workload, with its account and its reach into the node.
  const table = section.getByRole('table', { name: 'Workloads' });
  await expect(table.getByRole('row', { name: /everything-allowed-exec-deployment/ })).toContainText('privileged');
  await expect(table.getByRole('row', { name: /nothing-allowed-exec-deployment/ })).toContainText('none');
  await expect(table.getByRole('row', { name: /steamcloud|nginx/ }).first()).toBeVisible();
});

test('each step on the path is a Yes of Can I for the identity taking it, and Who can agrees', async () => {
  const { page } = session;
  await paste(page, 'Subject', 'alice');
  await paste(page, 'Cluster RBAC', cluster);
  const section = region(page, 'Escalation');
  const picture = section.getByRole('img', { name: /^Escalation path to cluster-admin/ });
  await expect(picture).toBeVisible();
  // The identities of the path, as the picture names them, and its steps, as the list says.
  const name = await picture.getAttribute('aria-label');
  const nodes = name.slice(name.indexOf(': ') + 2).split(' → ');
  const steps = await section.getByRole('list', { name: 'Escalation path' }).getByRole('listitem').allTextContents();
  assert.equal(nodes.length, steps.length + 1, `${name}\n${steps.join('\n')}`);
  let asked = 0;
  for (const [i, step] of steps.entries()) {
    // A free step (a pod runs as its account) asks nothing: it is what the place already is.
    const q = step.match(/^[^(]*\((\S+) (\S+) (?:in namespace (\S+)|cluster-wide)\)/);
    if (!q) continue;
    const who = nodes[i].replace(/^user /, '').replace(/^group /, 'group:');
    const binding = step.match(/, allowed by (\S+ \S+) → /)[1];
    await expect(await ask(page, who, q[1], q[2], q[3] ?? '')).toHaveText(new RegExp(`^Yes.*${binding.split(' ')[1]}`));
    const whoCan = region(page, 'Who can');
    await whoCan.getByLabel('Verb', { exact: true }).fill(q[1]);
    await whoCan.getByLabel('Resource', { exact: true }).fill(q[2]);
    await whoCan.getByLabel('Namespace', { exact: true }).fill(q[3] ?? '');
    const allowed = page.getByRole('table', { name: 'Subjects allowed' });
    await expect(allowed.getByRole('row').filter({ hasText: binding }).filter({ hasText: who })).toHaveCount(1);
    asked += 1;
  }
  assert.ok(asked >= 1, steps.join('\n'));
  // Where the path ends holds every verb on every resource cluster-wide, and the section says so.
  const last = nodes[nodes.length - 1];
  await expect(await ask(page, last, 'delete', 'nodes', '')).toHaveText(/^Yes.*deployer-admin/);
  await expect(await ask(page, last, 'escalate', 'clusterroles.rbac.authorization.k8s.io', '')).toHaveText(/^Yes/);
  await expect(section.getByRole('status', { name: 'Escalation' })).toHaveText(/already/);
});

test('the path to the Can I request instead of cluster-admin', async () => {
  const { page } = session;
  await paste(page, 'Cluster RBAC', cluster);
  await ask(page, 'alice', 'delete', 'nodes', '');
  await expect(page.getByRole('status', { name: 'Can I answer' })).toHaveText(/^No/);
  const section = region(page, 'Escalation');
  await section.getByLabel('the Can I request above').check();
  await expect(section.getByRole('status', { name: 'Escalation' })).toHaveText('Delete nodes cluster-wide in 2 steps:');
  await expect(section.getByRole('img', { name: /^Escalation path to delete nodes cluster-wide/ })).toBeVisible();
  await section.getByLabel('cluster-admin').check();
  await expect(section.getByRole('status', { name: 'Escalation' })).toHaveText('Cluster-admin in 2 steps:');
});

// A cluster of over 1 MiB is read as a file is, however it arrives (opened, dropped, pasted, or
// put in the field without a paste, as text dropped from another window is), and Escalation has
// its workloads all the same: they are read with the policy.
test('a cluster over 1 MiB, opened or put in the field, still gives the path and the workloads', async () => {
  const { page } = session;
  // Padded with 1,200 copies of the real badPods Deployment, named pad-N: over 1 MiB.
  const deployment = vector('escalation/real/badpods/everything-allowed-exec-deployment.yaml');
  const padding = Array.from({ length: 1200 }, (_, i) => deployment.replace(/name: everything-allowed-exec-deployment/, `name: pad-${i}`)).join('\n---\n');
  const big = `${cluster}\n---\n${padding}`;
  assert.ok(big.length > 1024 * 1024, `${big.length} bytes`);
  await paste(page, 'Subject', 'alice');
  const section = region(page, 'Escalation');
  const table = section.getByRole('table', { name: 'Workloads' });
  for (const how of ['set', 'file']) {
    if (how === 'set') {
      await page.getByLabel('Cluster RBAC', { exact: true }).evaluate((area, text) => {
        area.value = text;
        area.dispatchEvent(new InputEvent('input', { bubbles: true }));
      }, big);
      await expect(page.getByRole('status', { name: 'Cluster RBAC file' })).toContainText('Pasted text');
      assert.equal(await page.getByLabel('Cluster RBAC', { exact: true }).inputValue(), '');
    } else {
      await page.getByLabel('Open a file for Cluster RBAC').setInputFiles({ name: 'cluster.yaml', mimeType: 'text/plain', buffer: Buffer.from(big) });
      await expect(page.getByRole('status', { name: 'Cluster RBAC file' })).toContainText('cluster.yaml');
    }
    await expect(section.getByRole('status', { name: 'Escalation' })).toHaveText('Cluster-admin in 2 steps:', { timeout: 30_000 });
    await expect(table.getByRole('row', { name: /nothing-allowed-exec-deployment/ })).toContainText('none', { timeout: 30_000 });
    await expect(section).toContainText(/Showing 100 of 12\d\d workloads/);
    await page.getByRole('button', { name: 'Clear Cluster RBAC' }).click();
    await expect(table).toHaveCount(0);
  }
});
