#!/usr/bin/env node
// Serves a built dist/ on 127.0.0.1, as a static host would, with the headers a host should add
// that a <meta> Content-Security-Policy cannot set (README, "Hosting it").
//
//   node scripts/serve-dist.mjs [--port 8080] [--at /tools/tokenscope/] [dist]
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serveStatic } from './lib/static-server.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const [, value] = args.splice(i, 2);
  return value;
};
const port = Number(option('--port', process.env.PORT ?? 8080));
const at = option('--at', '/');
const dir = resolve(args[0] ?? 'dist');
if (!existsSync(join(dir, 'index.html'))) {
  console.error(`error: ${dir} has no index.html: build first (./scripts/serve does).`);
  process.exit(1);
}
const headers = {
  'content-security-policy': "frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};
try {
  const { url } = await serveStatic(dir, { at, port, headers });
  console.log(`Serving ${dir} at ${url} (Ctrl-C stops)`);
} catch (error) {
  console.error(`error: cannot serve on 127.0.0.1:${port}: ${error.message}`);
  process.exit(1);
}
