// Writes the inputs of the native bench rows (tests/it/bench.rs) into the folder given as the
// first argument: the same generated dumps the browser rows use (tests/e2e/dumps.mjs), and a
// cluster of about 4 MiB with workloads for the escalation rows.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dumpOf, tokenSecretsDumpOf, uid } from './dumps.mjs';

const [dir] = process.argv.slice(2);
if (!dir) throw new Error('usage: node bench-native.mjs DIR');
const MiB = 1024 * 1024;

/**
 * `kubectl get serviceaccounts,pods,deployments,statefulsets,cronjobs -A -o yaml` for the
 * namespaces of a generated dump: in each, the accounts its roles name, a Deployment of the
 * app, a CronJob run as `cron`, a StatefulSet that mounts no token, and a Pod of the
 * deployment; one privileged DaemonSet in kube-system. Also a `backup` account of team-000
 * bound to cluster-admin, so the dump has a path to it.
 */
function workloads(namespaces) {
  const items = [];
  let n = 0;
  const meta = (name, ns) => `  metadata:\n    name: ${name}\n    namespace: ${ns}\n    uid: ${uid(100000 + n++)}\n`;
  const podSpec = (indent, sa, { automount, privileged } = {}) => {
    let out = `${indent}serviceAccountName: ${sa}\n`;
    if (automount === false) out += `${indent}automountServiceAccountToken: false\n`;
    out += `${indent}containers:\n${indent}- image: registry.example.com/${sa}:1.4.2\n${indent}  name: main\n`;
    if (privileged) out += `${indent}  securityContext:\n${indent}    privileged: true\n`;
    return out;
  };
  for (let i = 0; i < namespaces; i++) {
    const ns = `team-${String(i).padStart(3, '0')}`;
    for (const sa of ['app', 'deployer', 'cron', 'ci', 'controller', ...(i === 0 ? ['backup'] : [])]) {
      items.push(`- apiVersion: v1\n  kind: ServiceAccount\n${meta(sa, ns)}`);
    }
    items.push(`- apiVersion: apps/v1\n  kind: Deployment\n${meta('app', ns)}  spec:\n    template:\n      spec:\n${podSpec('        ', 'app')}`);
    items.push(`- apiVersion: v1\n  kind: Pod\n${meta(`app-7d9f8b6c5-${uid(i).slice(0, 5)}`, ns)}  spec:\n${podSpec('    ', 'app')}`);
    items.push(`- apiVersion: batch/v1\n  kind: CronJob\n${meta('nightly', ns)}  spec:\n    jobTemplate:\n      spec:\n        template:\n          spec:\n${podSpec('            ', 'cron')}`);
    items.push(`- apiVersion: apps/v1\n  kind: StatefulSet\n${meta('cache', ns)}  spec:\n    template:\n      spec:\n${podSpec('        ', 'default', { automount: false })}`);
  }
  items.push(`- apiVersion: apps/v1\n  kind: DaemonSet\n${meta('node-agent', 'kube-system')}  spec:\n    template:\n      spec:\n${podSpec('        ', 'node-agent', { privileged: true })}`);
  items.push('- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRoleBinding\n  metadata:\n    name: backup-admin\n  roleRef:\n    apiGroup: rbac.authorization.k8s.io\n    kind: ClusterRole\n    name: cluster-admin\n  subjects:\n  - kind: ServiceAccount\n    name: backup\n    namespace: team-000\n');
  return `apiVersion: v1\nitems:\n${items.join('')}kind: List\nmetadata:\n  resourceVersion: ""\n`;
}

writeFileSync(join(dir, 'rbac8.yaml'), dumpOf(8 * MiB).text);
const rbac = dumpOf(Math.floor(3.35 * MiB));
const cluster = `${rbac.text}---\n${workloads(rbac.namespaces)}`;
writeFileSync(join(dir, 'cluster4.yaml'), cluster);
writeFileSync(join(dir, 'secrets8.json'), tokenSecretsDumpOf(8 * MiB).text);
console.log(JSON.stringify({ cluster: cluster.length, namespaces: rbac.namespaces }));
