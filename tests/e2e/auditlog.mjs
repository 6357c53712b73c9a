// A big audit log for the file tests and the bench, written at test time (never committed):
// JSON lines shaped as the API server's log backend writes them, field for field as in the
// real samples of tests/fixtures/activity/ (kube-apiserver 1.23's Metadata-level events), with
// one service account among many users and controllers.
import { openSync, writeSync, closeSync } from 'node:fs';

/** The one subject the tests and the bench ask about. */
export const subject = 'system:serviceaccount:shop:checkout';

/** What `subject` does, again and again: the generated RBAC grants exactly these. */
const mine = [
  { verb: 'get', resource: 'configmaps', namespace: 'shop', name: 'checkout-config' },
  { verb: 'list', resource: 'pods', namespace: 'shop' },
  { verb: 'watch', resource: 'pods', namespace: 'shop' },
  { verb: 'create', resource: 'events', namespace: 'shop' },
  { verb: 'get', resource: 'leases', group: 'coordination.k8s.io', namespace: 'shop', name: 'checkout-leader' },
  { verb: 'update', resource: 'leases', group: 'coordination.k8s.io', namespace: 'shop', name: 'checkout-leader' },
];

const others = [
  ['system:kube-controller-manager', ['system:authenticated']],
  ['system:kube-scheduler', ['system:authenticated']],
  ['system:node:worker-1', ['system:nodes', 'system:authenticated']],
  ['system:node:worker-2', ['system:nodes', 'system:authenticated']],
  ['kubernetes-admin', ['system:masters', 'system:authenticated']],
  ['system:serviceaccount:kube-system:coredns', ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated']],
  ['system:serviceaccount:monitoring:prometheus', ['system:serviceaccounts', 'system:serviceaccounts:monitoring', 'system:authenticated']],
];
/** How many distinct requests the others make: a real log repeats its requests. */
export const DISTINCT = 2000;
const resources = ['pods', 'nodes', 'endpoints', 'services', 'configmaps', 'secrets', 'leases', 'events'];
const verbs = ['get', 'list', 'watch', 'update', 'patch'];

function uuid(n) {
  const h = (n * 2654435761 >>> 0).toString(16).padStart(8, '0');
  return `${h}-${h.slice(0, 4)}-4${h.slice(1, 4)}-8${h.slice(4, 7)}-${h}${h.slice(0, 4)}`;
}

function time(n) {
  const s = 1_764_583_200 + Math.floor(n / 50); // 2025-12-01T10:00:00Z, fifty events a second
  const d = new Date(s * 1000).toISOString().slice(0, 19);
  return `${d}.${String((n % 50) * 20000 + 1234).padStart(6, '0')}Z`;
}

function line(n) {
  const ours = n % 20 === 7;
  let user;
  let groups;
  let r;
  if (ours) {
    user = subject;
    groups = ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated'];
    r = mine[n % mine.length];
  } else {
    // The others' requests repeat, as controllers' and nodes' do: DISTINCT requests, each
    // a function of its number.
    const k = n % DISTINCT;
    [user, groups] = others[k % others.length];
    const resource = resources[k % resources.length];
    r = { verb: verbs[(k >> 3) % verbs.length], resource, namespace: resource === 'nodes' ? undefined : `team-${k % 13}`,
      name: k % 3 === 0 ? undefined : `${resource}-${k % 97}`, group: resource === 'leases' ? 'coordination.k8s.io' : '' };
  }
  const base = r.group ? `/apis/${r.group}/v1` : '/api/v1';
  const uri = `${base}${r.namespace ? `/namespaces/${r.namespace}` : ''}/${r.resource}${r.name ? `/${r.name}` : ''}`;
  const objectRef = { resource: r.resource, namespace: r.namespace, name: r.name, apiGroup: r.group || undefined, apiVersion: 'v1' };
  const stage = n % 11 === 3 ? 'RequestReceived' : 'ResponseComplete';
  const at = time(n);
  const ev = {
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: uuid(n), stage, requestURI: uri, verb: r.verb,
    user: { username: user, groups }, sourceIPs: ['192.168.121.1'], userAgent: 'kubectl/v1.23.0 (linux/amd64) kubernetes/af46c47',
    objectRef, responseStatus: stage === 'RequestReceived' ? undefined : { metadata: {}, code: 200 },
    requestReceivedTimestamp: at, stageTimestamp: at,
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': `RBAC: allowed by ClusterRoleBinding "binding-${r.verb}" of ClusterRole "role-${r.verb}" to User "${user}"` },
  };
  return JSON.stringify(ev);
}

/** Writes at least `bytes` bytes of audit log to `path`; returns the number of events. */
export function writeLog(path, bytes) {
  const fd = openSync(path, 'w');
  let written = 0;
  let n = 0;
  try {
    while (written < bytes) {
      const lines = [];
      for (let i = 0; i < 4096; i++) lines.push(line(n++));
      const block = Buffer.from(lines.join('\n') + '\n');
      writeSync(fd, block);
      written += block.length;
    }
  } finally {
    closeSync(fd);
  }
  return { events: n, bytes: written };
}

/** The same log as text, for a paste (small sizes only). */
export function logText(count) {
  const lines = [];
  for (let n = 0; n < count; n++) lines.push(line(n));
  return lines.join('\n') + '\n';
}
