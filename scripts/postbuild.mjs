// Trunk post_build hook (Trunk.toml), run in the staging dist before it becomes dist/: adds the
// SHA-256 of every inline <script> and <style> of index.html (Trunk's module loader) to the
// Content-Security-Policy <meta> that index.html declares.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addInlineHashes, policyOf } from './csp.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('TRUNK_STAGING_DIR is not set: run this as a Trunk post_build hook');

const indexPath = join(staging, 'index.html');
const html = addInlineHashes(readFileSync(indexPath, 'utf8'));
writeFileSync(indexPath, html);
console.log(`postbuild: CSP ${policyOf(html).length} chars`);
