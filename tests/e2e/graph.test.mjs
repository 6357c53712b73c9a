// The Access graph: Kubernetes' own bootstrap bindings and roles pasted, a Can I asked for the
// kube-dns service account; the picture's lines are the list's items, its highlighted path is
// the answer's "via", and Who can draws the subjects allowed. Axe finds nothing serious.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from './expect.mjs';
import { start, stop, paste, region, vector, shootThemes, downloadSvg } from './harness.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server;
let browser;
let session;
before(async () => ({ server, browser, session } = await start({ page: '#/access' })));
after(() => stop({ server, browser, session }));

// Real samples (sources in tests/fixtures/escalation/bootstrap/README.md and
// tests/fixtures/access/README.md): the bootstrap ClusterRoleBindings and roles.
const cluster = [
  'escalation/bootstrap/cluster-role-bindings.yaml',
  'escalation/bootstrap/old-system-roles.yaml',
  'access/default-clusterroles.yaml',
].map(vector).join('\n---\n');

async function ask(page, verb, resource) {
  const can = region(page, 'Can I');
  await can.getByLabel('Verb', { exact: true }).fill(verb);
  await can.getByLabel('Resource', { exact: true }).fill(resource);
  await can.getByLabel('Namespace', { exact: true }).fill('');
  await can.getByLabel('Name', { exact: true }).fill('');
  return page.getByRole('status', { name: 'Can I answer' });
}

/** The lines drawn, by class, and the list's items: one item per line. */
async function drawn(section) {
  const svg = section.getByRole('img');
  const classes = await svg.locator('line').evaluateAll((lines) => lines.map((l) => l.getAttribute('class')));
  const items = await section.getByRole('list').getByRole('listitem').allTextContents();
  assert.equal(classes.length, items.length, items.join('\n'));
  return { svg, classes, items };
}

test('the graph of a Can I answer draws its list and highlights the path the answer names', async () => {
  const { page } = session;
  await paste(page, 'Cluster RBAC', cluster);
  await paste(page, 'Subject', 'system:serviceaccount:kube-system:kube-dns');
  const answer = await ask(page, 'create', 'selfsubjectaccessreviews.authorization.k8s.io');
  await expect(answer).toHaveText(/^Yes: /);
  const [, binding, role] = (await answer.textContent()).match(/^Yes: (.+?) grants (.+?), which allows/);
  const section = region(page, 'Access graph');
  await expect(section.getByRole('img', { name: /^Access graph, grants it: / })).toBeVisible();
  const { svg, classes, items } = await drawn(section);
  // The highlighted lines are the list's "grants it" items: subject → binding → role → rules.
  const marked = items.filter((i) => i.endsWith(' (grants it)'));
  assert.equal(marked.length, 3, items.join('\n'));
  classes.forEach((c, i) => assert.equal(c === 'gr-grant', items[i].endsWith(' (grants it)'), items[i]));
  assert.equal(marked[0], `system:serviceaccount:kube-system:kube-dns → ${binding} (grants it)`);
  assert.equal(marked[1], `${binding} → ${role} (grants it)`);
  assert.ok(marked[2].startsWith(`${role} → `), marked[2]);
  // Several bindings reach the account: its own and those of system:authenticated.
  assert.ok(items.filter((i) => i.startsWith('system:serviceaccount:kube-system:kube-dns → ')).length >= 3, items.join('\n'));
  assert.ok(items.some((i) => i.includes('ClusterRoleBinding system:kube-dns')), items.join('\n'));

  // In both themes, for the README (copied to docs/ by hand when the picture changes).
  await shootThemes(page, svg, 'graph');
  const { name: file, text } = await downloadSvg(page, section);
  assert.equal(file, 'access-graph.svg');
  assert.equal((text.match(/<line class="gr-grant"/g) ?? []).length, 3);
});

test('a refused request highlights the nearest miss, and Who can draws the subjects allowed', async () => {
  const { page } = session;
  await paste(page, 'Cluster RBAC', cluster);
  await paste(page, 'Subject', 'system:serviceaccount:kube-system:kube-dns');
  await expect(await ask(page, 'get', 'selfsubjectaccessreviews.authorization.k8s.io')).toHaveText(/^No: /);
  const section = region(page, 'Access graph');
  await expect(section.getByRole('img', { name: /^Access graph, nearest miss: / })).toBeVisible();
  const { classes, items } = await drawn(section);
  assert.equal(items.filter((i) => i.endsWith(' (nearest miss)')).length, 3, items.join('\n'));
  assert.equal(classes.filter((c) => c === 'gr-miss').length, 3);
  assert.ok(items.includes('ClusterRoleBinding system:basic-user → ClusterRole system:basic-user (nearest miss)'), items.join('\n'));

  const whoCan = region(page, 'Who can');
  await whoCan.getByLabel('Verb', { exact: true }).fill('get');
  await whoCan.getByLabel('Resource', { exact: true }).fill('nodes');
  await whoCan.getByLabel('Namespace', { exact: true }).fill('');
  const rows = await page.getByRole('table', { name: 'Subjects allowed' }).getByRole('row').count();
  assert.ok(rows > 1);
  const who = region(page, 'Who can graph');
  await expect(who.getByRole('img', { name: /^Who can graph: get nodes cluster-wide/ })).toBeVisible();
  const drawnWho = await drawn(who);
  assert.ok(drawnWho.items.some((i) => i.endsWith(' → get nodes cluster-wide')), drawnWho.items.join('\n'));
});

test('the page with both graphs: no serious accessibility violations in either theme', async () => {
  const { page } = session;
  await expect(region(page, 'Access graph')).toBeVisible();
  await page.evaluate(axeSource);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(serious.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`), [], scheme);
  }
  await page.emulateMedia({ colorScheme: null });
});
