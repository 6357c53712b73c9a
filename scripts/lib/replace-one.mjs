// Editing a built page by pattern, shared by scripts/lib/postbuild.mjs and scripts/lib/single-file.mjs:
// each edit must match exactly once, so a Trunk upgrade that changes the page's shape fails
// the build instead of shipping a page the edit silently missed.

/** Replaces the one match of `re` in `text`, a built index.html; throws unless there is exactly one. */
export function replaceOne(text, re, replacement, what) {
  const count = (text.match(new RegExp(re.source, `${re.flags.replace('g', '')}g`)) ?? []).length;
  if (count !== 1) throw new Error(`expected one ${what} in index.html, found ${count}`);
  return text.replace(re, replacement);
}
