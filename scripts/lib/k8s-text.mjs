// Kubernetes objects as kubectl prints them, for the scripts that mint test and demo material
// (scripts/make-fixtures.mjs, scripts/make-demo.mjs).

/** base64 with padding, as Kubernetes writes Secret `data` values. */
export const b64 = (text) => Buffer.from(text).toString('base64');

/**
 * A service-account token Secret as `kubectl get secret -o yaml` prints it: `ca` (PEM),
 * `namespace`, `token`, the service account's `sa` name and `uid`, the Secret's `name`, and an
 * optional first comment line.
 */
export function tokenSecretYaml({ ca, namespace, token, sa, uid, name, comment }) {
  return `${comment ? `# ${comment}\n` : ''}apiVersion: v1
data:
  ca.crt: ${b64(ca)}
  namespace: ${b64(namespace)}
  token: ${b64(token)}
kind: Secret
metadata:
  annotations:
    kubernetes.io/service-account.name: ${sa}
    kubernetes.io/service-account.uid: ${uid}
  name: ${name}
  namespace: ${namespace}
type: kubernetes.io/service-account-token
`;
}
