#!/usr/bin/env node
// Writes demo/examples.json: every file of demo/ that the app's examples use, by name, in one
// JSON object. The app fetches it from its own folder the first time an example is loaded (the
// service worker precaches it, and the single-file build carries it inline), so the demo
// material is not part of the wasm a first visit downloads. tests/it/examples.rs checks that it
// matches the files. scripts/make-demo.mjs runs this after it writes them.
//
//   node scripts/lib/demo-bundle.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEMO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'demo');

/** The files the examples use (src/learn/demo.rs names each). */
export const FILES = [
  'legacy.jwt',
  'bound-pod.jwt',
  'expired.jwt',
  'es256.jwt',
  'jwks.json',
  'ca-bundle.crt',
  'secret.yaml',
  'kubeconfig.yaml',
  'rbac.yaml',
];

export function writeBundle(dir = DEMO) {
  const bundle = Object.fromEntries(FILES.map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
  writeFileSync(join(dir, 'examples.json'), `${JSON.stringify(bundle, null, 1)}\n`);
  return FILES.length;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`wrote ${join(DEMO, 'examples.json')} (${writeBundle()} files)`);
}
