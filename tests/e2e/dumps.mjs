// Generated Kubernetes dumps of a chosen size, shaped as kubectl prints them: cluster RBAC
// (`kubectl get roles,rolebindings,clusterroles,clusterrolebindings -A -o yaml`) and token
// Secrets (`kubectl get secrets -A -o json`), for the bench and the file tests.

/** `n` as a uid-looking string, so generated objects read like real ones. */
export const uid = (n) => {
  const h = (n * 2654435761 >>> 0).toString(16).padStart(8, '0');
  return `${h}-${h.slice(0, 4)}-4${h.slice(1, 4)}-8${h.slice(4, 7)}-${h}${h.slice(0, 4)}`;
};

/** A YAML sequence of plain strings at `indent` (kubectl writes `- x` at its key's level). */
export const seq = (indent, items) => items.map((x) => `${indent}- ${x}\n`).join('');
export const READ = ['get', 'list', 'watch'];
export const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

/** One rule, kubectl-style, in a list at two spaces. */
export function rule({ groups = ['""'], resources, verbs, names }) {
  let out = `  - apiGroups:\n${seq('    ', groups)}`;
  if (names) out += `    resourceNames:\n${seq('    ', names)}`;
  return `${out}    resources:\n${seq('    ', resources)}    verbs:\n${seq('    ', verbs)}`;
}

/**
 * One item of a `kind: List`, as `kubectl get … -o yaml` prints it: keys sorted, metadata with
 * creationTimestamp, resourceVersion and uid, Helm's labels and annotations on some, and the
 * last-applied-configuration annotation on others.
 */
export function item(n, kind, name, namespace, { labels = {}, helm, applied, body }) {
  let meta = '';
  const notes = {};
  if (helm) {
    notes['meta.helm.sh/release-name'] = helm;
    notes['meta.helm.sh/release-namespace'] = namespace ?? helm;
    labels = { 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/instance': helm, ...labels };
  }
  if (applied) {
    const config = { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { annotations: {}, name, ...(namespace ? { namespace } : {}) } };
    notes['kubectl.kubernetes.io/last-applied-configuration'] = `|\n        ${JSON.stringify(config)}`;
  }
  const keys = Object.keys(notes).sort();
  if (keys.length) meta += `    annotations:\n${keys.map((k) => `      ${k}: ${notes[k]}\n`).join('')}`;
  meta += `    creationTimestamp: "2025-0${1 + (n % 9)}-1${n % 10}T0${n % 10}:1${n % 6}:2${n % 10}Z"\n`;
  const labelKeys = Object.keys(labels).sort();
  // Quoted as kubectl quotes them: only where YAML would read something else than a string.
  const label = (v) => (/^(true|false|null|[0-9.]+)$/.test(v) ? JSON.stringify(v) : v);
  if (labelKeys.length) meta += `    labels:\n${labelKeys.map((k) => `      ${k}: ${label(labels[k])}\n`).join('')}`;
  meta += `    name: ${name}\n`;
  if (namespace) meta += `    namespace: ${namespace}\n`;
  meta += `    resourceVersion: "${1000000 + n * 37}"\n    uid: ${uid(n)}\n`;
  return `- apiVersion: rbac.authorization.k8s.io/v1\n${body.aggregation ?? ''}  kind: ${kind}\n  metadata:\n${meta}${body.rest}`;
}

export const rules = (list) => ({ rest: `  rules:\n${list.map(rule).join('')}` });
export const binding = (kind, role, subjects) => ({
  rest: `  roleRef:\n    apiGroup: rbac.authorization.k8s.io\n    kind: ${kind}\n    name: ${role}\n  subjects:\n${subjects
    .map(([k, name, ns]) => `  - ${k === 'ServiceAccount' ? '' : 'apiGroup: rbac.authorization.k8s.io\n    '}kind: ${k}\n    name: ${name}\n${ns ? `    namespace: ${ns}\n` : ''}`)
    .join('')}`,
});
export const aggregated = (to) => ({
  aggregation: `  aggregationRule:\n    clusterRoleSelectors:\n    - matchLabels:\n        rbac.authorization.k8s.io/aggregate-to-${to}: "true"\n`,
  rest: '  rules: null\n',
});

/** The service account whose access the RBAC rows evaluate. */
export const RBAC_SUBJECT = 'system:serviceaccount:team-042:app';

/**
 * A cluster's RBAC as `kubectl get roles,rolebindings,clusterroles,clusterrolebindings -A -o
 * yaml` prints it: in each namespace Roles for an app, its config, CI, jobs and leader
 * election, bound to service accounts, groups and users, plus RoleBindings to the aggregated
 * admin, edit and view; cluster-wide the default roles (admin, edit, view aggregated by label
 * from system:aggregate-to-* and from every operator's admin, edit and view roles), each
 * operator's manager role and its ClusterRoleBinding, and the bindings to
 * system:authenticated. `light` leaves out the operators, the bindings' annotations, and the
 * CI and leader-election roles and their bindings.
 */
export function kubectlDump(namespaces, { light = false } = {}) {
  const roles = [];
  const bindings = [];
  const clusterRoles = [];
  const clusterBindings = [];
  let n = 0;
  for (let i = 0; i < namespaces; i++) {
    const ns = `team-${String(i).padStart(3, '0')}`;
    const helm = `app-${i}`;
    const ours = [
      ['app-reader', [{ resources: ['pods', 'pods/log', 'services', 'endpoints', 'configmaps'], verbs: READ }], 'ServiceAccount', 'app'],
      ['config-editor', [{ resources: ['configmaps', 'secrets'], verbs: [...READ, ...WRITE] }], 'ServiceAccount', 'deployer'],
      ['jobs', [{ groups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: [...READ, ...WRITE] }], 'ServiceAccount', 'cron'],
      ['deployments', [{ groups: ['apps'], resources: ['deployments', 'statefulsets', 'replicasets'], verbs: [...READ, 'patch', 'update'] }, { groups: ['apps'], resources: ['deployments/scale'], verbs: ['patch', 'update'] }], 'Group', `${ns}-devs`],
    ];
    if (!light) {
      ours.push(['ci-runner', [{ groups: ['""', 'apps', 'batch'], resources: ['pods', 'deployments', 'jobs'], verbs: READ }, { resources: ['pods/exec'], verbs: ['create'] }], 'ServiceAccount', 'ci']);
      ours.push(['leader-election', [{ groups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }, { resources: ['configmaps'], verbs: ['get', 'update'], names: [`${ns}-lock`] }, { resources: ['events'], verbs: ['create', 'patch'] }], 'ServiceAccount', 'controller']);
    }
    for (const [name, list, kind, subject] of ours) {
      roles.push(item(n++, 'Role', name, ns, { helm, applied: !light && name === 'jobs', body: rules(list) }));
      bindings.push(item(n++, 'RoleBinding', name, ns, { helm: light ? undefined : helm, body: binding('Role', name, [[kind, subject, kind === 'ServiceAccount' ? ns : undefined]]) }));
    }
    bindings.push(item(n++, 'RoleBinding', 'team-edit', ns, { body: binding('ClusterRole', 'edit', [['Group', `${ns}-admins`], ['User', `lead-${i}@example.com`]]) }));
    if (!light) {
      bindings.push(item(n++, 'RoleBinding', 'sa-view', ns, { body: binding('ClusterRole', 'view', [['Group', `system:serviceaccounts:${ns}`]]) }));
      bindings.push(item(n++, 'RoleBinding', 'oncall-admin', ns, { applied: true, body: binding('ClusterRole', 'admin', [['User', 'oncall@example.com']]) }));
    }
  }
  const defaults = [
    ['admin', aggregated('admin')],
    ['edit', aggregated('edit'), { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' }],
    ['view', aggregated('view'), { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }],
    ['cluster-admin', rules([{ groups: ['"*"'], resources: ['"*"'], verbs: ['"*"'] }])],
    ['system:aggregate-to-admin', rules([{ groups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: [...READ, ...WRITE] }, { groups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] }]), { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' }],
    ['system:aggregate-to-edit', rules([{ resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], verbs: READ }, { resources: ['serviceaccounts'], verbs: ['impersonate'] }, { resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], verbs: WRITE }, { resources: ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'secrets', 'serviceaccounts', 'services'], verbs: WRITE }, { groups: ['apps'], resources: ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'statefulsets'], verbs: WRITE }]), { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }],
    ['system:aggregate-to-view', rules([{ resources: ['configmaps', 'endpoints', 'persistentvolumeclaims', 'pods', 'replicationcontrollers', 'serviceaccounts', 'services'], verbs: READ }, { resources: ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'resourcequotas'], verbs: READ }, { groups: ['apps'], resources: ['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets'], verbs: READ }, { groups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: READ }]), { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' }],
    ['system:basic-user', rules([{ groups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] }])],
    ['system:discovery', { rest: `  rules:\n  - nonResourceURLs:\n${seq('    ', ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'])}    verbs:\n    - get\n` }],
  ];
  for (const [name, body, labels] of defaults) {
    clusterRoles.push(item(n++, 'ClusterRole', name, undefined, { labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels }, body }));
  }
  const operators = light ? 0 : Math.ceil(namespaces / 3);
  for (let i = 0; i < operators; i++) {
    const group = `operator-${i}.example.com`;
    const kinds = [`widgets${i}`, `gadgets${i}`];
    const helm = light ? undefined : `operator-${i}`;
    const parts = [
      ['admin', [...READ, ...WRITE]],
      ['edit', [...READ, ...WRITE]],
      ['view', READ],
    ];
    for (const [to, verbs] of parts) {
      clusterRoles.push(item(n++, 'ClusterRole', `operator-${i}-${to}`, undefined, {
        helm,
        labels: { [`rbac.authorization.k8s.io/aggregate-to-${to}`]: 'true' },
        body: rules([{ groups: [group], resources: [...kinds, ...kinds.map((k) => `${k}/status`)], verbs }]),
      }));
    }
    clusterRoles.push(item(n++, 'ClusterRole', `operator-${i}-manager`, undefined, {
      helm,
      applied: !light,
      body: rules([
        { groups: [group], resources: [...kinds, ...kinds.map((k) => `${k}/status`), ...kinds.map((k) => `${k}/finalizers`)], verbs: [...READ, ...WRITE] },
        { resources: ['configmaps', 'services', 'serviceaccounts'], verbs: [...READ, ...WRITE] },
        { groups: ['apps'], resources: ['deployments'], verbs: [...READ, ...WRITE] },
        { groups: ['coordination.k8s.io'], resources: ['leases'], verbs: [...READ, ...WRITE] },
        { resources: ['events'], verbs: ['create', 'patch'] },
      ]),
    }));
    clusterBindings.push(item(n++, 'ClusterRoleBinding', `operator-${i}-manager`, undefined, {
      helm,
      body: binding('ClusterRole', `operator-${i}-manager`, [['ServiceAccount', 'controller-manager', `operator-${i}`]]),
    }));
  }
  for (const [name, role, subjects] of [
    ['cluster-admin', 'cluster-admin', [['Group', 'system:masters']]],
    ['system:basic-user', 'system:basic-user', [['Group', 'system:authenticated']]],
    ['system:discovery', 'system:discovery', [['Group', 'system:authenticated']]],
  ]) {
    clusterBindings.push(item(n++, 'ClusterRoleBinding', name, undefined, { labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, body: binding('ClusterRole', role, subjects) }));
  }
  clusterRoles.sort();
  const items = [...roles, ...bindings, ...clusterRoles, ...clusterBindings];
  const text = `apiVersion: v1\nitems:\n${items.join('')}kind: List\nmetadata:\n  resourceVersion: ""\n`;
  return { text, roles: roles.length + clusterRoles.length, bindings: bindings.length + clusterBindings.length };
}

/** The realistic dump closest to `bytes` without going over, by number of namespaces. */
export function dumpOf(bytes, options) {
  let lo = 1;
  let hi = 2000;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (kubectlDump(mid, options).text.length <= bytes) lo = mid;
    else hi = mid - 1;
  }
  return { ...kubectlDump(lo, options), namespaces: lo };
}

/**
 * `kubectl get secrets -A --field-selector type=kubernetes.io/service-account-token -o json`
 * of `bytes` at most, as kubectl prints it (4-space indents): token Secrets of a real size (a
 * legacy token, a CA certificate), one in three with a last-used label, one in twenty marked
 * invalid.
 */
export function tokenSecretsDumpOf(bytes) {
  const b64 = (text) => Buffer.from(text).toString('base64');
  const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const ca = b64(`-----BEGIN CERTIFICATE-----\n${'MIIC/jCCAeagAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJl\n'.repeat(17)}-----END CERTIFICATE-----\n`);
  const secret = (i) => {
    const ns = `team-${String(i % 300).padStart(3, '0')}`;
    const sa = i % 7 === 0 ? 'default' : `app-${i}`;
    const name = `${sa}-token-${['bcdfg', 'x2z4q', 'k9m7t'][i % 3]}`;
    const labels = {};
    if (i % 3 === 0) labels['kubernetes.io/legacy-token-last-used'] = `2025-${String((i % 12) + 1).padStart(2, '0')}-15`;
    if (i % 20 === 0) labels['kubernetes.io/legacy-token-invalid-since'] = '2026-01-10';
    const token = `${b64url({ alg: 'RS256', kid: 'Xb3kq1vYQ0o5cD8oPz1r9QmB4cL7nWqk2sTzYv6uJhE' })}.${b64url({
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': ns,
      'kubernetes.io/serviceaccount/secret.name': name,
      'kubernetes.io/serviceaccount/service-account.name': sa,
      'kubernetes.io/serviceaccount/service-account.uid': `6f2a0c1e-0000-4000-8000-${String(i).padStart(12, '0')}`,
      sub: `system:serviceaccount:${ns}:${sa}`,
    })}.${Buffer.alloc(256, i % 251).toString('base64url')}`;
    return {
      apiVersion: 'v1',
      data: { 'ca.crt': ca, namespace: b64(ns), token: b64(token) },
      kind: 'Secret',
      metadata: {
        annotations: { 'kubernetes.io/service-account.name': sa, 'kubernetes.io/service-account.uid': `6f2a0c1e-0000-4000-8000-${String(i).padStart(12, '0')}` },
        creationTimestamp: '2021-03-01T10:00:00Z',
        labels,
        name,
        namespace: ns,
        resourceVersion: String(1000 + i),
        uid: `0b1c2d3e-0000-4000-8000-${String(i).padStart(12, '0')}`,
      },
      type: 'kubernetes.io/service-account-token',
    };
  };
  const one = JSON.stringify(secret(1), null, 4).length + 10;
  let count = Math.floor(bytes / one);
  for (;;) {
    const text = JSON.stringify({ apiVersion: 'v1', items: Array.from({ length: count }, (_, i) => secret(i)), kind: 'List', metadata: { resourceVersion: '' } }, null, 4);
    if (text.length <= bytes) return { text, count };
    count = Math.floor((count * bytes) / text.length) - 1;
  }
}

/**
 * One ClusterRole of `count` rules, each on its own resource of example.com, the last granting
 * `get secrets`, bound to `system:serviceaccount:team:app`: `tests/it/bounds.rs`'s
 * `big_cluster_role`, for the bench.
 */
export function bigClusterRole(count) {
  let out = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: huge\nrules:\n';
  for (let k = 0; k < count - 1; k++) {
    out += `- apiGroups:\n  - example.com\n  resources:\n  - things-${String(k).padStart(6, '0')}\n  verbs:\n  - get\n  - list\n`;
  }
  out += '- apiGroups:\n  - ""\n  resources:\n  - secrets\n  verbs:\n  - get\n';
  out += '---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: huge\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: huge\nsubjects:\n- kind: ServiceAccount\n  name: app\n  namespace: team\n';
  return out;
}

/**
 * Token Secrets with their metadata only (no `data`: tokens the controller has not filled in),
 * one a line, `bytes` at most: the most rows a dump of that size can give the Audit page, for
 * the bench's measure of what each row costs.
 */
export function bareTokenSecretsOf(bytes) {
  const secret = (i) => JSON.stringify({
    kind: 'Secret',
    metadata: { annotations: { 'kubernetes.io/service-account.name': `app-${i}` }, name: `app-${i}-token-x2z4q`, namespace: `team-${i % 300}` },
    type: 'kubernetes.io/service-account-token',
  });
  const parts = [];
  let size = '{"apiVersion":"v1","items":[\n]}'.length;
  for (let i = 0; ; i++) {
    const next = secret(i);
    if (size + next.length + 2 > bytes) break;
    parts.push(next);
    size += next.length + 2;
  }
  return { text: `{"apiVersion":"v1","items":[\n${parts.join(',\n')}\n]}`, count: parts.length };
}
