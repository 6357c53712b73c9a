// Writes dist-single/tokenscope.html from the release build in dist/: one file with the app's
// wasm (base64) and its wasm-bindgen glue, boot.js, the favicon and the examples inlined
// (panic.js and the styles are inline already), that works opened from disk (file://). It fetches nothing: the wasm bytes are handed to the glue's init, so its CSP
// has connect-src 'none' and allows only its own inline scripts and style.
// Run by scripts/single-file (after the release build) and scripts/test.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { readManifest } from './build-manifest.mjs';
import { addInlineHashes, withPolicy } from './csp.mjs';
import { replaceOne } from './replace-one.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const out = join(root, 'dist-single', 'tokenscope.html');

const POLICY =
  "default-src 'none'; script-src 'wasm-unsafe-eval'; style-src 'none'; img-src data: blob:; " +
  "connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";

const read = (name) => readFileSync(join(dist, name.replace(/^\//, '')), 'utf8');

/** Text safe inside a <script> or <style> element. */
function inlineText(text, what) {
  if (/<\/(script|style)/i.test(text) || /<!--/.test(text)) throw new Error(`${what} cannot be inlined as is`);
  return text;
}

// Without its comments (the one on the CSP is about the served page).
let html = read('index.html').replace(/\s*<!--[\s\S]*?-->/g, '');

// Trunk's loader: `import init, * as bindings from '/x.js'; … init({ module_or_path: '/x_bg.wasm' })`.
const loader = html.match(/<script type="module" async>([\s\S]*?)<\/script>/);
if (!loader) throw new Error('no Trunk loader (<script type="module" async>) in dist/index.html');
// The glue and the wasm, by the names the post-build step listed in dist/build.json.
const { glue: glueName, wasm: wasmName } = readManifest(dist);
if (!loader[1].includes(glueName) || !loader[1].includes(wasmName)) {
  throw new Error(`the loader does not load ${glueName} and ${wasmName} (dist/build.json):\n${loader[1]}`);
}

// The glue is an ES module (minified by the post-build step) whose only export statement is
// `export{…as default,…}` and that imports nothing; inlined, it calls its own default export,
// wasm-bindgen's init, with the wasm bytes.
let glue = read(glueName);
if (/^\s*import\b|[;}]import[\s{*]/m.test(glue)) throw new Error(`${glueName} imports other modules (snippets?)`);
const exports = glue.match(/export\s*\{[^}]*\};?/g) ?? [];
if (exports.length !== 1) throw new Error(`unexpected exports in ${glueName}: ${exports.join(' | ')}`);
const init = exports[0].match(/([\w$]+) as default\b/)?.[1];
if (!init) throw new Error(`no default export (wasm-bindgen's init) in ${glueName}: ${exports[0]}`);
glue = glue.replace(exports[0], '');
// The build serves the wasm packed with xz (postbuild.mjs); the single file carries it plain, as
// base64, unpacked here by the page's own decoder, so it needs no decoder in it.
const { XzReadableStream } = createRequire(join(root, 'tools', 'package.json'))('xz-decompress');
const packed = readFileSync(join(dist, wasmName.replace(/^\//, '')));
const wasm = Buffer.from(
  await new Response(new XzReadableStream(new Response(packed).body)).arrayBuffer(),
);
const app = `${inlineText(glue, glueName)}
const WASM_BASE64 = "${wasm.toString('base64')}";
const bytes = Uint8Array.fromBase64
  ? Uint8Array.fromBase64(WASM_BASE64)
  : Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0));
await ${init}({ module_or_path: bytes });
`;
html = html.replace(loader[0], () => `<script type="module" async>${app}</script>`);
// The wasm's decoder (the classic script just before the loader): the single file has no use for it.
html = replaceOne(html, /<script id="xz-decompress">[\s\S]*?<\/script>\n?/, '', 'the wasm decoder (xz-decompress)');

// Preloads of the glue and the wasm: nothing to fetch any more.
html = html.replace(/<link rel="(modulepreload|preload)"[^>]*>/g, '');

html = replaceOne(
  html,
  /<link rel="icon" href="([^"]+\.svg)"[^>]*\/?>/,
  (_, href) => `<link rel="icon" href="data:image/svg+xml;base64,${Buffer.from(read(href)).toString('base64')}">`,
  'icon',
);
// panic.js is inline already (scripts/lib/postbuild.mjs); boot.js is not.
html = replaceOne(
  html,
  /<script src="boot\.js" defer><\/script>/,
  () => `<script>${inlineText(read('boot.js'), 'boot.js')}</script>`,
  '<script src="boot.js">',
);
// The examples' texts (src/ui/demo.rs reads them from here instead of fetching examples.json),
// as a JSON data block: never run, so the CSP has nothing to allow. `<` is escaped so no text in
// it can close the element.
const examples = JSON.stringify(JSON.parse(read('examples.json'))).replace(/</g, '\\u003c');
html = replaceOne(
  html,
  /<\/body>/,
  () => `<script type="application/json" id="tokenscope-examples">${examples}</script>\n</body>`,
  '</body>',
);
// boot.js reads this: the single file is the offline copy, it has no service worker.
html = replaceOne(html, /^<html\b/m, '<html data-single-file', '<html>');
html = addInlineHashes(withPolicy(html, POLICY));

// Fragment links (#/ca, #main: the static shell's navigation) stay in the page.
const left = html.replace(/<script\b[\s\S]*?<\/script>/g, '').match(/\s(src|href)="(?!data:|#)[^"]*"/g);
if (left) throw new Error(`references left in the single file: ${left.join(', ')}`);

mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, html);
const raw = Buffer.byteLength(html);
const gz = gzipSync(html, { level: 9 }).length;
console.log(`${out}: ${raw} bytes (${Math.round(raw / 1024)} KiB), gzip -9 ${gz} bytes (${Math.round(gz / 1024)} KiB)`);
