// The legacy token audit: paste a dump of token Secrets, read the summary and the table, plan a
// migration, download the CSV and parse it (no token in it, names masked under Redact). Who
// can on Access lists a subject Can I then allows, and a token made for a cloud says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from './expect.mjs';
import { start, stop, paste, region, makeToken } from './harness.mjs';

let server;
let browser;
let session;
before(async () => ({ server, browser, session } = await start({ page: true })));
after(() => stop({ server, browser, session }));

const dir = mkdtempSync(join(tmpdir(), 'tokenscope-audit-'));
const DAY = 86_400_000;
const date = (ms) => new Date(ms).toISOString().slice(0, 10);

/** A token Secret as `kubectl get secrets -o json` writes it. */
function secret(namespace, sa, name, labels = {}, token) {
  token ??= makeToken({
    iss: 'kubernetes/serviceaccount',
    'kubernetes.io/serviceaccount/namespace': namespace,
    'kubernetes.io/serviceaccount/secret.name': name,
    'kubernetes.io/serviceaccount/service-account.name': sa,
    sub: `system:serviceaccount:${namespace}:${sa}`,
  }, { alg: 'RS256', kid: 'audit-key-1' });
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace,
      creationTimestamp: '2021-03-01T10:00:00Z',
      annotations: { 'kubernetes.io/service-account.name': sa },
      labels,
    },
    data: { token: Buffer.from(token).toString('base64'), namespace: Buffer.from(namespace).toString('base64') },
    type: 'kubernetes.io/service-account-token',
  };
}

const recent = date(Date.now() - 3 * DAY);
const items = [
  secret('kube-system', 'default', 'default-token-bcdfg'),
  secret('ci', 'deployer', 'deployer-token-x2z4q', { 'kubernetes.io/legacy-token-last-used': recent }),
  // A name no cluster allows, as a hand-edited dump may hold: the CSV must quote it.
  secret('team "a", b', 'builder', 'builder,"manual"', { 'kubernetes.io/legacy-token-last-used': '2024-01-15' }),
];
const dump = JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2);
const tokens = items.map((s) => s.data.token);

/** Polls `check` until it is true, for 5 s. */
async function until(check, what) {
  const end = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(what);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/** RFC 4180 fields: quoted fields with doubled quotes, CRLF line ends. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  assert.equal(field, '', 'the CSV ends with a line end');
  return rows;
}

async function downloadCsv(page, name) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  assert.equal(file.suggestedFilename(), 'token-audit.csv');
  const path = join(dir, name);
  await file.saveAs(path);
  return readFileSync(path, 'utf8');
}

test('a pasted dump gives the summary, one row per token Secret, a plan and a CSV without tokens', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/audit`);
  await paste(page, 'Secrets', dump);
  await expect(page.getByRole('status', { name: 'Audit summary' })).toHaveText(
    /^3 token Secrets: 1 never used, 1 used in the last 30 days/,
  );
  const table = page.getByRole('table', { name: 'Token Secrets' });
  await expect(table.getByRole('row')).toHaveCount(4);
  const first = table.getByRole('row').nth(1);
  await expect(first).toContainText('kube-system');
  await expect(first).toContainText('never');
  await expect(first).toContainText('audit-key-1');
  await expect(first).toContainText('The default service account');
  await expect(table.getByRole('row').nth(2)).toContainText(recent);

  // The period is editable, and moves the projected dates.
  const deletes = first.getByRole('cell').nth(9);
  const before = await deletes.innerText();
  await page.getByLabel('Clean-up period (days)').fill('30');
  await until(async () => (await deletes.innerText()) !== before, 'the deletion date moves with the period');
  await page.getByLabel('Clean-up period (days)').fill('0');
  await expect(page.getByRole('alert')).toContainText('whole number of days');
  await page.getByLabel('Clean-up period (days)').fill('');

  await page.getByRole('checkbox', { name: 'Select deployer-token-x2z4q' }).check();
  const script = page.getByRole('region', { name: 'Migration script' });
  await expect(script).toContainText('kubectl create token deployer --namespace ci');
  await expect(script).toContainText('kubectl label secret deployer-token-x2z4q --namespace ci kubernetes.io/legacy-token-invalid-since=');
  await expect(script).toContainText('kubectl delete secret deployer-token-x2z4q --namespace ci');
  await expect(page.getByRole('button', { name: 'Copy migration script' })).toBeVisible();

  const text = await downloadCsv(page, 'plain.csv');
  for (const token of tokens) assert.ok(!text.includes(token) && !text.includes('eyJ'), 'no token in the CSV');
  const rows = parseCsv(text);
  assert.equal(rows.length, 4);
  assert.deepEqual(rows[0].slice(0, 3), ['namespace', 'service account', 'secret']);
  assert.deepEqual(rows[3].slice(0, 3), ['team "a", b', 'builder', 'builder,"manual"']);
  assert.equal(rows[2][5], recent);
  assert.ok(rows.slice(1).every((r) => r.length === rows[0].length));
});

test('with Redact on, the table and the CSV mask namespace, service account and Secret names', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/audit`);
  await paste(page, 'Secrets', dump);
  await page.getByRole('switch', { name: 'Redact' }).check();
  const table = page.getByRole('table', { name: 'Token Secrets' });
  await expect(table).toContainText('depl••••••••');
  assert.ok(!(await table.innerText()).includes('deployer-token-x2z4q'));
  const rows = parseCsv(await downloadCsv(page, 'redacted.csv'));
  assert.deepEqual(rows[2].slice(0, 3), ['ci••••••••', 'depl••••••••', 'depl••••••••']);
  assert.ok(!rows.flat().some((f) => f.includes('deployer')));
  await page.getByRole('switch', { name: 'Redact' }).uncheck();
});

test('a dump over the 1 MiB of other fields is read', async () => {
  const { page } = session;
  const many = Array.from({ length: 2000 }, (_, i) => secret(`ns-${i % 40}`, `sa-${i}`, `sa-${i}-token-bcdfg`));
  const big = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: many });
  assert.ok(big.length > 1024 * 1024);
  await page.goto(`${server.url}#/audit`);
  await paste(page, 'Secrets', big);
  await page.getByRole('status', { name: 'Audit summary' }).filter({ hasText: /^2000 token Secrets: 2000 never used/ }).waitFor({ timeout: 20_000 });
  // The table draws 100 rows a step: Show more adds the next 100, and the count follows.
  const table = page.getByRole('table', { name: 'Token Secrets' });
  await expect(page.getByRole('main')).toContainText('Showing 100 of 2000 rows');
  assert.equal(await table.locator('tbody tr').count(), 100);
  await page.getByRole('button', { name: 'Show 100 more' }).click();
  await expect(page.getByRole('main')).toContainText('Showing 200 of 2000 rows');
  assert.equal(await table.locator('tbody tr').count(), 200);
});

test('Who can lists a subject, and Can I then answers Yes for it', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/access?rbac=demo`);
  await expect(page.getByRole('status', { name: 'Read RBAC' })).toBeVisible();
  const who = region(page, 'Who can');
  await who.getByLabel('Verb', { exact: true }).fill('get');
  await who.getByLabel('Resource', { exact: true }).fill('pods');
  await who.getByLabel('Namespace', { exact: true }).fill('workshop');
  const table = page.getByRole('table', { name: 'Subjects allowed' });
  await expect(table).toContainText('workshop/demo-app');
  await expect(table).toContainText('RoleBinding workshop/demo-app-pod-reader');
  const ask = table.getByRole('button', { name: 'Ask Can I as system:serviceaccount:workshop:demo-app' }).first();
  await ask.click();
  await expect(page.getByLabel('Subject', { exact: true })).toHaveValue('system:serviceaccount:workshop:demo-app');
  await expect(page.getByRole('status', { name: 'Can I answer' })).toHaveText(/^Yes/);
});

test('a token made for a cloud shows its section on Inspect', async () => {
  const { page } = session;
  const token = makeToken({
    aud: ['sts.amazonaws.com'],
    exp: 4102444800,
    iat: 1767225600,
    iss: 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
    sub: 'system:serviceaccount:shop:cart',
  });
  await page.goto(`${server.url}#/inspect`);
  await paste(page, 'Token', token);
  const cloud = region(page, 'Made for a cloud');
  await expect(cloud).toContainText('IAM roles for service accounts');
  await expect(cloud).toContainText('not a cluster credential');
  await expect(cloud).toContainText('eu-west-1');
  const policy = page.getByRole('region', { name: 'IAM role trust policy' });
  await expect(policy).toContainText('oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub');
  await expect(policy).toContainText('system:serviceaccount:shop:cart');
  await expect(page.getByRole('button', { name: 'Copy IAM role trust policy' })).toBeVisible();
});
