// Workshop use: every built-in example loads and verifies, the guided walk's links open
// prefilled pages, deep links reach each step, Redact masks what it promises, and an
// accessibility audit (axe-core) finds nothing serious on any page.
import { test, before, after } from 'node:test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from './expect.mjs';
import { start, stop, open, region } from './harness.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server;
let browser;
let session;
before(async () => ({ server, browser, session } = await start({ page: true })));
after(() => stop({ server, browser, session }));

const examples = [
  ['legacy token', /^Legacy/],
  ['pod-bound token', /^Bound/],
  ['expired token', /^Bound/],
  ['ES256 token', /^Bound/],
  ['Secret YAML', /^Legacy/],
  ['kubeconfig', /^Bound/],
];

for (const [label, kind] of examples) {
  test(`Load example: ${label} fills the fields and verifies`, async () => {
    const { page } = session;
    await page.goto(`${server.url}#/inspect`);
    await page.getByRole('button', { name: `Load example: ${label}` }).click();
    await expect(page.getByRole('status', { name: 'Signature status' })).toHaveText(/^Verified/);
    await expect(region(page, 'Summary').locator('.badge')).toHaveText(kind);
    for (const field of ['Token', 'Verification key', 'CA certificate']) {
      const value = await page.getByLabel(field, { exact: true }).inputValue();
      if (!value.trim()) throw new Error(`${field} is empty after loading ${label}`);
    }
    await expect(page.getByRole('button', { name: `Load example: ${label}` })).toHaveAttribute('aria-pressed', 'true');
  });
}

test('examples that cannot be fetched say why, and load once they can', async () => {
  // A fresh page whose requests for examples.json fail until let through; nothing else differs.
  const context = await browser.newContext();
  let blocked = true;
  await context.route('**/examples.json', (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}#/inspect`);
    await page.getByRole('button', { name: 'Load example: ES256 token' }).click();
    await expect(page.getByRole('status', { name: 'Examples status' })).toHaveText(/could not be loaded \(examples\.json/);
    await expect(page.getByLabel('Token', { exact: true })).toHaveValue('');
    blocked = false;
    await page.getByRole('button', { name: 'Load example: ES256 token' }).click();
    await expect(page.getByRole('status', { name: 'Signature status' })).toHaveText(/^Verified/);
    await expect(page.getByRole('status', { name: 'Examples status' })).toHaveText('');
  } finally {
    await context.close();
  }
});

test('the expired example says it expired', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/inspect?example=expired`);
  await expect(page.getByRole('status', { name: 'Validity' })).toHaveText(/^Expired/);
});

/** Every link of the walk, with what the page it opens must show. */
const walkLinks = [
  ['Inspect a bound token', async (page) => {
    await expect(page.getByRole('status', { name: 'Signature status' })).toHaveText(/^Verified/);
    await expect(region(page, 'Summary').locator('.badge')).toHaveText(/^Bound/);
  }],
  ["Inspect a legacy token's Secret", async (page) => {
    await expect(page.getByRole('status', { name: 'Recognised input' })).toContainText('Secret');
  }],
  ['See the cluster CA explained', async (page) => {
    await expect(page.getByRole('main')).toContainText('tokenscope-demo-intermediate-ca');
  }],
  ['Build the kubeconfig from the example', async (page) => {
    await expect(page.getByRole('region', { name: 'Kubeconfig YAML' })).toContainText('server: https://demo.tokenscope.invalid:6443');
  }],
  ['Build the service account and its RBAC', async (page) => {
    await expect(page.getByRole('region', { name: 'RBAC YAML' })).toContainText('namespace: workshop');
    await expect(page.getByLabel('Service account', { exact: true })).toHaveValue('demo-app');
  }],
  ['See what the token can do, offline', async (page) => {
    await expect(page.getByRole('region', { name: 'Effective rules' })).toContainText('RoleBinding workshop/demo-app-pod-reader');
  }],
  ['Inspect an expired token', async (page) => {
    await expect(page.getByRole('status', { name: 'Validity' })).toHaveText(/^Expired/);
  }],
];

for (const [name, check] of walkLinks) {
  test(`#/learn link "${name}" opens a prefilled page`, async () => {
    // A fresh page, so nothing is left over from other tests.
    const fresh = await open(browser, `${server.url}#/learn`);
    try {
      await fresh.page.getByRole('link', { name, exact: true }).first().click();
      await check(fresh.page);
      if (fresh.pageErrors.length) throw new Error(fresh.pageErrors.join('\n'));
    } finally {
      await fresh.context.close();
    }
  });
}

test('#/learn lists every step and deep links focus one', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/learn`);
  const steps = page.getByRole('navigation', { name: 'Steps' }).getByRole('link');
  await expect(steps).toHaveCount(8);
  await page.goto(`${server.url}#/learn/forbidden`);
  const step = region(page, '8. When the role is missing');
  await expect(step).toBeFocused();
  await expect(page.getByRole('region', { name: 'Output: 8. When the role is missing' }))
    .toContainText('cannot list resource "pods" in API group "" in the namespace "workshop"');
});

test('Redact masks the signature and uids on screen, and switching back restores them', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/inspect?example=bound`);
  const segments = region(page, 'Segments');
  const payload = page.getByRole('region', { name: 'Payload JSON' });
  await expect(payload).toContainText('6f1c3a52-8d3e-4f0b-9c2a-5e7d1b4a9f10');
  const signature = (await page.getByLabel('Token', { exact: true }).inputValue()).trim().split('.')[2];
  await expect(segments).toContainText(signature);

  await page.getByRole('switch', { name: 'Redact' }).check();
  await expect(segments).toContainText('••••••••');
  if ((await segments.textContent()).includes(signature)) throw new Error('signature still shown');
  if ((await payload.textContent()).includes('6f1c3a52-8d3e-4f0b-9c2a-5e7d1b4a9f10')) throw new Error('uid still shown');
  await expect(payload).toContainText('demo-app-5f7c9d8b6-x2k4p');
  await expect(page.getByRole('status', { name: 'Signature status' })).toHaveText(/^Verified/);

  await page.goto(`${server.url}#/kubeconfig`);
  await page.getByLabel('Cluster name', { exact: true }).fill('demo');
  await page.getByLabel('Server URL', { exact: true }).fill('https://demo.tokenscope.invalid:6443');
  const yaml = page.getByRole('region', { name: 'Kubeconfig YAML' });
  await expect(yaml).toContainText('-REDACTED');

  await page.getByRole('switch', { name: 'Redact' }).uncheck();
  await page.goto(`${server.url}#/inspect`);
  await expect(region(page, 'Segments')).toContainText(signature);
});

for (const hash of ['#/inspect?example=bound', '#/ca?example=bound', '#/kubeconfig?example=kubeconfig', '#/rbac?preset=ci-deployer&sa=ci&ns=demo', '#/access?example=bound&rbac=demo', '#/learn', '#/nope']) {
  test(`accessibility audit of ${hash}: no serious or critical violations`, async () => {
    const { page } = session;
    await page.goto(`${server.url}${hash}`);
    await page.getByRole('main').getByRole('heading').first().waitFor();
    // evaluate() runs outside the page's Content-Security-Policy, unlike an injected <script>.
    await page.evaluate(axeSource);
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      if (serious.length) {
        const text = serious.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`);
        throw new Error(`${hash} in ${scheme}:\n${text.join('\n')}`);
      }
    }
  });
}

test('keyboard only: skip link, Load example, and the Redact switch', async () => {
  const fresh = await open(browser, `${server.url}#/inspect`);
  const { page } = fresh;
  try {
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('main')).toBeFocused();
    const target = page.getByRole('button', { name: 'Load example: pod-bound token' });
    for (let i = 0; i < 40 && !(await target.evaluate((e) => e === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    await expect(target).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status', { name: 'Signature status' })).toHaveText(/^Verified/);
    await page.getByRole('switch', { name: 'Redact' }).focus();
    await page.keyboard.press('Space');
    await expect(region(page, 'Segments')).toContainText('••••••••');
  } finally {
    await fresh.context.close();
  }
});

for (const hash of ['#/inspect?example=bound', '#/ca?example=bound', '#/kubeconfig?example=kubeconfig', '#/rbac?preset=ci-deployer&sa=ci&ns=demo', '#/access?example=bound&rbac=demo', '#/learn']) {
  test(`${hash} fits a phone's width without sideways scrolling`, async () => {
    const fresh = await open(browser, server.url);
    try {
      await fresh.page.setViewportSize({ width: 375, height: 800 });
      await fresh.page.goto(`${server.url}${hash}`);
      await fresh.page.getByRole('main').getByRole('heading').first().waitFor();
      const { scroll, width } = await fresh.page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        width: document.documentElement.clientWidth,
      }));
      if (scroll > width) throw new Error(`${hash}: ${scroll}px wide in a ${width}px viewport`);
    } finally {
      await fresh.context.close();
    }
  });
}

test('printing gives a handout: the report without navigation, switches or examples', async () => {
  const { page } = session;
  await page.goto(`${server.url}#/inspect?example=bound`);
  await expect(region(page, 'Claims')).toContainText('kubernetes.io');
  await page.emulateMedia({ media: 'print' });
  try {
    for (const hidden of [page.getByRole('navigation', { name: 'Pages' }), page.getByRole('switch', { name: 'Redact' }), region(page, 'Examples')]) {
      if (await hidden.isVisible()) throw new Error(`${hidden} is printed`);
    }
    await expect(region(page, 'Claims')).toBeVisible();
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
});

test('a WebAssembly trap shows the crash notice, and Reload brings the page back', async () => {
  const fresh = await open(browser, `${server.url}#/inspect`);
  const { page } = fresh;
  try {
    // A real trap (a module whose function is `unreachable`), thrown uncaught as a panic in
    // the app's own wasm would be, since panic = "abort" turns panics into this trap.
    await page.evaluate(() => {
      const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0,
        7, 5, 1, 1, 102, 0, 0, 10, 5, 1, 3, 0, 0, 11]);
      const trap = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f;
      setTimeout(trap, 0);
    });
    const notice = page.getByRole('alert').filter({ hasText: 'Something went wrong' });
    await expect(notice).toBeVisible();
    await notice.getByRole('button', { name: 'Reload' }).click();
    await page.getByRole('main').getByRole('heading').first().waitFor();
    await expect(page.getByRole('alert').filter({ hasText: 'Something went wrong' })).toHaveCount(0);
  } finally {
    await fresh.context.close();
  }
});
