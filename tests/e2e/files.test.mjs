// Big inputs from files: a file opened (setInputFiles) or dropped (a DataTransfer) on each big
// field is read in chunks with progress and gives the answer a paste gives; Cancel keeps the
// answer before it; a 64 MiB audit log on Activity is read a slice a task, the page painting
// between slices (the bench measures the longest task).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from './expect.mjs';
import { start, stop, open, paste, vector, root } from './harness.mjs';
import { logText, subject, writeLog } from './auditlog.mjs';

let server;
let browser;
let session;
before(async () => ({ server, browser, session } = await start({ page: true })));
after(() => stop({ server, browser, session }));

const dir = mkdtempSync(join(tmpdir(), 'tokenscope-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Retries `check` until it holds or `timeout` ms pass. */
async function until(check, timeout = 10_000) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((ok) => setTimeout(ok, 50));
    }
  }
}

/** The page's answer: the text of `main` without the file field and the text areas. */
function answer(page) {
  return page.evaluate(() => {
    const main = document.querySelector('main').cloneNode(true);
    main.querySelectorAll('.file-field, textarea').forEach((e) => e.remove());
    return main.textContent;
  });
}

/**
 * Sets a text area's text and fires one input event, as a paste does; for texts Playwright's
 * fill types too slowly (it inserts 850 KB as text input for over 30 s).
 */
async function setText(page, label, text) {
  await page.getByLabel(label, { exact: true }).evaluate((area, text) => {
    area.value = text;
    area.dispatchEvent(new InputEvent('input', { bubbles: true }));
  }, text);
}

/** Opens `text` as a file through the field's Open a file button, and waits for it to be read. */
async function openFile(page, label, name, text) {
  await page.getByLabel(`Open a file for ${label}`).setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
  await expect(page.getByRole('status', { name: `${label} file` })).toContainText(name);
  await expect(page.getByRole('button', { name: `Clear ${label}` })).toBeVisible();
}

/** Drops `text` as a file on the text area `id`, as a drag from the desktop would. */
async function dropFile(page, id, name, text) {
  await page.evaluate(([id, name, text]) => {
    const data = new DataTransfer();
    data.items.add(new File([text], name, { type: 'text/plain' }));
    const area = document.getElementById(id);
    for (const type of ['dragenter', 'dragover', 'drop']) {
      area.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }
  }, [id, name, text]);
}

const fields = [
  // Cluster RBAC's text area is uncontrolled, as Audit events' and Secrets' are: a file's text
  // never goes into it. The 1 MiB fields (CA certificate, Verification key) show it.
  { route: '#/access', label: 'Cluster RBAC', id: 'access-rbac', uncontrolled: true, text: () => readFileSync(join(root, 'demo/rbac.yaml'), 'utf8'), ready: { role: 'status', name: 'Read RBAC' } },
  { route: '#/ca', label: 'CA certificate', id: 'ca', text: () => vector('minted/chain.pem'), ready: { role: 'heading', name: /Certificate 1/ } },
  { route: '', label: 'Verification key', id: 'key', text: () => readFileSync(join(root, 'demo/jwks.json'), 'utf8'), ready: { role: 'table', name: /^Keys read/ } },
];

for (const field of fields) {
  test(`${field.label}: a file opened or dropped gives the answer a paste gives`, async () => {
    const { page, pageErrors } = await open(browser, server.url + field.route);
    const text = field.text();
    await paste(page, field.label, text);
    await page.getByRole(field.ready.role, { name: field.ready.name }).first().waitFor();
    const pasted = await answer(page);
    await paste(page, field.label, '');
    await openFile(page, field.label, 'opened.txt', text);
    await until(async () => assert.equal(await answer(page), pasted));
    await paste(page, field.label, '');
    await dropFile(page, field.id, 'dropped.txt', text);
    await expect(page.getByRole('status', { name: `${field.label} file` })).toContainText('dropped.txt');
    await until(async () => assert.equal(await answer(page), pasted));
    // The file's text is not laid out in the text area.
    if (field.uncontrolled) assert.equal(await page.locator(`#${field.id}`).inputValue(), '');
    await page.getByRole('button', { name: `Clear ${field.label}` }).click();
    await expect(page.getByRole('status', { name: `${field.label} file` })).toHaveCount(0);
    assert.deepEqual(pageErrors, []);
    await page.context().close();
  });
}

test('Cluster RBAC: a file dropped after the app filled the field (an example) is still read', async () => {
  const { page, pageErrors } = await open(browser, `${server.url}#/access`);
  await page.getByRole('button', { name: 'Load example: demo RBAC' }).click();
  await page.getByRole('status', { name: 'Read RBAC' }).waitFor();
  const dump = readFileSync(join(root, 'tests/fixtures/dumps/k8s-bootstrap-namespace-roles.yaml'), 'utf8');
  await dropFile(page, 'access-rbac', 'bootstrap.yaml', dump);
  await expect(page.getByRole('status', { name: 'Cluster RBAC read' })).toContainText('7 roles and bindings');
  assert.deepEqual(pageErrors, []);
  await page.context().close();
});

test('Secrets on Audit: a dump opened as a file gives the answer a paste gives', async () => {
  const { page, pageErrors } = await open(browser, `${server.url}#/audit`);
  const dump = readFileSync(join(root, 'demo/secret.yaml'), 'utf8');
  await paste(page, 'Secrets', dump);
  await page.getByRole('status', { name: 'Audit summary' }).waitFor();
  const pasted = await answer(page);
  await openFile(page, 'Secrets', 'secrets.yaml', dump);
  await until(async () => assert.equal(await answer(page), pasted));
  assert.deepEqual(pageErrors, []);
  await page.context().close();
});

test('Related objects on Troubleshoot: a file gives the answer a paste gives', async () => {
  const { page, pageErrors } = await open(browser, `${server.url}#/troubleshoot`);
  await paste(page, 'Error message', 'error: You must be logged in to the server (Unauthorized)');
  const related = readFileSync(join(root, 'demo/secret.yaml'), 'utf8');
  await paste(page, 'Related objects', related);
  const pasted = await answer(page);
  await paste(page, 'Related objects', '');
  await openFile(page, 'Related objects', 'related.yaml', related);
  await until(async () => assert.equal(await answer(page), pasted));
  assert.deepEqual(pageErrors, []);
  await page.context().close();
});

async function activity() {
  const opened = await open(browser, `${server.url}#/activity`);
  await paste(opened.page, 'Whose activity', subject);
  return opened;
}

/** The events of the first `n` of auditlog.mjs's lines that count: one in eleven is RequestReceived. */
function counted(n) {
  let count = 0;
  for (let i = 0; i < n; i++) if (i % 11 !== 3) count++;
  return count.toLocaleString('en-US');
}

const rbac = (page) => page.getByRole('region', { name: 'Generated RBAC YAML' });
const sameRbac = (page, yaml) => until(async () => assert.equal(await rbac(page).textContent({ timeout: 1000 }), yaml));

test('Activity: an audit log opened or dropped as a file gives the RBAC a paste gives; Cancel keeps it', async () => {
  const { page, pageErrors } = await activity();
  const text = logText(1000); // 850 KB: a paste under 1 MiB
  await setText(page, 'Audit events', text);
  const read = await page.getByRole('status', { name: 'Read events' }).textContent();
  const yaml = await rbac(page).textContent();
  assert.match(yaml, /checkout-leader/);
  await paste(page, 'Audit events', '');
  await openFile(page, 'Audit events', 'audit.log', text);
  await expect(page.getByRole('status', { name: 'Read events' })).toHaveText(read);
  await sameRbac(page, yaml);
  await expect(page.getByRole('status', { name: 'Audit events read' })).toHaveText(`${counted(1000)} events, 8 subjects`);

  await paste(page, 'Audit events', '');
  await dropFile(page, 'activity-events', 'dropped.log', text);
  await expect(page.getByRole('status', { name: 'Audit events file' })).toContainText('dropped.log');
  await sameRbac(page, yaml);
  await expect(page.getByRole('status', { name: 'Audit events read' })).toHaveText(`${counted(1000)} events, 8 subjects`);

  // Cancel: a big file started, then cancelled, leaves the answer as it was.
  const big = join(dir, 'cancel.log');
  writeLog(big, 48 << 20);
  await page.getByLabel('Open a file for Audit events').setInputFiles(big);
  await expect(page.getByRole('progressbar', { name: 'Reading Audit events' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Cancelled' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Read events' })).toHaveText(read);
  await sameRbac(page, yaml);

  // One EventList spread over lines, as `jq .` prints one, is read only at its end: the file's
  // line still says how many events it held.
  const items = text.trim().split('\n').map((l) => JSON.parse(l));
  const list = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items }, null, 2);
  await page.getByRole('button', { name: 'Clear Audit events' }).click();
  await openFile(page, 'Audit events', 'events.json', list);
  await expect(page.getByRole('status', { name: 'Audit events read' })).toHaveText(`${counted(1000)} events, 8 subjects`);
  await sameRbac(page, yaml);
  assert.deepEqual(pageErrors, []);
  await page.context().close();
});

test('Activity: a paste over 1 MiB is read as a file is, not laid out in the field', async () => {
  const { page, pageErrors } = await activity();
  const text = logText(1500); // 1.3 MB
  await page.locator('#activity-events').evaluate((area, text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
  await expect(page.getByRole('status', { name: 'Audit events file' })).toContainText('Pasted text');
  await expect(page.getByRole('status', { name: 'Audit events file' })).toContainText('read as a file is, not shown in the field');
  await expect(page.getByRole('status', { name: 'Audit events read' })).toHaveText(`${counted(1500)} events, 8 subjects`);
  assert.equal(await page.locator('#activity-events').inputValue(), '');
  assert.match(await rbac(page).textContent(), /checkout-leader/);
  assert.deepEqual(pageErrors, []);
  await page.context().close();
});

test('Activity: a 64 MiB audit log file is read a slice a task, the page painting between them', async (t) => {
  const path = join(dir, 'audit-64.log');
  const { events } = writeLog(path, 64 << 20);
  const { page, pageErrors } = await activity();
  // Frames painted while the file is read: a page that read it in one task would paint none.
  // How long each task took depends on the machine's load, so the bench measures that
  // (scripts/bench: the longest main-thread task); here it is only reported.
  await page.evaluate(() => {
    window.__longTasks = [];
    window.__frames = 0;
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => Math.round(e.duration))))
      .observe({ type: 'longtask' });
    const tick = () => {
      window.__frames += 1;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.getByLabel('Open a file for Audit events').setInputFiles(path);
  await expect(page.getByRole('progressbar', { name: 'Reading Audit events' })).toBeVisible();
  await until(async () => assert.match(await rbac(page).textContent({ timeout: 1000 }), /checkout-leader/), 300_000);
  await expect(page.getByRole('status', { name: 'Audit events read' })).toContainText(`${counted(events)} events`);
  const { frames, long } = await page.evaluate(() => ({ frames: window.__frames, long: window.__longTasks }));
  t.diagnostic(`${frames} frames painted while reading; tasks over 50 ms: ${long.length ? long.join(', ') + ' ms' : 'none'}`);
  // About 512 slices of up to 128 KiB: the page paints between them.
  assert.ok(frames >= 50, `only ${frames} frames were painted while 64 MiB were read`);
  assert.deepEqual(pageErrors, []);
  await page.context().close();
});
