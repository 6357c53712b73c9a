// Phones: at 390×844 nothing widens the page, and every wide table scrolls inside itself with
// its first column in view, its rows only as tall as their words need (a 14-column table once
// wrapped one letter per line: 19,000 px for 3 rows). Inspect, Access, Activity and Audit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from './expect.mjs';
import { start, stop, paste, vector, makeToken } from './harness.mjs';

const WIDTH = 390;
// The tallest row a phone may show: a few wrapped lines of the longest cell, not a column of
// single letters.
const ROW_LIMIT = 400;

let env;
let context;
let page;
before(async () => {
  env = await start();
  context = await env.browser.newContext({ viewport: { width: WIDTH, height: 844 } });
  page = await context.newPage();
});
after(async () => {
  await context?.close();
  await stop(env);
});

const shots = mkdtempSync(join(tmpdir(), 'tokenscope-phone-'));

/** What the page and its tables measure: the page's scroll width, and each table's rows. */
function layout() {
  return page.evaluate(() => ({
    width: document.documentElement.scrollWidth,
    tables: [...document.querySelectorAll('main table')].map((t) => ({
      name: t.getAttribute('aria-label') ?? t.caption?.textContent ?? '',
      rows: t.rows.length,
      tallest: Math.max(0, ...[...t.rows].map((r) => r.getBoundingClientRect().height)),
      height: t.getBoundingClientRect().height,
      sticky: t.rows[0] ? getComputedStyle(t.rows[0].cells[0]).position : 'none',
    })),
  }));
}

async function check(name, tables) {
  const { width, tables: found } = await layout();
  await page.screenshot({ path: join(shots, `${name}.png`) });
  assert.ok(width <= WIDTH, `${name}: the page is ${width} px wide on a ${WIDTH} px screen`);
  for (const want of tables) {
    const table = found.find((t) => t.name.startsWith(want));
    assert.ok(table, `${name}: a table named ${want} (found ${found.map((t) => t.name).join(', ')})`);
    assert.ok(table.rows > 1, `${name}: ${want} has rows`);
    assert.ok(table.tallest <= ROW_LIMIT, `${name}: ${want}'s tallest row is ${table.tallest} px`);
    assert.ok(table.height <= table.rows * ROW_LIMIT, `${name}: ${want} is ${table.height} px tall`);
    assert.equal(table.sticky, 'sticky', `${name}: ${want}'s first column stays in view`);
  }
}

test('Inspect on a phone: the claims read without widening the page', async () => {
  await page.goto(`${env.server.url}#/inspect?example=bound`);
  await expect(page.getByRole('heading', { name: 'Claims' })).toBeVisible();
  const { width } = await layout();
  assert.ok(width <= WIDTH, `the page is ${width} px wide`);
  await page.screenshot({ path: join(shots, 'inspect.png') });
});

test('Access on a phone: the effective rules scroll inside their tables', async () => {
  await page.goto(`${env.server.url}#/access?example=bound&rbac=demo`);
  await expect(page.getByRole('table', { name: /^In namespace/ }).first()).toBeVisible();
  await check('access', ['In namespace']);
});

test('Activity on a phone: the requests table keeps its rows short', async () => {
  await page.goto(`${env.server.url}#/activity`);
  await paste(page, 'Audit events', vector('activity/kodekloud-cks4-audit.jsonl'));
  await paste(page, 'Whose activity', 'agent-smith');
  await expect(page.getByRole('table', { name: 'Requests' })).toBeVisible();
  await check('activity', ['Requests']);
});

test('Audit on a phone: fourteen columns scroll sideways, rows stay a few lines tall', async () => {
  const secret = (i) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `pipeline-deployer-token-${i}x2z4q`,
      namespace: 'continuous-delivery',
      creationTimestamp: '2021-03-01T10:00:00Z',
      annotations: { 'kubernetes.io/service-account.name': 'pipeline-deployer' },
    },
    data: {
      token: Buffer.from(makeToken({
        iss: 'kubernetes/serviceaccount',
        'kubernetes.io/serviceaccount/namespace': 'continuous-delivery',
        'kubernetes.io/serviceaccount/secret.name': `pipeline-deployer-token-${i}x2z4q`,
        'kubernetes.io/serviceaccount/service-account.name': 'pipeline-deployer',
        sub: 'system:serviceaccount:continuous-delivery:pipeline-deployer',
      }, { alg: 'RS256', kid: 'audit-key-1' })).toString('base64'),
    },
    type: 'kubernetes.io/service-account-token',
  });
  await page.goto(`${env.server.url}#/audit`);
  await paste(page, 'Secrets', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [0, 1, 2].map(secret) }));
  await expect(page.getByRole('table', { name: 'Token Secrets' })).toBeVisible();
  await check('audit', ['Token Secrets']);
});
