// The bench's file row: a 256 MiB audit log (tests/e2e/auditlog.mjs) opened on Activity,
// timed from the file set to the generated RBAC on screen, against jq's filter for the same
// subject over the same file, in the same run. Prints MB/s, peak memory and the longest
// main-thread task; fails (exit code 1) when Activity is under half jq's speed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { subject, writeLog } from './auditlog.mjs';

const JQ = '/usr/bin/jq';
const MB = 1e6;

/** Times jq's `select` for the subject over `path`, in ms, or undefined when jq is missing. */
function jqTime(path) {
  if (!existsSync(JQ)) {
    if (process.env.CI === 'true') throw new Error(`${JQ} is missing: install Debian's jq`);
    return undefined;
  }
  const start = process.hrtime.bigint();
  const run = spawnSync(JQ, ['-c', `select(.user.username == "${subject}")`, path], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) throw new Error(`jq exited with ${run.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Opens the log on Activity in a fresh page and measures it. */
async function activityTime(browser, url, path) {
  const context = await browser.newContext();
  // Trunk's loader announces the wasm's exports; its memory is the wasm heap.
  await context.addInitScript(() =>
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasmMemory = e.detail?.wasm?.memory; }));
  const page = await context.newPage();
  try {
    await page.goto(`${url}#/activity`);
    await page.getByLabel('Whose activity', { exact: true }).fill(subject);
    await page.evaluate(() => {
      window.__bench = { long: [], peakJs: 0, peakWasm: 0 };
      new PerformanceObserver((list) => window.__bench.long.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
      const sample = () => {
        const b = window.__bench;
        b.peakJs = Math.max(b.peakJs, performance.memory?.usedJSHeapSize ?? 0);
        b.timer = setTimeout(sample, 100);
      };
      sample();
    });
    const start = Date.now();
    await page.getByLabel('Open a file for Audit events').setInputFiles(path);
    await page.waitForFunction(() => document.querySelector('[aria-label="Generated RBAC YAML"]')?.textContent.includes('checkout-leader'), null, { timeout: 600_000, polling: 100 });
    const elapsed = Date.now() - start;
    const bench = await page.evaluate(() => {
      clearTimeout(window.__bench.timer);
      return { long: window.__bench.long, peakJs: window.__bench.peakJs };
    });
    // The wasm memory only grows: its size at the end is its peak.
    const wasm = await page.evaluate(() => window.__wasmMemory?.buffer.byteLength ?? 0);
    return { elapsed, ...bench, wasm };
  } finally {
    await context.close();
  }
}

/** Runs the row and returns its markdown lines. */
export async function fileBench(browser, url, bytes = 256 << 20) {
  const dir = mkdtempSync(join(tmpdir(), 'tokenscope-bench-file-'));
  try {
    const path = join(dir, 'audit.log');
    const { events, bytes: size } = writeLog(path, bytes);
    const jq = jqTime(path);
    const app = await activityTime(browser, url, path);
    const rate = (ms) => (ms === undefined ? '—' : `${(size / MB / (ms / 1000)).toFixed(1)} MB/s`);
    const longest = app.long.length ? `${Math.max(...app.long).toFixed(0)} ms (${app.long.length} over 50 ms)` : 'none over 50 ms';
    const half = jq === undefined || app.elapsed <= 2 * jq;
    const lines = [
      '| Measure | Activity (file → generated RBAC) | jq filter alone | Activity ÷ jq speed | Peak JS heap | Wasm memory | Longest main-thread task |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      `| Audit log of ${(size / MB).toFixed(0)} MB (${events.toLocaleString('en-US')} events, JSON lines, one subject among 8) | ${(app.elapsed / 1000).toFixed(1)} s, ${rate(app.elapsed)} | ${jq === undefined ? 'jq missing' : `${(jq / 1000).toFixed(1)} s, ${rate(jq)}`} | ${jq === undefined ? '—' : `${(jq / app.elapsed).toFixed(2)}× ${half ? '✅' : '❌'}`} (gate: ≥ 0.5×) | ${(app.peakJs / MB).toFixed(0)} MB | ${app.wasm ? `${(app.wasm / MB).toFixed(0)} MB` : 'not exposed'} | ${longest} |`,
    ];
    return { lines, pass: half };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `node bench-file.mjs`: this row alone, against dist/.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { start, stop } = await import('./harness.mjs');
  const env = await start();
  try {
    const bytes = Number(process.env.BENCH_FILE_MIB ?? 256) << 20;
    const { lines, pass } = await fileBench(env.browser, env.server.url, bytes);
    console.log(lines.join('\n'));
    if (!pass) {
      console.error('Activity read the log at under half jq\'s speed');
      process.exitCode = 1;
    }
  } finally {
    await stop(env);
  }
}
