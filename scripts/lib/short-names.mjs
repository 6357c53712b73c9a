// Gives the wasm's imports, and the exports its glue calls, names of one or two letters, in the
// wasm and in its glue alike. wasm-bindgen names each import
// `__wbg_<method>_<16 hex digits>` and each closure's export `…invoke__h<16 hex digits>`: 167
// names and their module, "./tokenscope_bg.js", spelled out in both files. Hex digits barely
// compress, so the long names cost a visit about 4.9 KB of the packed wasm and the glue's gzip;
// the program is unchanged.
//
// Only the import and export sections change (the build has no name section): every other byte
// of the wasm is copied. Each import must occur exactly once in the glue (its key in the imports
// object) and each export renamed only as `wasm.<name>` (before the glue is minified), or the
// build stops, so a new glue shape can never leave a name behind.

/** An unsigned LEB128 number at `at`: [value, next offset]. */
const readLeb = (bytes, at) => {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) throw new Error('short-names: the wasm ends inside a number');
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
};

const leb = (value) => {
  const out = [];
  do {
    const low = value % 128;
    value = Math.floor(value / 128);
    out.push(value ? low | 0x80 : low);
  } while (value);
  return Buffer.from(out);
};

const str = (text) => {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([leb(bytes.length), bytes]);
};

const readStr = (bytes, at) => {
  const [length, start] = readLeb(bytes, at);
  return [bytes.subarray(start, start + length).toString('utf8'), start + length];
};

/** The `n`th short name: a … z, A … Z, then two letters. Never a JS keyword. */
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const shortName = (n) => {
  let name = '';
  do {
    name = LETTERS[n % LETTERS.length] + name;
    n = Math.floor(n / LETTERS.length) - 1;
  } while (n >= 0);
  return name;
};

/** An import's description, from its kind byte to its end: copied as it is. */
const skipImportDesc = (bytes, kind, at) => {
  switch (kind) {
    case 0: // a function: its type index
      return readLeb(bytes, at)[1];
    case 1: { // a table: element type, limits
      const flags = bytes[at + 1];
      let next = readLeb(bytes, at + 2)[1];
      if (flags & 1) next = readLeb(bytes, next)[1];
      return next;
    }
    case 2: { // a memory: limits
      const flags = bytes[at];
      let next = readLeb(bytes, at + 1)[1];
      if (flags & 1) next = readLeb(bytes, next)[1];
      return next;
    }
    case 3: // a global: value type, mutability
      return at + 2;
    default:
      throw new Error(`short-names: an import of kind ${kind} is not known`);
  }
};

/** `before + name` replaced by `before + replacement`, found `count` times. */
const replaceAll = (text, name, replacement, before, count) => {
  const escaped = (before + name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(?<![\\w$])${escaped}(?![\\w$])`, 'g');
  const found = text.match(pattern)?.length ?? 0;
  if (found !== count) throw new Error(`short-names: the glue names ${before}${name} ${found} times, not ${count}`);
  return text.replace(pattern, before + replacement);
};

const replaceExactlyOnce = (text, name, replacement, before = '') => replaceAll(text, name, replacement, before, 1);

/**
 * The wasm and its glue with short names. The one module the wasm imports from (the glue's
 * "./tokenscope_bg.js") becomes "a".
 */
export function shortenNames(wasm, glue) {
  let module;
  if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error('short-names: not a wasm module');
  const parts = [wasm.subarray(0, 8)];
  let names = 0;
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, start] = readLeb(wasm, at + 1);
    const end = start + size;
    let body = wasm.subarray(start, end);
    // A profiling build (`PROFILE_NAMES=1`, wasm-opt off: docs/benchmarks.md) keeps the
    // functions' names for Chrome's profiler; a build a visit downloads has none.
    if (id === 0 && readStr(wasm, start)[0] === 'name' && !process.env.PROFILE_NAMES) {
      throw new Error('short-names: the wasm has a name section, which would keep the old names');
    }
    if (id === 2) {
      const [count, first] = readLeb(body, 0);
      const out = [leb(count)];
      let p = first;
      for (let i = 0; i < count; i++) {
        const [from, afterModule] = readStr(body, p);
        const [name, afterName] = readStr(body, afterModule);
        const kind = body[afterName];
        const descEnd = skipImportDesc(body, kind, afterName + 1);
        module ??= from;
        if (from !== module) throw new Error(`short-names: an import from ${from}, not ${module}`);
        const short = shortName(names++);
        glue = replaceExactlyOnce(glue, name, short);
        out.push(str('a'), str(short), body.subarray(afterName, descEnd));
        p = descEnd;
      }
      body = Buffer.concat(out);
    } else if (id === 7) {
      const [count, first] = readLeb(body, 0);
      const out = [leb(count)];
      let p = first;
      for (let i = 0; i < count; i++) {
        const [name, afterName] = readStr(body, p);
        const descEnd = readLeb(body, afterName + 1)[1];
        let kept = name;
        const uses = glue.split(`wasm.${name}`).length - 1;
        if (/__h[0-9a-f]{16}$/.test(name)) {
          kept = shortName(names++);
          glue = replaceExactlyOnce(glue, name, kept, 'wasm.');
        } else if (uses > 0 && name !== 'memory') {
          // The glue's own helpers (`__wbindgen_malloc`, called for every string passed in):
          // renamed where the glue calls them, and nowhere else may name them.
          kept = shortName(names++);
          glue = replaceAll(glue, name, kept, 'wasm.', uses);
          if (glue.includes(name)) throw new Error(`short-names: the glue names ${name} other than as wasm.${name}`);
        }
        out.push(str(kept), body.subarray(afterName, descEnd));
        p = descEnd;
      }
      body = Buffer.concat(out);
    }
    parts.push(Buffer.from([id]), leb(body.length), body);
    at = end;
  }
  if (module === undefined) throw new Error('short-names: the wasm imports nothing');
  glue = replaceExactlyOnce(glue, JSON.stringify(module), 'a');
  return { wasm: Buffer.concat(parts), glue, names };
}
