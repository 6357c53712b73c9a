// A static server over one folder, as any static host serves dist/: files by path under a base
// path (`/` or a sub-path such as `/tools/tokenscope/`), the right Content-Type (wasm as
// application/wasm), nothing outside the folder. Used by scripts/serve-dist.mjs and by the
// end-to-end tests' harness.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

export const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/**
 * Serves `dir` on `host:port` (port 0: a free one) under each base path of `at` (one or a list,
 * each starting and ending with `/`). `headers` go on every answer; `onRequest(path, status)` is
 * told of each request. With `gzip`, answers a client that accepts it with the file compressed
 * (gzip -9), as a production host would (the cold-start benchmark). Resolves with `origin`, `url` (the first base), `missing` (the paths
 * answered 404) and `close()`, which also drops the browsers' keep-alive connections.
 */
export async function serveStatic(dir, { at = '/', host = '127.0.0.1', port = 0, headers = {}, onRequest, gzip = false } = {}) {
  const bases = [at].flat();
  for (const base of bases) {
    if (!base.startsWith('/') || !base.endsWith('/')) throw new Error(`a base path starts and ends with /: ${base}`);
  }
  const root = normalize(dir + sep);
  const missing = [];
  const server = createServer(async (req, res) => {
    let path;
    try {
      path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    } catch {
      path = '';
    }
    const answer = (status, body, type) => {
      onRequest?.(path, status);
      if (status === 404) missing.push(path);
      const packed = gzip && body && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
      res.writeHead(status, {
        ...headers,
        ...(type ? { 'content-type': type } : {}),
        ...(packed ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}),
      });
      res.end(packed ? gzipSync(body, { level: 9 }) : body);
    };
    const base = bases.find((b) => path.startsWith(b));
    if (base === undefined) return answer(404);
    const rest = path.slice(base.length);
    const file = join(root, rest === '' || rest.endsWith('/') ? `${rest}index.html` : rest);
    if (!file.startsWith(root)) return answer(403);
    try {
      answer(200, await readFile(file), types[extname(file)] ?? 'application/octet-stream');
    } catch {
      answer(404);
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  const origin = `http://${host}:${server.address().port}`;
  const close = () =>
    new Promise((ok) => {
      server.close(ok);
      server.closeAllConnections();
    });
  return { origin, url: origin + bases[0], missing, close };
}
