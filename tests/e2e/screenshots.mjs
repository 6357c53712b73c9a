// Writes the README's screenshots to docs/: `npm run screenshots` after a release build.
import { join } from 'node:path';
import { serve, launch, open, paste, vector, root, region } from './harness.mjs';

const server = await serve();
const browser = await launch();
// 2026-11-23T06:55:06Z, a minute after the demo tokens were issued.
const clock = 1795416906 * 1000;
try {
  for (const scheme of ['light', 'dark']) {
    const { page, context } = await open(browser, server.url, { clock });
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 900 });
    await paste(page, 'Token', vector('minted/token-bound-pod-rs256.jwt'));
    await paste(page, 'Verification key', vector('minted/jwks.json'));
    await page.getByText(/^Verified/).waitFor();
    await page.screenshot({ path: join(root, 'docs', `inspect-${scheme}.png`), fullPage: false });
    // The token's timeline, at the top of Times.
    await region(page, 'Times').getByRole('img', { name: /^Token timeline/ }).screenshot({ path: join(root, 'docs', `timeline-${scheme}.png`) });
    // The CA page's chain picture: an intermediate and its root.
    await page.getByRole('link', { name: 'CA', exact: true }).click();
    await paste(page, 'CA certificate', vector('minted/chain.pem'));
    const chain = region(page, 'Chain');
    await chain.getByText('Signature verified.').first().waitFor();
    await chain.getByRole('img', { name: /^Certificate chain/ }).screenshot({ path: join(root, 'docs', `chain-${scheme}.png`) });
    await context.close();
  }
  {
    const { page, context } = await open(browser, server.url, { clock });
    await page.setViewportSize({ width: 1280, height: 900 });
    await paste(page, 'Token', vector('minted/secret.yaml'));
    await page.getByRole('link', { name: 'Kubeconfig' }).click();
    await paste(page, 'Cluster name', 'prod');
    await paste(page, 'Server URL', 'https://203.0.113.10:6443');
    await page.getByRole('region', { name: 'Kubeconfig YAML' }).waitFor();
    await page.screenshot({ path: join(root, 'docs', 'kubeconfig.png'), fullPage: false });
    await context.close();
  }
  // The pages that open prefilled from a deep link.
  for (const [name, hash, ready] of [
    ['rbac', '#/rbac?preset=ci-deployer&sa=ci-bot&ns=demo', 'RBAC YAML'],
    ['access', '#/access?example=bound&rbac=demo', 'Effective rules'],
    ['learn', '#/learn', 'Guided walk: a service account from start to finish'],
  ]) {
    const { page, context } = await open(browser, `${server.url}${hash}`, { clock });
    await page.setViewportSize({ width: 1280, height: 900 });
    if (name === 'access') {
      const can = region(page, 'Can I');
      await can.getByLabel('Verb', { exact: true }).fill('list');
      await can.getByLabel('Resource', { exact: true }).fill('secrets');
      await can.getByLabel('Namespace', { exact: true }).fill('staging');
    }
    await page.getByRole('region', { name: ready }).first().waitFor();
    await page.screenshot({ path: join(root, 'docs', `${name}.png`), fullPage: false });
    await context.close();
  }
  {
    // The guided walk's 403, explained and fixed.
    const { page, context } = await open(browser, `${server.url}#/troubleshoot?example=forbidden`, { clock });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Fix in RBAC builder' }).waitFor();
    await page.screenshot({ path: join(root, 'docs', 'troubleshoot.png'), fullPage: false });
    await context.close();
  }
  {
    const { page, context } = await open(browser, `${server.url}#/token`, { clock });
    await page.setViewportSize({ width: 1280, height: 900 });
    await paste(page, 'Service account', 'ci-bot');
    await paste(page, 'Namespace', 'demo');
    await page.getByRole('region', { name: 'TokenRequest JSON' }).waitFor();
    await page.screenshot({ path: join(root, 'docs', 'token.png'), fullPage: false });
    await context.close();
  }
  const { page, context } = await open(browser, `${server.url}#/ca`, { clock });
  await page.setViewportSize({ width: 1280, height: 900 });
  await paste(page, 'CA certificate', vector('minted/chain.pem'));
  await page.getByText('Signature verified.').first().waitFor();
  await page.screenshot({ path: join(root, 'docs', 'ca.png'), fullPage: false });
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
