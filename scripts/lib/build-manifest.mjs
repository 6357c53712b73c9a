// dist/build.json: the one list of what a build is. The post-build step (postbuild.mjs) writes
// it once the files are final; the service worker's precache list, scripts/size and the
// single-file build read it, so no step guesses names from a pattern again.
//
//   { "files": [{ "name": "index.html", "bytes": 1234, "sha256": "…" }, …],   (sorted by name)
//     "glue": "tokenscope-….js", "wasm": "tokenscope-…_bg.wasmxz" }   (the wasm, xz)
//
// Every file of the build is listed, sw.js too, but not build.json itself: it describes the
// build, and no page loads it.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const MANIFEST = 'build.json';

/** Every file under `dir`, as `/`-separated names relative to it, sorted, build.json left out. */
function names(dir) {
  const walk = (at) =>
    readdirSync(at, { withFileTypes: true }).flatMap((entry) => {
      const path = join(at, entry.name);
      return entry.isDirectory() ? walk(path) : [path];
    });
  return walk(dir)
    .map((path) => relative(dir, path).split(sep).join('/'))
    .filter((name) => name !== MANIFEST)
    .sort();
}

/** The one file whose name matches `pattern`, or an error naming what is missing. */
function only(files, pattern, what) {
  const found = files.filter((f) => pattern.test(f.name));
  if (found.length !== 1) throw new Error(`the build must have one ${what}, found ${found.length}`);
  return found[0].name;
}

/** The manifest of the files now in `dir` (without writing it). */
export function describe(dir) {
  const files = names(dir).map((name) => {
    const body = readFileSync(join(dir, name));
    return { name, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') };
  });
  return {
    files,
    glue: only(files, /^tokenscope-[^/]*\.js$/, 'wasm-bindgen glue (tokenscope-*.js)'),
    wasm: only(files, /^tokenscope-[^/]*_bg\.wasmxz$/, 'wasm, packed with xz (tokenscope-*_bg.wasmxz)'),
  };
}

/** Describes the files now in `dir` and writes build.json there; returns the manifest. */
export function writeManifest(dir) {
  const manifest = describe(dir);
  // One line: no visit downloads it, but it is a file of the build, counted with the rest.
  writeFileSync(join(dir, MANIFEST), `${JSON.stringify(manifest)}\n`);
  return manifest;
}

/** The manifest a build wrote into `dir`. */
export function readManifest(dir) {
  let text;
  try {
    text = readFileSync(join(dir, MANIFEST), 'utf8');
  } catch {
    throw new Error(`${join(dir, MANIFEST)} is missing: build first (trunk build --release)`);
  }
  return JSON.parse(text);
}
