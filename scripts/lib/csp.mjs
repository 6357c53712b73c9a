// The Content-Security-Policy helpers shared by scripts/lib/postbuild.mjs (dist/index.html) and
// scripts/lib/single-file.mjs (dist-single/tokenscope.html): find the inline <script>s and <style>s
// of a built page, hash them, and write the hashes into the page's CSP <meta>.
import { createHash } from 'node:crypto';

const META = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g;

/** base64 SHA-256 of a string's UTF-8 bytes, as a CSP source ('sha256-…'). */
export function hashSource(text) {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The CSP sources of every inline script and style in `html`: `{ script: [...], style: [...] }`.
 * Throws on what a CSP with hashes would block anyway (event-handler and style attributes,
 * `javascript:` URLs) and on a `</script` inside a script, which would end it early.
 */
export function inlineHashes(html) {
  const script = [];
  const style = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/i.test(m[1])) {
      if (m[2].trim() !== '') throw new Error('a <script src> with content');
      continue;
    }
    // A JSON data block is never run: the CSP has nothing to allow.
    if (/\btype\s*=\s*"application\/json"/i.test(m[1])) continue;
    script.push(hashSource(m[2]));
  }
  for (const m of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) style.push(hashSource(m[1]));
  // Strip scripts and styles, then look at the markup that is left.
  const markup = html.replace(/<script\b[\s\S]*?<\/script>/gi, '').replace(/<style\b[\s\S]*?<\/style>/gi, '');
  for (const [what, re] of [
    ['an inline event handler', /<[^>]*\son[a-z]+\s*=/i],
    ['a style attribute', /<[^>]*\sstyle\s*=/i],
    ['a javascript: URL', /javascript:/i],
  ]) {
    const hit = markup.match(re);
    if (hit) throw new Error(`the page has ${what}, which its CSP blocks: ${hit[0].slice(0, 120)}`);
  }
  return { script: [...new Set(script)], style: [...new Set(style)] };
}

/** Parses a policy into an ordered Map of directive name to its list of sources. */
export function parsePolicy(policy) {
  const directives = new Map();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

export function formatPolicy(directives) {
  return [...directives].map(([name, sources]) => [name, ...sources].join(' ')).join('; ');
}

/** The one CSP <meta> of `html` (throws unless there is exactly one). */
export function policyOf(html) {
  const metas = [...html.matchAll(META)];
  if (metas.length !== 1) throw new Error(`expected one CSP <meta>, found ${metas.length}`);
  return metas[0][1];
}

/** `html` with its CSP <meta> content replaced by `policy` (a string or a directives Map). */
export function withPolicy(html, policy) {
  const text = typeof policy === 'string' ? policy : formatPolicy(policy);
  if (/["<>]/.test(text)) throw new Error(`a CSP cannot contain " < or >: ${text}`);
  policyOf(html);
  // The meta must come before anything it governs: every <script>, <style> and <link>.
  const at = html.search(META);
  const first = html.search(/<(script|style|link)\b/i);
  if (first !== -1 && first < at) throw new Error('the CSP <meta> must come before every script, style and link');
  return html.replace(META, `<meta http-equiv="Content-Security-Policy" content="${text}">`);
}

/**
 * `html` with the hashes of its inline scripts and styles added to script-src and style-src of
 * its CSP <meta> (any hashes already there are dropped first, so this can run twice).
 */
export function addInlineHashes(html) {
  const directives = parsePolicy(policyOf(html));
  const hashes = inlineHashes(html);
  for (const [name, sources] of [
    ['script-src', hashes.script],
    ['style-src', hashes.style],
  ]) {
    let kept = (directives.get(name) ?? ["'self'"]).filter((s) => !s.startsWith("'sha256-"));
    // 'none' must stand alone: with hashes beside it, it is dropped (and the browser warns).
    if (sources.length > 0) kept = kept.filter((s) => s !== "'none'");
    directives.set(name, [...kept, ...sources]);
  }
  return withPolicy(html, directives);
}
