// What did this token do? Audit events for the inspected token, the RBAC they need downloaded,
// and that RBAC pasted into the Access page, where Can I says Yes to every request in the table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from './expect.mjs';
import { start, stop, open, paste, region, root, shootThemes, downloadSvg } from './harness.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server;
let browser;
let session;
before(async () => ({ server, browser, session } = await start({ page: true })));
after(() => stop({ server, browser, session }));

const dir = mkdtempSync(join(tmpdir(), 'tokenscope-activity-'));
const token = readFileSync(join(root, 'demo/bound-pod.jwt'), 'utf8').trim();
const user = 'system:serviceaccount:workshop:demo-app';
const jti = '3dbc9030-8faf-466a-9607-0f2b724f3b92';

/** One audit event as the log backend writes it. */
function event({ verb, resource, sub, group = '', namespace, name, path, decision = 'allow', credential = jti, stage = 'ResponseComplete', at = '2026-12-01T10:00:00.000000Z' }) {
  const ev = {
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: 'x', stage, verb,
    requestURI: path ?? '/api/v1/whatever',
    user: { username: user, groups: ['system:serviceaccounts', 'system:authenticated'], extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${credential}`] } },
    requestReceivedTimestamp: at, stageTimestamp: at,
    annotations: { 'authorization.k8s.io/decision': decision, 'authorization.k8s.io/reason': decision === 'allow' ? 'RBAC: allowed' : '' },
  };
  if (!path) ev.objectRef = { resource, subresource: sub, apiGroup: group, namespace, name, apiVersion: 'v1' };
  return JSON.stringify(ev);
}

const log = [
  event({ verb: 'get', resource: 'pods', namespace: 'workshop', name: 'web-1', at: '2026-12-01T10:00:00.000000Z' }),
  event({ verb: 'get', resource: 'pods', namespace: 'workshop', name: 'web-1', at: '2026-12-01T11:00:00.000000Z' }),
  event({ verb: 'get', resource: 'pods', namespace: 'workshop', name: 'web-1', stage: 'RequestReceived' }),
  event({ verb: 'list', resource: 'pods', namespace: 'workshop' }),
  event({ verb: 'watch', resource: 'pods', namespace: 'workshop' }),
  event({ verb: 'get', resource: 'pods', sub: 'log', namespace: 'workshop', name: 'web-1' }),
  event({ verb: 'update', resource: 'deployments', sub: 'scale', group: 'apps', namespace: 'workshop', name: 'web' }),
  event({ verb: 'create', resource: 'configmaps', namespace: 'staging' }),
  event({ verb: 'list', resource: 'nodes' }),
  event({ verb: 'get', path: '/healthz' }),
  event({ verb: 'delete', resource: 'secrets', namespace: 'workshop', name: 'db', decision: 'forbid' }),
  event({ verb: 'delete', resource: 'pods', namespace: 'workshop', name: 'web-1', credential: 'another-token' }),
  '{"kind": "Event", broken',
].join('\n');

/** A text that contains none of `words`, for the retrying toHaveText. */
const without = (...words) => new RegExp(`^(?![\\s\\S]*(${words.join('|')}))`);

async function downloadYaml(page) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download YAML' }).click(),
  ]);
  const path = join(dir, file.suggestedFilename());
  await file.saveAs(path);
  return readFileSync(path, 'utf8');
}

/** The requests table's rows as Can I fields: verb, resource as kubectl writes it, namespace, name. */
async function tableRequests(page) {
  const rows = page.getByRole('table', { name: 'Requests' }).locator('tbody tr');
  const out = [];
  for (const cells of await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)))) {
    const [verb, group, resource, namespace, name] = cells;
    const [base, sub] = resource.split('/');
    const groupPart = group && group !== '""' ? `.${group}` : '';
    const kubectl = resource.startsWith('/') ? resource : `${base}${groupPart}${sub ? `/${sub}` : ''}`;
    out.push({ verb, resource: kubectl, namespace: namespace === '(cluster)' ? '' : namespace, name });
  }
  return out;
}

test('events for the inspected token make a table and RBAC that the Access page grants', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/inspect`);
  await paste(page, 'Token', token);
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  await paste(page, 'Audit events', log);
  await expect(page.getByRole('status', { name: 'Read events' })).toContainText('Read 11 events from JSON lines');
  await expect(page.getByRole('status', { name: 'Read events' })).toContainText('1 events of other stages not counted');
  await expect(page.getByRole('list', { name: 'Lines not read' })).toContainText('Line 13: not JSON');
  await expect(page.getByRole('status', { name: 'Matched events' })).toHaveText(/^10 events matched \(10 by the token's credential ID\), 9 distinct requests\. 1 events .* another credential ID/);

  const table = page.getByRole('table', { name: 'Requests' });
  await expect(table.locator('tbody tr')).toHaveCount(9);
  await expect(table).toContainText('2026-12-01T11:00:00.000000Z');
  await page.getByLabel('Filter by decision', { exact: true }).selectOption('denied');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table).toContainText('secrets');
  await page.getByLabel('Filter by decision', { exact: true }).selectOption('all');
  await page.getByLabel('Filter by namespace', { exact: true }).fill('staging');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await page.getByLabel('Filter by namespace', { exact: true }).fill('');
  await expect(table.locator('tbody tr')).toHaveCount(9);

  await page.getByLabel('Include denied requests', { exact: true }).check();
  const rbac = page.getByRole('region', { name: 'Generated RBAC YAML', exact: true });
  await expect(rbac).toContainText('secrets');
  await expect(rbac).toContainText('nonResourceURLs');
  // Three roles (workshop, staging, cluster scope) do not fit the builder's one.
  assert.equal(await page.getByRole('button', { name: 'Open in RBAC builder' }).isDisabled(), true);
  await expect(page.getByRole('button', { name: 'Open in RBAC builder' })).toHaveAttribute('aria-describedby', 'activity-builder-note');
  await expect(page.locator('#activity-builder-note')).toContainText('holds one role; this needs 3');
  const yaml = await downloadYaml(page);
  assert.match(yaml, /kind: ClusterRoleBinding/);
  const requests = await tableRequests(page);
  assert.equal(requests.length, 9);

  await page.getByRole('link', { name: 'Access', exact: true }).click();
  await paste(page, 'Cluster RBAC', yaml);
  await expect(page.getByRole('status', { name: 'Read RBAC' })).toContainText('Read 3 roles and 3 bindings');
  for (const r of requests) {
    await region(page, 'Can I').getByLabel('Verb', { exact: true }).fill(r.verb);
    await region(page, 'Can I').getByLabel('Resource', { exact: true }).fill(r.resource);
    await region(page, 'Can I').getByLabel('Namespace', { exact: true }).fill(r.namespace);
    await region(page, 'Can I').getByLabel('Name', { exact: true }).fill(r.name);
    await expect(page.getByRole('status', { name: 'Can I answer' }), JSON.stringify(r)).toHaveText(/^Yes/);
  }
  // And not more: the scale subresource is granted, the deployment itself is not.
  await region(page, 'Can I').getByLabel('Verb', { exact: true }).fill('update');
  await region(page, 'Can I').getByLabel('Resource', { exact: true }).fill('deployments.apps');
  await region(page, 'Can I').getByLabel('Namespace', { exact: true }).fill('workshop');
  await region(page, 'Can I').getByLabel('Name', { exact: true }).fill('web');
  await expect(page.getByRole('status', { name: 'Can I answer' })).toHaveText(/^No/);

  // Back on Activity, the pasted RBAC is compared with what was used.
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  const used = region(page, 'Used against granted');
  // Only the rule granting what was denied went unused.
  await expect(used.getByRole('status', { name: 'Unused rules count' })).toContainText(/^1 of the \d+ rules held/);
  await expect(used).toContainText('delete secrets -n workshop db');
  // The picture draws the same: its bars' never-used rules add up to the Unused rules list,
  // one segment each; its name says each binding's share in words.
  const picture = used.getByRole('img', { name: /^Used against granted: / });
  await expect(picture).toBeVisible();
  const words = await picture.getAttribute('aria-label');
  const unused = [...words.matchAll(/, (\d+) never used/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  assert.equal(unused, 1, words);
  await expect(picture.locator('rect.us-unused')).toHaveCount(2); // the legend's and the bar's
  const denied = await used.getByRole('list', { name: 'Denied requests' }).locator(':scope > li').count();
  assert.ok(words.endsWith(`; ${denied} requests denied`), words);
  await shootThemes(page, picture, 'usage');
  assert.equal((await downloadSvg(page, used)).name, 'used-against-granted.svg');
});

test('one namespace opens in the RBAC builder, and Redact masks names and the token', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/inspect`);
  await paste(page, 'Token', token);
  await page.getByRole('link', { name: 'Activity', exact: true }).click();
  await paste(page, 'Audit events', log.split('\n').slice(0, 6).join('\n'));
  await expect(page.getByRole('status', { name: 'Matched events' })).toContainText('5 events matched');
  await page.getByRole('switch', { name: 'Redact' }).check();
  await expect(page.getByRole('status', { name: 'Whose activity in use' })).toHaveText(without('demo-app', jti));
  await expect(page.getByRole('table', { name: 'Requests' })).toHaveText(without('web-1'));
  await expect(page.getByRole('region', { name: 'Generated RBAC YAML', exact: true })).toHaveText(without('demo-app', 'web-1'));
  await page.getByRole('switch', { name: 'Redact' }).uncheck();
  await page.getByRole('button', { name: 'Open in RBAC builder' }).click();
  await expect(page.getByLabel('Service account', { exact: true })).toHaveValue('demo-app');
  assert.match(page.url(), /#\/rbac$/);
  await expect(page.getByRole('region', { name: 'RBAC YAML' })).toContainText('pods/log');
});

test('the filled page: no serious accessibility violations, and it fits a phone', async () => {
  const fresh = await open(browser, `${server.url}#/inspect`);
  const { page } = fresh;
  try {
    await page.setViewportSize({ width: 375, height: 800 });
    await paste(page, 'Token', token);
    await page.getByRole('link', { name: 'Activity', exact: true }).click();
    await paste(page, 'Audit events', log);
    await expect(page.getByRole('status', { name: 'Matched events' })).toContainText('10 events matched');
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
    await fresh.context.close();
  }
});
