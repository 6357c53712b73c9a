import { start, stop } from './harness.mjs';
function bigRole(n) {
  let out = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: huge\nrules:\n';
  for (let k = 0; k < n - 1; k++) out += `- apiGroups:\n  - example.com\n  resources:\n  - things-${String(k).padStart(6, '0')}\n  verbs:\n  - get\n  - list\n`;
  out += '- apiGroups:\n  - ""\n  resources:\n  - secrets\n  verbs:\n  - get\n';
  out += '---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: huge\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: huge\nsubjects:\n- kind: ServiceAccount\n  name: app\n  namespace: team\n';
  return out;
}
const n = Number(process.env.N ?? 46629);
const env = await start({ page: '#/access' });
const page = env.session.page;
await page.evaluate(() => { window.__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(Math.round(e.duration)); }).observe({ type: 'longtask', buffered: true }); });
await page.getByLabel('Subject', { exact: true }).fill('system:serviceaccount:team:app');
await page.waitForTimeout(300);
await page.evaluate(() => { window.__long = []; });
const text = bigRole(n);
const t0 = Date.now();
await page.getByLabel('Open a file for Cluster RBAC').setInputFiles({ name: 'big.yaml', mimeType: 'text/plain', buffer: Buffer.from(text) });
await page.getByRole('status', { name: 'Read RBAC' }).waitFor({ timeout: 120000 });
const t1 = Date.now();
await page.getByRole('table', { name: /Effective/ }).first().waitFor({ timeout: 120000 }).catch(() => {});
const t2 = Date.now();
await page.waitForTimeout(500);
const long = await page.evaluate(() => window.__long);
console.log(JSON.stringify({ n, bytes: text.length, readStatusMs: t1 - t0, effectiveMs: t2 - t0, longtasks: long.sort((a, b) => b - a).slice(0, 15), count: long.length }));
// keystroke in Can I
const res = page.getByLabel('Resource', { exact: true }).first();
await page.evaluate(() => { window.__long = []; });
const k0 = Date.now();
await res.fill('secrets');
await page.waitForTimeout(300);
console.log('can-i keystroke', Date.now() - k0, await page.evaluate(() => window.__long));
await stop(env);
