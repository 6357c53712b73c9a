#!/usr/bin/env node
// Writes tests/fixtures/minted/: service-account tokens signed with throw-away keys (legacy,
// pod-bound, ES256, expired, signed by another key, tampered, unsigned), the public keys as a
// JWKS and as PEM (SPKI and PKCS#1), an RSA root CA, an EC intermediate it signs (chain.pem), the
// root as base64 DER, an expired CA, a serving certificate, the Secret as `kubectl get -o
// yaml|json` and `kubectl describe` print it, a kubeconfig with the ES256 token, and facts.json:
// what a correct inspector shows for these files, computed here from what was minted.
//
//   node scripts/make-fixtures.mjs        (needs Node 18+ and openssl on PATH)
//
// Rerunning makes new keys, so new kids, signatures, serial numbers and fingerprints; the tests
// read those from facts.json or from the files, never spell them out. Names and instants are
// fixed (namespace demo, service account podgetter, tokens issued 2026-11-23T06:54:06Z, ...), so
// tests that pass `now` relative to them read the same after every run. The output is committed:
// tests never run this script. The private keys live only in a temporary directory, removed at
// the end; none is ever written to the repository.

import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { b64, tokenSecretYaml } from './lib/k8s-text.mjs';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'tests', 'fixtures', 'minted');

// Who the tokens are for. The uids are fixed so that every run names the same objects.
const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const NS = 'demo';
const SA = 'podgetter';
const SA_UID = 'a6ad7997-a1a0-561b-a846-c1c8f15bf9dd';
const SECRET = 'podgetter-token-x7k2p';
const POD = { name: 'podgetter-7d9f8b6c5d-q4wz2', uid: '4c08b7ca-91c2-5798-ac0e-5068431a7c82' };
const NODE = { name: 'worker-3', uid: '302fc40f-74ef-5bd1-871f-1bf4a245ce2a' };
const JTI = {
  unbound: 'a77b6e5e-892b-5e68-8ea6-ca9c169617ff',
  pod: 'f0964b46-91b2-5c3c-972e-5f525e324b95',
  expired: '5f49b179-c61b-50b9-9ab0-27044b38a2db',
};

// Fixed instants (Unix seconds). The certificates start a day before the tokens are issued.
const DAY = 86_400;
const ISSUED = Date.UTC(2026, 10, 23, 6, 54, 6) / 1000; // 2026-11-23T06:54:06Z
const CA_FROM = ISSUED - DAY; // 2026-11-22T06:54:06Z
const CA_UNTIL = CA_FROM + 3650 * DAY; // 2036-11-19T06:54:06Z
const INTERMEDIATE_UNTIL = CA_FROM + 1825 * DAY; // 2031-11-21T06:54:06Z
const SERVER_UNTIL = CA_FROM + 365 * DAY; // 2027-11-22T06:54:06Z
const EXPIRED_FROM = Date.UTC(2025, 9, 19, 6, 54, 6) / 1000; // 2025-10-19T06:54:06Z
const EXPIRED_UNTIL = EXPIRED_FROM + 30 * DAY; // 2025-11-18T06:54:06Z: long gone at ISSUED

const iso = (seconds) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
// GeneralizedTime as `openssl ca -startdate/-enddate` takes it: 20261122065406Z.
const asn1Time = (seconds) => iso(seconds).replace(/[-:T]/g, '');

const b64url = (data) => Buffer.from(data).toString('base64url');
const spkiDer = (publicKey) => publicKey.export({ type: 'spki', format: 'der' });
// Kubernetes' key ID: base64url (no padding) of SHA-256 over the DER SubjectPublicKeyInfo.
const kidOf = (publicKey) => createHash('sha256').update(spkiDer(publicKey)).digest('base64url');

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaKid = kidOf(rsa.publicKey);
const ecKid = kidOf(ec.publicKey);

/** A compact JWS over `header` and `payload` JSON as given (key order kept). */
function jws(alg, privateKey, header, payloadJson) {
  const input = `${b64url(JSON.stringify(header))}.${b64url(payloadJson)}`;
  // JWS wants ECDSA signatures as r||s, not DER.
  const key = alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey;
  return `${input}.${b64url(sign('sha256', Buffer.from(input), key))}`;
}
const rsaHeader = { alg: 'RS256', kid: rsaKid, typ: 'JWT' };
const ecHeader = { alg: 'ES256', kid: ecKid, typ: 'JWT' };

const sub = `system:serviceaccount:${NS}:${SA}`;
const legacyClaims = {
  iss: 'kubernetes/serviceaccount',
  'kubernetes.io/serviceaccount/namespace': NS,
  'kubernetes.io/serviceaccount/secret.name': SECRET,
  'kubernetes.io/serviceaccount/service-account.name': SA,
  'kubernetes.io/serviceaccount/service-account.uid': SA_UID,
  sub,
};
// A TokenRequest token: audience, one hour, no binding.
const unboundClaims = {
  aud: [ISSUER],
  exp: ISSUED + 3600,
  iat: ISSUED,
  iss: ISSUER,
  jti: JTI.unbound,
  'kubernetes.io': { namespace: NS, serviceaccount: { name: SA, uid: SA_UID } },
  nbf: ISSUED,
  sub,
};
// A projected token of a pod, as the kubelet gets it: pod and node binding, and the one-year
// expiry of the expiration extension with `warnafter` where the requested hour (+7 s) ends.
function podClaims(iat, exp, jti) {
  return {
    aud: [ISSUER],
    exp,
    iat,
    iss: ISSUER,
    jti,
    'kubernetes.io': {
      namespace: NS,
      serviceaccount: { name: SA, uid: SA_UID },
      pod: POD,
      warnafter: iat + 3607,
      node: NODE,
    },
    nbf: iat,
    sub,
  };
}
const podBoundClaims = podClaims(ISSUED, ISSUED + 365 * DAY, JTI.pod);
const expiredClaims = podClaims(ISSUED - 7200, ISSUED - 7200 + 600, JTI.expired);

const legacy = jws('RS256', rsa.privateKey, rsaHeader, JSON.stringify(legacyClaims));
const podBound = jws('RS256', rsa.privateKey, rsaHeader, JSON.stringify(podBoundClaims));
const expired = jws('RS256', rsa.privateKey, rsaHeader, JSON.stringify(expiredClaims));
const es256 = jws('ES256', ec.privateKey, ecHeader, JSON.stringify(unboundClaims));
// The right kid, the wrong key.
const signedByOther = jws('RS256', other.privateKey, rsaHeader, JSON.stringify(unboundClaims));
// The ES256 token with its subject changed to an admin after signing; re-serialised the way a
// script would (Python's json.dumps spacing), so the payload differs beyond the one claim.
const spaced = (v) =>
  Array.isArray(v)
    ? `[${v.map(spaced).join(', ')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${spaced(x)}`).join(', ')}}`
      : JSON.stringify(v);
const tamperedJson = spaced({ ...unboundClaims, sub: 'system:serviceaccount:kube-system:admin' });
const [esHead, , esSig] = es256.split('.');
const tampered = `${esHead}.${b64url(tamperedJson)}.${esSig}`;
const noneHeader = b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }));
const algNone = `${noneHeader}.${b64url(JSON.stringify(unboundClaims))}.`;

const jwk = (key, kid, alg) => {
  const { kty, ...rest } = key.export({ format: 'jwk' });
  return kty === 'RSA'
    ? { use: 'sig', kty, kid, alg, n: rest.n, e: rest.e }
    : { use: 'sig', kty, kid, crv: rest.crv, alg, x: rest.x, y: rest.y };
};
const jwks = { keys: [jwk(rsa.publicKey, rsaKid, 'RS256'), jwk(ec.publicKey, ecKid, 'ES256')] };

// The certificates, made by `openssl ca` with a throw-away config and database: unlike
// `openssl req -x509 -days`, it takes any validity period, including one already over.
const CONFIG = `[ ca ]
default_ca = fixtures

[ fixtures ]
database = index.txt
# Named because openssl 3.0 insists; -rand_serial means it is never read.
serial = serial
new_certs_dir = .
default_md = sha256
policy = cn_only
unique_subject = no
email_in_dn = no

[ cn_only ]
commonName = supplied

[ root ]
basicConstraints = critical,CA:TRUE
subjectKeyIdentifier = hash
authorityKeyIdentifier = none
keyUsage = critical,digitalSignature,keyEncipherment,keyCertSign

[ intermediate ]
basicConstraints = critical,CA:TRUE,pathlen:0
subjectKeyIdentifier = hash
authorityKeyIdentifier = none
keyUsage = critical,digitalSignature,keyEncipherment,keyCertSign

[ server ]
basicConstraints = critical,CA:FALSE
subjectKeyIdentifier = hash
authorityKeyIdentifier = none
subjectAltName = DNS:kubernetes,DNS:kubernetes.default.svc,DNS:localhost
`;

const tmp = mkdtempSync(join(tmpdir(), 'tokenscope-fixtures-'));
function ssl(...args) {
  try {
    return execFileSync('openssl', args, { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (e) {
    throw new Error(`openssl ${args.join(' ')}:\n${e.stderr ?? e.message}`);
  }
}
const writeKey = (name, { privateKey }) =>
  writeFileSync(join(tmp, name), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });

/** One certificate for `cn` with the key `key`, signed by `issuer` (or itself), as PEM. */
function certificate(name, cn, key, extensions, from, until, issuer) {
  ssl('req', '-new', '-key', key, '-subj', `/CN=${cn}`, '-out', `${name}.csr`);
  const signer = issuer
    ? ['-cert', `${issuer.name}.crt`, '-keyfile', issuer.key]
    : ['-selfsign', '-keyfile', key];
  ssl('ca', '-batch', '-config', 'ca.cnf', ...signer, '-in', `${name}.csr`, '-out', `${name}.crt`,
    '-extensions', extensions, '-startdate', asn1Time(from), '-enddate', asn1Time(until),
    '-rand_serial', '-notext');
  return readFileSync(join(tmp, `${name}.crt`), 'utf8');
}

let root, intermediate, server, expiredCa, rootKeyId;
try {
  writeFileSync(join(tmp, 'ca.cnf'), CONFIG);
  writeFileSync(join(tmp, 'index.txt'), '');
  writeKey('ca.key', generateKeyPairSync('rsa', { modulusLength: 2048 }));
  writeKey('int.key', generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  writeKey('server.key', generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  const ca = { name: 'ca', key: 'ca.key' };
  root = certificate('ca', 'demo-cluster-ca', 'ca.key', 'root', CA_FROM, CA_UNTIL);
  intermediate = certificate('int', 'demo-cluster-ca-intermediate', 'int.key', 'intermediate',
    CA_FROM, INTERMEDIATE_UNTIL, ca);
  server = certificate('server', 'kube-apiserver', 'server.key', 'server',
    CA_FROM, SERVER_UNTIL, ca);
  // An old CA of the same cluster key, expired a year before the tokens were issued.
  expiredCa = certificate('expired', 'expired-ca', 'ca.key', 'root', EXPIRED_FROM, EXPIRED_UNTIL);
  // `X509v3 Subject Key Identifier:` and the value on the line after it.
  const ski = ssl('x509', '-in', 'ca.crt', '-noout', '-ext', 'subjectKeyIdentifier');
  rootKeyId = ski.split('\n')[1].trim();
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const x509 = (pem) => new X509Certificate(pem);
// Serial numbers in OpenSSL's colon form, as the inspector shows them.
const serial = (pem) => x509(pem).serialNumber.toUpperCase().match(/../g).join(':');
const rootDer = x509(root).raw;
// The validity periods asked for are the ones written.
const periods = [[root, CA_FROM, CA_UNTIL], [intermediate, CA_FROM, INTERMEDIATE_UNTIL],
  [server, CA_FROM, SERVER_UNTIL], [expiredCa, EXPIRED_FROM, EXPIRED_UNTIL]];
for (const [pem, from, until] of periods) {
  const { validFrom, validTo } = x509(pem);
  if (Date.parse(validFrom) / 1000 !== from || Date.parse(validTo) / 1000 !== until) {
    throw new Error(`openssl wrote ${validFrom} to ${validTo}`);
  }
}

const secretYaml = tokenSecretYaml({ ca: root, namespace: NS, token: legacy, sa: SA, uid: SA_UID, name: SECRET });
// kubectl prints JSON with four-space indents and the keys in alphabetical order.
const secretJson = JSON.stringify(
  {
    apiVersion: 'v1',
    data: { 'ca.crt': b64(root), namespace: b64(NS), token: b64(legacy) },
    kind: 'Secret',
    metadata: {
      annotations: {
        'kubernetes.io/service-account.name': SA,
        'kubernetes.io/service-account.uid': SA_UID,
      },
      name: SECRET,
      namespace: NS,
    },
    type: 'kubernetes.io/service-account-token',
  },
  null,
  4,
);
const describe = `Name:         ${SECRET}
Namespace:    ${NS}
Labels:       <none>
Annotations:  kubernetes.io/service-account.name: ${SA}
              kubernetes.io/service-account.uid: ${SA_UID}

Type:  kubernetes.io/service-account-token

Data
====
ca.crt:     ${Buffer.byteLength(root)} bytes
namespace:  ${Buffer.byteLength(NS)} bytes
token:      ${legacy}
`;
const kubeconfig = `apiVersion: v1
kind: Config
preferences: {}
clusters:
- name: prod
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: ${b64(root)}
users:
- name: ${SA}
  user:
    token: ${es256}
contexts:
- name: ${SA}@prod
  context:
    cluster: prod
    user: ${SA}
    namespace: ${NS}
current-context: ${SA}@prod
`;

const facts = {
  namespace: NS,
  serviceaccount: SA,
  sa_uid: SA_UID,
  issuer: ISSUER,
  ca_subject_cn: 'demo-cluster-ca',
  ca_sha256: x509(root).fingerprint256,
  ca_not_after: iso(Date.parse(x509(root).validTo) / 1000),
  bound_pod: POD.name,
  rsa_kid: rsaKid,
  ec_kid: ecKid,
  other_rsa_kid: kidOf(other.publicKey),
  'bound-pod-rs256.exp': iso(podBoundClaims.exp),
  'bound-es256.exp': iso(unboundClaims.exp),
  'expired-rs256.exp': iso(expiredClaims.exp),
  ca_serial: serial(root),
  ca_subject_key_id: rootKeyId,
  intermediate_serial: serial(intermediate),
  server_serial: serial(server),
  expired_ca_serial: serial(expiredCa),
};

const pem = (key, type) => key.export({ type, format: 'pem' });
const files = {
  'token-legacy-rs256.jwt': legacy,
  'token-bound-pod-rs256.jwt': podBound,
  'token-bound-es256.jwt': es256,
  'token-expired-rs256.jwt': expired,
  'token-signed-by-other.jwt': signedByOther,
  'token-tampered.jwt': tampered,
  'token-alg-none.jwt': algNone,
  'jwks.json': JSON.stringify(jwks, null, 2),
  'sa-rsa.pub.pem': pem(rsa.publicKey, 'spki'),
  'sa-rsa.pkcs1.pub.pem': pem(rsa.publicKey, 'pkcs1'),
  'sa-ec.pub.pem': pem(ec.publicKey, 'spki'),
  'other-rsa.pub.pem': pem(other.publicKey, 'spki'),
  'ca.crt': root,
  'chain.pem': intermediate + root,
  'ca.der.b64': rootDer.toString('base64'),
  'expired-ca.crt': expiredCa,
  'server.crt': server,
  'secret.yaml': secretYaml,
  'secret.json': secretJson,
  'describe-secret.txt': describe,
  'kubeconfig.yaml': kubeconfig,
  'facts.json': JSON.stringify(facts, null, 2),
};
mkdirSync(OUT, { recursive: true });
for (const [name, text] of Object.entries(files)) {
  writeFileSync(join(OUT, name), text.endsWith('\n') ? text : `${text}\n`);
}
console.log(`wrote ${Object.keys(files).length} files to ${OUT}`);
console.log(`RSA kid ${rsaKid}, EC kid ${ecKid}, CA fingerprint ${facts.ca_sha256}`);
