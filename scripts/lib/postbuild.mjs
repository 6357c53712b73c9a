// Trunk post_build hook (Trunk.toml), run in the staging dist before it becomes dist/:
// 1. drops the comments of index.html and of the stylesheet Trunk inlined, inlines
//    static/panic.js (without its comments) in place of `<script src="panic.js">`, and moves
//    Trunk's module loader to the end of <body> as an async script, so the wasm starts as soon
//    as it is fetched (after #app exists, and after the crash notice is armed);
// 2. adds the SHA-256 of every inline <script> and <style> of index.html (the two above) to
//    the Content-Security-Policy <meta> that index.html declares;
// 3. drops the comments of boot.js, and writes sw.js from static/sw.js (without comments),
//    with the exact file names of this build (every one of them) as the app shell to precache
//    and a cache version derived from their contents;
// 4. writes build.json (build-manifest.mjs): every file with its size and hash.
// Before all that, the wasm is packed with xz into `…_bg.wasmxz` (the raw wasm is not served),
// and the loader streams it through xz-decompress and static/unpack.js (inlined) into
// WebAssembly's streaming compiler.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, writeManifest } from './build-manifest.mjs';
import { addInlineHashes, policyOf } from './csp.mjs';
import { replaceOne } from './replace-one.mjs';
import { shortenNames } from './short-names.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
const source = process.env.TRUNK_SOURCE_DIR ?? process.cwd();
if (!staging) throw new Error('TRUNK_STAGING_DIR is not set: run this as a Trunk post_build hook');

const indexPath = join(staging, 'index.html');
let page = readFileSync(indexPath, 'utf8');

// 0. The wasm, packed once with xz (scripts/lib/pack_wasm.py, Python's own lzma): 80 KB less
// than zopfli's gzip gave it, for every visit, and a host that gzips adds nothing to it. The
// decoder, xz-decompress (tools/, scripts/lib/setup.sh: xz-embedded built to a 12 KB wasm, MIT
// and public domain), costs 6 KB of that and unpacks the 1.2 MB in about 40 ms, in 64 KB steps
// the browser can interleave with anything else. The extension is not `.xz`, so no host adds a
// Content-Encoding, and the loader gives the bytes their type itself, so a host needs no
// `application/wasm` either.
const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
// The decoder's wasm: xz-embedded as the npm package xz-decompress builds it, taken from the
// data URL its script inlines and served as a file (its script, a stream class and a lock for
// Node and many streams, is not served: static/unpack.js drives the wasm's four exports).
const xzPackage = readFileSync(
  createRequire(join(source, 'tools', 'package.json')).resolve('xz-decompress/dist/package/xz-decompress.min.js'),
  'utf8',
);
const inlined = xzPackage.match(/data:application\/wasm;base64,([A-Za-z0-9+/=]+)/);
if (!inlined) throw new Error('xz-decompress no longer inlines its wasm as a data URL');
// Shrunk by wasm-opt -Oz (tools/, as the app's wasm is): 0.3 KB less of gzip, unpacking as fast.
const decoderRaw = join(staging, 'xz-decompress.raw.wasm');
writeFileSync(decoderRaw, Buffer.from(inlined[1], 'base64'));
execFileSync(join(source, 'tools', 'node_modules', '.bin', 'wasm-opt'), ['-Oz', '--strip-debug', '--strip-producers', decoderRaw, '-o', `${decoderRaw}.opt`]);
const decoderWasm = readFileSync(`${decoderRaw}.opt`);
rmSync(decoderRaw);
rmSync(`${decoderRaw}.opt`);
const decoderExports = WebAssembly.Module.exports(new WebAssembly.Module(decoderWasm)).map((e) => e.name);
for (const name of ['memory', 'create_context', 'supply_input', 'get_next_output', 'destroy_context']) {
  if (!decoderExports.includes(name)) throw new Error(`xz-decompress's wasm no longer exports ${name}`);
}
const decoderName = `xz-decompress-${createHash('sha256').update(decoderWasm).digest('hex').slice(0, 16)}.wasm`;
writeFileSync(join(staging, decoderName), decoderWasm);
const decoder = `self.xzDecoder={url:'./${decoderName}',integrity:'${sri(decoderWasm)}'};`;
for (const name of readdirSync(staging).filter((n) => /^tokenscope-[^/]*_bg\.wasm$/.test(n))) {
  // Short import names first (short-names.mjs): 4.9 KB less of the packed wasm and the glue.
  const gluePath = join(staging, name.replace(/_bg\.wasm$/, '.js'));
  const short = shortenNames(readFileSync(join(staging, name)), readFileSync(gluePath, 'utf8'));
  writeFileSync(join(staging, name), short.wasm);
  writeFileSync(gluePath, short.glue);
  const packed = `${name}xz`;
  execFileSync('python3', [join(source, 'scripts', 'lib', 'pack_wasm.py'), join(staging, name), join(staging, packed)]);
  rmSync(join(staging, name));
  const integrity = sri(readFileSync(join(staging, packed)));
  const preload = new RegExp(`<link rel="preload" href="\\./${name.replace(/\./g, '\\.')}"[^>]*>`);
  page = replaceOne(
    page,
    preload,
    () => `<link rel="preload" href="./${packed}" crossorigin="anonymous" integrity="${integrity}" as="fetch">`,
    `the wasm's preload (${name})`,
  );
  page = replaceOne(
    page,
    new RegExp(`init\\(\\{ module_or_path: '\\./${name.replace(/\./g, '\\.')}' \\}\\)`),
    () =>
      `init({ module_or_path: fetch('./${packed}', { integrity: '${integrity}' }).then((r) => { if (!r.ok) throw new Error(\`${packed}: \${r.status}\`); return new Response(self.unpackWasm(r.body), { headers: { 'Content-Type': 'application/wasm' } }); }) })`,
    `the loader's wasm (${name})`,
  );
}

// 1. The start-up order.
// Comments are for the source: a first visit need not download them (2.8 KB of gzip over
// index.html, its stylesheet, boot.js and sw.js). Only whole-line comments go, so no string or
// regular expression can be cut. Indentation and blank lines go too (0.4 KB of gzip over the
// glue, boot.js and sw.js): no script served has a template literal or string that spans lines.
const uncommented = (script) => {
  const lines = script.replace(/^[ \t]*\/\/.*\n/gm, '');
  if (lines.split('\n').some((line) => (line.match(/`/g) ?? []).length % 2 === 1)) {
    throw new Error('a script served has a template literal over several lines: its indentation cannot go');
  }
  return lines.replace(/^[ \t]+/gm, '').replace(/\n{2,}/g, '\n');
};
// wasm-bindgen's glue is minified by esbuild (tools/, scripts/lib/setup.sh): its comments (the
// signatures of its cast intrinsics, for its own authors), whitespace and long local names, 1.5
// KB of gzip a visit need not download; its exports keep their names. The page's Subresource
// Integrity hash of the glue follows its new bytes.
const esbuild = createRequire(join(source, 'tools', 'package.json'))('esbuild');
for (const name of readdirSync(staging).filter((n) => /^tokenscope-[^/]*\.js$/.test(n))) {
  const path = join(staging, name);
  const glue = esbuild.transformSync(readFileSync(path, 'utf8'), { format: 'esm', minify: true, target: 'es2020' }).code;
  writeFileSync(path, glue);
  const integrity = `sha384-${createHash('sha384').update(glue).digest('base64')}`;
  const link = new RegExp(`(href="\\./${name.replace(/\./g, '\\.')}"[^>]*integrity=")sha384-[^"]*(")`);
  page = replaceOne(page, link, (_, before, after) => `${before}${integrity}${after}`, `the glue's integrity (${name})`);
}
page = page.replace(/[ \t]*<!--[\s\S]*?-->\n?/g, '');
// The stylesheet Trunk inlined, minified: without its comments, and without the whitespace
// around braces, semicolons, commas and a declaration's colon. Whitespace elsewhere stays: a
// space before a `:` in a selector (`nav :focus`) is a descendant combinator. No string in
// static/style.css holds any of these characters, which tests/e2e/offline.test.mjs relies on.
const minified = (css) =>
  css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s*([{}])\s*/g, '$1')
    .replace(/\s*;\s*/g, ';')
    .replace(/,\s+/g, ',')
    .replace(/([{;])(--?[-a-zA-Z]+|[a-z][-a-z]*):\s+/g, '$1$2:')
    .replace(/;}/g, '}')
    .trim();
page = replaceOne(page, /<style>([\s\S]*?)<\/style>/, (_, css) => `<style>${minified(css)}</style>`, 'inline stylesheet (<style>)');
// Classic scripts minified too (esbuild keeps their top-level names: they are globals).
const minifyScript = (js) => esbuild.transformSync(js, { minify: true, target: 'es2020' }).code.trim();
const panic = minifyScript(readFileSync(join(source, 'static', 'panic.js'), 'utf8'));
if (/<\/script/i.test(panic)) throw new Error('static/panic.js cannot be inlined as is');
page = replaceOne(page, /<script src="panic\.js"><\/script>/, () => `<script>${panic}</script>`, '<script src="panic.js">');
let loader = '';
page = replaceOne(
  page,
  /[ \t]*<script type="module">([\s\S]*?)<\/script>\n?/,
  (_, body) => {
    loader = `<script type="module" async>${body}</script>\n`;
    return '';
  },
  'Trunk loader (<script type="module">)',
);
// The wasm's decoder and static/unpack.js run before the loader (a classic script, so they
// define their globals first).
const unpack = minifyScript(readFileSync(join(source, 'static', 'unpack.js'), 'utf8'));
if (/<\/script/i.test(unpack)) throw new Error('static/unpack.js cannot be inlined as is');
page = replaceOne(page, /<\/body>/, () => `<script id="xz-decompress">${decoder}${unpack}</script>\n${loader}</body>`, '</body>');

// 2. The CSP.
// `trunk serve` without --no-autoreload injects a script that it rewrites on every request, so
// no hash can allow it: drop it rather than have the CSP block it (scripts/serve turns it off).
const autoreload = /<script>(?:(?!<\/script>)[\s\S])*\{\{__TRUNK_ADDRESS__\}\}[\s\S]*?<\/script>/;
if (autoreload.test(page)) {
  page = page.replace(autoreload, '');
  console.log("postbuild: dropped trunk serve's autoreload script (the CSP would block it)");
}
const html = addInlineHashes(page);
writeFileSync(indexPath, html);

// 3. The service worker, and the script that registers it (copied by Trunk).
const bootPath = join(staging, 'boot.js');
writeFileSync(bootPath, minifyScript(readFileSync(bootPath, 'utf8')));
// Every file of the build is precached, examples.json too: after one visit to any page, every
// page and every section works with the network off. The list and the hashes are build.json's.
const shell = describe(staging).files.filter((f) => f.name !== 'sw.js');
const version = createHash('sha256');
for (const { name, sha256 } of shell) {
  version.update(`${name}\0`);
  version.update(Buffer.from(sha256, 'hex'));
}
// The page itself is cached under the URL it is visited at (the directory), not index.html.
const urls = shell.map(({ name }) => (name === 'index.html' ? './' : name));
let sw = uncommented(readFileSync(join(source, 'static', 'sw.js'), 'utf8'));
for (const [marker, value] of [
  [/\/\* VERSION \*\/ "[^"]*"/g, JSON.stringify(version.digest('hex').slice(0, 16))],
  [/\/\* SHELL \*\/ \[[^\]]*\]/g, JSON.stringify(urls)],
]) {
  const count = (sw.match(marker) ?? []).length;
  if (count !== 1) throw new Error(`static/sw.js must have ${marker} exactly once (found ${count})`);
  sw = sw.replace(marker, value);
}
writeFileSync(join(staging, 'sw.js'), minifyScript(sw));
writeManifest(staging);

console.log(`postbuild: CSP ${policyOf(html).length} chars; sw.js precaches ${urls.length} files`);
