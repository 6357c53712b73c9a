// Hand-overs as a keyboard and screen-reader user meets them: every button or link that fills
// another page moves the focus to what was written there, says so in the live region, and
// leaves the page's main action a few Tabs away; a link over the user's own text keeps an
// undo, and Back never fills a page again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { expect } from './expect.mjs';
import { start, stop, open, paste, region, vector } from './harness.mjs';

let server;
let browser;
before(async () => ({ server, browser } = await start()));
after(() => stop({ server, browser }));

/** A real 403 from a public issue (tests/fixtures/apierror/manifest.json: helm/helm#5100). */
const HELM_403 = vector('apierror/helm-tiller-default-list-configmaps.txt');
/** A real audit log (tests/fixtures/audit2rbac/README.md: liggitt/audit2rbac's testdata/demo.log). */
const AUDIT2RBAC = vector('audit2rbac/demo.log');

/** The live region's words. */
function said(page) {
  return page.locator('#arrived');
}

/** Presses Tab until `target` has the focus; returns how many presses it took (at most `max`). */
async function tabsTo(page, target, max = 40) {
  for (let n = 0; n <= max; n++) {
    if (await target.evaluate((e) => e === document.activeElement)) return n;
    await page.keyboard.press('Tab');
  }
  return Infinity;
}

/** Runs `steps` in a fresh page opened at `hash`, failing on any uncaught error. */
async function fresh(hash, steps) {
  const opened = await open(browser, `${server.url}${hash}`);
  try {
    await steps(opened.page);
    if (opened.pageErrors.length) throw new Error(opened.pageErrors.join('\n'));
  } finally {
    await opened.context.close();
  }
}

/** The RBAC builder after a hand-over: Manifests focused, announced, Download YAML near. */
async function arrivedAtManifests(page, from) {
  await page.waitForURL(/#\/rbac$/);
  await expect(page.getByRole('heading', { name: 'Manifests', exact: true })).toBeFocused();
  await expect(said(page)).toHaveText(`RBAC builder filled from ${from}: review the YAML below.`);
  const tabs = await tabsTo(page, page.getByRole('button', { name: 'Download YAML' }), 5);
  assert.ok(tabs <= 5, `Download YAML is ${tabs} Tabs from the focus`);
  return tabs;
}

test('Fix in RBAC builder: the focus lands on the manifests, Download YAML one Tab away', async () => {
  await fresh('#/troubleshoot', async (page) => {
    await paste(page, 'Error message', HELM_403);
    await page.getByRole('button', { name: 'Fix in RBAC builder' }).click();
    assert.equal(await arrivedAtManifests(page, 'the error'), 1);
    await expect(page.getByRole('region', { name: 'RBAC YAML' })).toContainText('configmaps');
  });
});

test('Open in RBAC builder from real audit events: the same arrival', async () => {
  await fresh('#/activity', async (page) => {
    await paste(page, 'Audit events', AUDIT2RBAC);
    await paste(page, 'Whose activity', 'system:serviceaccount:ns1:sa1');
    await page.getByRole('button', { name: 'Open in RBAC builder' }).click();
    assert.equal(await arrivedAtManifests(page, 'the audit events'), 1);
    await expect(page.getByLabel('Service account', { exact: true })).toHaveValue('sa1');
  });
});

test("a Learn step's link to the RBAC builder: the same arrival", async () => {
  await fresh('#/learn/role', async (page) => {
    await page.getByRole('link', { name: 'Open the RBAC builder with the Read pods preset' }).click();
    assert.equal(await arrivedAtManifests(page, 'the link'), 1);
    await expect(page.getByLabel('Service account', { exact: true })).toHaveValue('demo-app');
  });
});

test('Show what this grants: the focus lands on the effective rules', async () => {
  await fresh('#/rbac', async (page) => {
    await page.getByLabel('Service account', { exact: true }).fill('pod-reader');
    await page.getByLabel('Namespace', { exact: true }).fill('demo');
    await page.getByRole('button', { name: 'Read pods', exact: true }).click();
    await page.getByRole('button', { name: 'Show what this grants' }).click();
    await expect(page.getByRole('heading', { name: 'Effective rules', exact: true })).toBeFocused();
    await expect(said(page)).toHaveText('Access filled from the RBAC builder: review the effective rules below.');
  });
});

test('Ask Can I as …: the focus lands on Can I', async () => {
  await fresh('#/access?rbac=demo', async (page) => {
    await expect(page.getByRole('status', { name: 'Read RBAC' })).toBeVisible();
    const who = region(page, 'Who can');
    await who.getByLabel('Verb', { exact: true }).fill('get');
    await who.getByLabel('Resource', { exact: true }).fill('pods');
    await who.getByLabel('Namespace', { exact: true }).fill('workshop');
    await page.getByRole('button', { name: 'Ask Can I as system:serviceaccount:workshop:demo-app' }).first().click();
    await expect(page.getByRole('heading', { name: 'Can I', exact: true })).toBeFocused();
    await expect(said(page)).toHaveText('Can I filled from Who can: review the answer below.');
    await expect(page.getByRole('status', { name: 'Can I answer' })).toHaveText(/^Yes/);
  });
});

test("Learn's example links: the focus waits for the example, then lands on what to read", async () => {
  await fresh('#/learn/token', async (page) => {
    await page.getByRole('link', { name: 'Inspect a bound token' }).click();
    await expect(page.getByRole('heading', { name: 'Summary', exact: true })).toBeFocused();
    await expect(said(page)).toHaveText('Inspect filled from the link: review the summary below.');
    assert.match(page.url(), /#\/inspect$/);
  });
});

test('a Learn link over your own error keeps it: Restore what you had, and Back fills nothing again', async () => {
  await fresh('#/troubleshoot', async (page) => {
    const field = page.getByLabel('Error message', { exact: true });
    await paste(page, 'Error message', HELM_403);
    await page.goto(`${server.url}#/learn/forbidden`);
    await page.getByRole('link', { name: 'See this 403 explained, with its fix' }).click();
    await expect(page.getByRole('heading', { name: 'Diagnosis', exact: true })).toBeFocused();
    await expect(field).toHaveValue(/demo-app/);
    const restore = page.getByRole('button', { name: 'Restore what you had' });

    // Back returns to the step; Forward to the page as it was left, not filled again.
    await page.goBack();
    await expect(region(page, '8. When the role is missing')).toBeVisible();
    await page.goForward();
    await expect(field).toHaveValue(/demo-app/);
    await restore.click();
    await expect(field).toHaveValue(HELM_403);
    await expect(restore).toHaveCount(0);
    await expect(said(page)).toHaveText('Restored what you had.');
    await page.goBack();
    await page.goForward();
    await expect(page.getByRole('heading', { name: 'Diagnosis', exact: true })).toBeVisible();
    await expect(field).toHaveValue(HELM_403);
  });
});

test('a Learn link over an empty page offers no undo', async () => {
  await fresh('#/learn/forbidden', async (page) => {
    await page.getByRole('link', { name: 'See this 403 explained, with its fix' }).click();
    await expect(page.getByRole('heading', { name: 'Diagnosis', exact: true })).toBeFocused();
    await expect(page.getByRole('button', { name: 'Restore what you had' })).toHaveCount(0);
  });
});
