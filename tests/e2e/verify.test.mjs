// Signature verification as a user does it: a token in Token, a key in Verification key,
// WebCrypto in real Chromium, and one status line that says what holds.
import { test, before, after } from 'node:test';
import { expect } from './expect.mjs';
import { start, stop, paste, region, vector, makeToken } from './harness.mjs';

let server;
let browser;
let session;
before(async () => ({ server, browser, session } = await start({ page: true })));
after(() => stop({ server, browser, session }));

const facts = JSON.parse(vector('minted/facts.json'));
const jwks = vector('minted/jwks.json');

/** Pastes token and key into one page and expects the status line to start with `status`. */
async function check(token, key, status) {
  const { page } = session;
  await paste(page, 'Verification key', key);
  await paste(page, 'Token', token);
  await expect(page.getByRole('status', { name: 'Signature status' })).toHaveText(new RegExp(`^${status}`));
}

const minted = [
  ['token-legacy-rs256.jwt', 'Verified'],
  ['token-bound-pod-rs256.jwt', 'Verified'],
  ['token-bound-es256.jwt', 'Verified'],
  ['token-expired-rs256.jwt', 'Verified'],
  ['token-signed-by-other.jwt', 'Invalid signature'],
  ['token-tampered.jwt', 'Invalid signature'],
  ['token-alg-none.jwt', 'Unsigned'],
];
for (const [file, status] of minted) {
  test(`${file} against jwks.json: ${status}`, () => check(vector(`minted/${file}`), jwks, status));
}

const pem = [
  ['token-legacy-rs256.jwt', 'sa-rsa.pub.pem', 'Verified'],
  ['token-bound-pod-rs256.jwt', 'sa-rsa.pkcs1.pub.pem', 'Verified'],
  ['token-bound-es256.jwt', 'sa-ec.pub.pem', 'Verified'],
  ['token-expired-rs256.jwt', 'sa-rsa.pub.pem', 'Verified'],
  ['token-tampered.jwt', 'sa-ec.pub.pem', 'Invalid signature'],
  ['token-signed-by-other.jwt', 'sa-rsa.pub.pem', 'Invalid signature'],
  ['token-legacy-rs256.jwt', 'other-rsa.pub.pem', 'Invalid signature'],
  ['token-legacy-rs256.jwt', 'sa-ec.pub.pem', 'Key does not fit'],
  ['token-bound-es256.jwt', 'sa-rsa.pub.pem', 'Key does not fit'],
  ['token-alg-none.jwt', 'sa-rsa.pub.pem', 'Unsigned'],
];
for (const [file, key, status] of pem) {
  test(`${file} against ${key}: ${status}`, () => check(vector(`minted/${file}`), vector(`minted/${key}`), status));
}

test('real minikube tokens verify with their API server keys, an unknown key fails', async () => {
  await check(
    vector('real/tokens/bound/vault-projected-minikube-rs256-exp2030.jwt'),
    vector('real/keys/vault-k8s-minikube-v1.18.10-sa.pub.pem'),
    'Verified',
  );
  await check(
    vector('real/tokens/bound/vault-projected-minikube-v1.12-kid-empty.jwt'),
    vector('real/keys/vault-k8s-minikube-v1.12.1-sa.pub.pem'),
    'Verified',
  );
  const unknown = vector('real/tokens/legacy/vault-legacy-rs256-unknown-key.jwt');
  for (const key of ['vault-k8s-minikube-v1.18.10-sa.pub.pem', 'vault-k8s-minikube-v1.12.1-sa.pub.pem', 'k8s-upstream-test-rsa.pub.pem']) {
    await check(unknown, vector(`real/keys/${key}`), 'Invalid signature');
  }
});

test('a JWKS without the token kid says No matching key and lists the kids', async () => {
  await check(vector('minted/token-legacy-rs256.jwt'), vector('real/jwks/k8s-upstream-openid-v1-jwks.json'), 'No matching key');
  await expect(session.page.getByRole('status', { name: 'Signature status' })).toContainText('JHJehTTTZlsspKHT-GaJxK7Kd1NQgZJu3fyK6K_QDYU');
});

test('HMAC tokens are an unsupported algorithm', () =>
  check(makeToken({ sub: 'x' }, { alg: 'HS256', typ: 'JWT' }), jwks, 'Unsupported algorithm'));

test('each pasted key shows the key ID Kubernetes computes and whether it is the token kid', async () => {
  const { page } = session;
  await paste(page, 'Verification key', vector('minted/sa-rsa.pub.pem') + vector('minted/sa-ec.pub.pem'));
  await paste(page, 'Token', vector('minted/token-legacy-rs256.jwt'));
  const keys = region(page, 'Signature').getByRole('table');
  await expect(keys.getByRole('row', { name: /PEM block 1/ })).toContainText(facts.rsa_kid);
  await expect(keys.getByRole('row', { name: /PEM block 1/ })).toContainText('Yes');
  await expect(keys.getByRole('row', { name: /PEM block 2/ })).toContainText(facts.ec_kid);
  await expect(keys.getByRole('row', { name: /PEM block 2/ })).toContainText('No');
  await expect(region(page, 'Findings')).toContainText('Signature verified');
});

test('a certificate works as a key, and a private key is refused with a warning', async () => {
  const { page } = session;
  await paste(page, 'Verification key', vector('minted/ca.crt'));
  await expect(region(page, 'Signature').getByRole('table')).toContainText('CERTIFICATE');
  await paste(page, 'Verification key', vector('real/keys/k8s-upstream-test-rsa.key.pem'));
  await expect(region(page, 'Signature').getByRole('alert')).toContainText('private key');
  await paste(page, 'Verification key', '{"keys": [');
  await expect(region(page, 'Signature').getByRole('alert')).toContainText('line');
  await paste(page, 'Verification key', '{"keys": []}');
  await expect(region(page, 'Signature').getByRole('alert')).toBeVisible();
  await check(vector('minted/token-bound-es256.jwt'), jwks, 'Verified');
});
