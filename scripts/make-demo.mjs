#!/usr/bin/env node
// Writes the built-in examples to demo/: tokens signed with throw-away demo keys, the JWKS
// that verifies them, a CA bundle, a Secret and a kubeconfig. Rerun it to replace them all
// (new keys each time); the private keys are never written anywhere.
//
//   node scripts/make-demo.mjs        (needs Node 18+ and openssl on PATH)
//
// Everything it writes is demo material: the names say "demo", the issuer is a made-up
// cluster, and no real cluster ever trusted these keys.

import { execFileSync } from 'node:child_process';
import { createHash, createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBundle } from './lib/demo-bundle.mjs';
import { b64, tokenSecretYaml } from './lib/k8s-text.mjs';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'demo');
const NOTE = 'DEMO MATERIAL from Tokenscope (scripts/make-demo.mjs): not from a real cluster.';

// Fixed instants, so the examples read the same in every workshop.
const ISSUED = Date.UTC(2026, 0, 15, 9, 0, 0) / 1000; // 2026-01-15T09:00:00Z
const FAR = Date.UTC(2036, 0, 15, 9, 0, 0) / 1000; // ten years on: still valid in class
const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const NS = 'workshop';
const SA = 'demo-app';
const SA_UID = '6f1c3a52-8d3e-4f0b-9c2a-5e7d1b4a9f10';

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const kidOf = (publicKey) =>
  createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');

function sign(alg, privateKey, kid, payload) {
  const header = { alg, kid };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signer = createSign('SHA256');
  signer.update(input);
  // JWS wants ECDSA signatures as r||s, not DER.
  const sig = signer.sign(alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey);
  return `${input}.${b64url(sig)}`;
}

function bound(pod, exp, iat) {
  const podUid = randomUUID();
  return {
    aud: [ISSUER],
    exp,
    iat,
    iss: ISSUER,
    jti: randomUUID(),
    'kubernetes.io': {
      namespace: NS,
      node: { name: 'demo-node-1', uid: randomUUID() },
      pod: { name: pod, uid: podUid },
      serviceaccount: { name: SA, uid: SA_UID },
      warnafter: iat + 3607,
    },
    nbf: iat,
    sub: `system:serviceaccount:${NS}:${SA}`,
  };
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsaKid = kidOf(rsa.publicKey);
const ecKid = kidOf(ec.publicKey);

const legacy = sign('RS256', rsa.privateKey, rsaKid, {
  iss: 'kubernetes/serviceaccount',
  'kubernetes.io/serviceaccount/namespace': NS,
  'kubernetes.io/serviceaccount/secret.name': `${SA}-token`,
  'kubernetes.io/serviceaccount/service-account.name': SA,
  'kubernetes.io/serviceaccount/service-account.uid': SA_UID,
  sub: `system:serviceaccount:${NS}:${SA}`,
});
const podBound = sign('RS256', rsa.privateKey, rsaKid, bound('demo-app-5f7c9d8b6-x2k4p', FAR, ISSUED));
const expired = sign('RS256', rsa.privateKey, rsaKid, bound('demo-app-5f7c9d8b6-x2k4p', ISSUED + 3600, ISSUED));
const es256 = sign('ES256', ec.privateKey, ecKid, bound('demo-app-5f7c9d8b6-h8r2m', FAR, ISSUED));

const jwk = (key, kid, alg) => ({ use: 'sig', ...key.export({ format: 'jwk' }), kid, alg });
const jwks = { keys: [jwk(rsa.publicKey, rsaKid, 'RS256'), jwk(ec.publicKey, ecKid, 'ES256')] };

// A root CA and an intermediate it signs, as a two-certificate bundle.
const tmp = mkdtempSync(join(tmpdir(), 'tokenscope-demo-'));
const ssl = (...args) => execFileSync('openssl', args, { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
try {
  ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'root.key');
  ssl('req', '-x509', '-new', '-key', 'root.key', '-sha256', '-days', '3650', '-out', 'root.crt',
    '-subj', '/CN=tokenscope-demo-ca', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature');
  ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'int.key');
  ssl('req', '-new', '-key', 'int.key', '-out', 'int.csr', '-subj', '/CN=tokenscope-demo-intermediate-ca');
  writeFileSync(join(tmp, 'int.ext'),
    'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\n' +
    'subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
  ssl('x509', '-req', '-in', 'int.csr', '-CA', 'root.crt', '-CAkey', 'root.key', '-CAcreateserial',
    '-days', '1825', '-sha256', '-extfile', 'int.ext', '-out', 'int.crt');
  var root = readFileSync(join(tmp, 'root.crt'), 'utf8');
  var intermediate = readFileSync(join(tmp, 'int.crt'), 'utf8');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const bundle = intermediate + root;

const secret = tokenSecretYaml({
  ca: root,
  namespace: NS,
  token: legacy,
  sa: SA,
  uid: SA_UID,
  name: `${SA}-token`,
  comment: NOTE,
});
const kubeconfig = `# ${NOTE}
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${b64(root)}
    server: https://demo.tokenscope.invalid:6443
  name: demo
contexts:
- context:
    cluster: demo
    namespace: ${NS}
    user: ${SA}
  name: ${SA}@demo
current-context: ${SA}@demo
kind: Config
preferences: {}
users:
- name: ${SA}
  user:
    token: ${podBound}
`;

const files = {
  'legacy.jwt': legacy + '\n',
  'bound-pod.jwt': podBound + '\n',
  'expired.jwt': expired + '\n',
  'es256.jwt': es256 + '\n',
  'jwks.json': JSON.stringify(jwks, null, 2) + '\n',
  'ca-bundle.crt': bundle,
  'secret.yaml': secret,
  'kubeconfig.yaml': kubeconfig,
};
for (const [name, text] of Object.entries(files)) writeFileSync(join(OUT, name), text);
writeBundle(OUT);
console.log(`wrote ${Object.keys(files).length} files to ${OUT} (RSA kid ${rsaKid}, EC kid ${ecKid})`);
