// The bench's file row: a 256 MiB audit log (tests/e2e/auditlog.mjs) opened on Activity,
// timed from the file set to the generated RBAC on screen, against jq's filter for the same
// subject over the same file, in the same run. Prints MB/s, peak memory and the longest
// main-thread task; fails (exit code 1) when Activity is under half jq's speed. Then the file
// rows of Access and Audit (generated dumps opened as files, timed the same way) and what one
// keystroke or checkbox costs on the biggest of them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { subject, writeLog } from './auditlog.mjs';
import { RBAC_SUBJECT, bareTokenSecretsOf, bigClusterRole, dumpOf, tokenSecretsDumpOf } from './dumps.mjs';

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

// ---- Access and Audit: dumps opened as files. ----

/**
 * Opens the file at `path` in the field `label` of `route` in a fresh page (after `prepare`),
 * and measures in the page, from the file input's change event to the first moment `done`
 * (a selector and the text it must hold) is on screen: the time, the main thread's long tasks,
 * the peak JS heap (sampled every 100 ms) and the wasm memory at the end (it only grows, so
 * that is its peak). `after(page)` then measures more on the same page.
 */
async function openTimed(browser, url, { route, prepare, label, path, text, done, after }) {
  const context = await browser.newContext();
  await context.addInitScript(() =>
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasmMemory = e.detail?.wasm?.memory; }));
  const page = await context.newPage();
  try {
    await page.goto(`${url}${route}`);
    await page.getByLabel(label, { exact: true }).waitFor();
    if (prepare) await prepare(page);
    const before = await page.evaluate(() => window.__wasmMemory?.buffer.byteLength ?? 0);
    await page.evaluate(({ selector, text }) => {
      const b = (window.__bench = { long: [], peakJs: 0 });
      new PerformanceObserver((list) => b.long.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
      const sample = () => {
        b.peakJs = Math.max(b.peakJs, performance.memory?.usedJSHeapSize ?? 0);
        b.timer = setTimeout(sample, 100);
      };
      sample();
      document.addEventListener('change', (e) => { if (e.target.type === 'file') b.start ??= performance.now(); }, true);
      document.addEventListener('input', (e) => { if (e.target.tagName === 'TEXTAREA') b.start ??= performance.now(); }, true);
      const shown = () => document.querySelector(selector)?.textContent.includes(text);
      b.answered = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          if (b.start !== undefined && shown()) {
            b.end = performance.now();
            observer.disconnect();
            resolve();
          }
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      });
    }, done);
    // A `text` is typed into the field (as a paste the page keeps as text), else `path` opened.
    if (text !== undefined) {
      const id = await page.getByLabel(label, { exact: true }).getAttribute('id');
      await page.evaluate(({ id, text }) => {
        const field = document.getElementById(id);
        field.value = text;
        field.dispatchEvent(new InputEvent('input', { bubbles: true }));
      }, { id, text });
    }
    else await page.getByLabel(`Open a file for ${label}`).setInputFiles(path);
    await page.waitForFunction(() => window.__bench.end !== undefined, null, { timeout: 180_000, polling: 200 });
    const result = await page.evaluate(() => {
      const b = window.__bench;
      clearTimeout(b.timer);
      return { elapsed: b.end - b.start, long: b.long, peakJs: b.peakJs, wasm: window.__wasmMemory?.buffer.byteLength ?? 0 };
    });
    result.wasmBefore = before;
    if (after) result.after = await after(page);
    return result;
  } finally {
    await context.close();
  }
}

/**
 * The actions timed, run in the page by name (the page's CSP allows no `eval`): a keystroke in
 * Can I's Verb (`get` and `ge` in turn), one row's checkbox on Audit, and Select all.
 */
function act(fire, i) {
  if (fire === 'verb') {
    const field = document.getElementById('can-verb');
    field.value = i % 2 ? 'get' : 'ge';
    field.dispatchEvent(new InputEvent('input', { bubbles: true }));
  } else if (fire === 'row') {
    document.querySelector('main table[aria-label="Token Secrets"] tbody input[type=checkbox]').click();
  } else if (fire === 'all') {
    document.querySelector('main input[aria-label="Select all"]').click();
  }
}

/**
 * In the page, `runs` times: the action `fire` (see `act`), then the time to the next frame
 * painted (a task queued from the first animation frame after it), and the long tasks that
 * started meanwhile: `{ times, long }` with `long[i]` the durations of run `i`'s.
 */
async function frameCosts(page, fire, runs) {
  // Defined through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(`window.__act = ${act.toString()}`);
  return page.evaluate(async ({ fire, runs }) => {
    const act = window.__act;
    const tasks = [];
    new PerformanceObserver((list) => tasks.push(...list.getEntries())).observe({ type: 'longtask' });
    const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const spans = [];
    for (let i = 0; i < runs; i++) {
      await painted();
      const start = performance.now();
      act(fire, i);
      await painted();
      spans.push([start, performance.now()]);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const times = spans.map(([start, end]) => end - start);
    const long = spans.map(([start, end]) => tasks.filter((t) => t.startTime >= start - 1 && t.startTime < end).map((t) => t.duration));
    return { times, long };
  }, { fire, runs });
}

/**
 * One `fire` under Chrome's sampling profiler (100 µs): its time by kind (the wasm, the
 * browser's own work of style, layout and paint, which the profiler calls "(program)", JS, the
 * garbage collector) and the wasm functions with the most self time. A release wasm has no
 * names (`wasm-function[N]`); serve a profiling build, which keeps them, to name them
 * (docs/benchmarks.md, "No task over 50 ms for one huge role").
 */
async function profile(page, fire) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await page.evaluate(async (fire) => {
    window.__act(fire, 0);
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  }, fire);
  const { profile: p } = await cdp.send('Profiler.stop');
  await cdp.detach();
  const kinds = new Map();
  const wasm = new Map();
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const deltas = p.timeDeltas ?? [];
  const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);
  p.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const ms = (deltas[i + 1] ?? 0) / 1000;
    if (f.url.startsWith('wasm://')) {
      add(kinds, 'wasm', ms);
      add(wasm, f.functionName, ms);
    } else if (f.functionName === '(program)') add(kinds, 'style, layout, paint', ms);
    else if (f.functionName === '(garbage collector)') add(kinds, 'GC', ms);
    else if (f.functionName !== '(idle)' && f.functionName !== '(root)') add(kinds, 'JS', ms);
  });
  const list = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, ms]) => `${k} ${ms.toFixed(0)} ms`).join(', ');
  return `${list(kinds, 4)}; wasm: ${list(wasm, 3)}`;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const longest = (long) => (long.length ? `${ms(Math.max(...long))} (${long.filter((d) => d > 50).length} over 50 ms)` : 'none over 50 ms');
const heap = (r) => `${(r.peakJs / MB).toFixed(0)} MB`;
const wasmMemory = (r) => (r.wasm ? `${(r.wasm / MB).toFixed(0)} MB (${(r.wasmBefore / MB).toFixed(0)} MB before)` : 'not exposed');

/** A cost row: median and worst time to the next frame painted, and the long tasks. */
const costRow = (what, c, why = '') =>
  `| ${what} | ${runsText(c.times)} | | ${longest(c.long.flat())} | | | ${why} |`;
const runsText = (times) => `median ${ms(median(times))}, worst ${ms(Math.max(...times))} (${times.length}×) to the next frame painted`;

/** The Access and Audit file rows, and the costs of a keystroke and a checkbox on them. */
export async function dumpFileBench(browser, url) {
  const dir = mkdtempSync(join(tmpdir(), 'tokenscope-bench-dumps-'));
  const lines = [
    '| File opened | Time to answer on screen, MB/s | Objects | Longest main-thread task | Peak JS heap | Wasm memory at the end | Notes |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  const write = (name, text) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return { path, bytes: Buffer.byteLength(text) };
  };
  const row = (what, file, objects, r, note = '') =>
    `| ${what} (${(file.bytes / MB).toFixed(1)} MB) | ${(r.elapsed / 1000).toFixed(2)} s, ${(file.bytes / MB / (r.elapsed / 1000)).toFixed(1)} MB/s | ${objects} | ${longest(r.long)} | ${heap(r)} | ${wasmMemory(r)} | ${note} |`;
  try {
    // Access: a kubectl-shaped dump, the subject set first, to its effective rules.
    const dump = dumpOf(8 << 20);
    const dumpFile = write('rbac.yaml', dump.text);
    const access = await openTimed(browser, url, {
      route: '#/access', label: 'Cluster RBAC', path: dumpFile.path,
      prepare: (page) => page.getByLabel('Subject', { exact: true }).fill(RBAC_SUBJECT),
      done: { selector: 'main section.effective', text: 'Granted by' },
      after: async (page) => {
        const canI = page.getByRole('region', { name: 'Can I', exact: true });
        await canI.getByLabel('Resource', { exact: true }).fill('pods');
        await canI.getByLabel('Namespace', { exact: true }).fill('team-042');
        await canI.getByLabel('Verb', { exact: true }).fill('get');
        await page.getByRole('status', { name: 'Can I answer' }).filter({ hasText: /^Yes/ }).waitFor();
        const cost = await frameCosts(page, 'verb', 20);
        if (Math.max(...cost.times) > 50) cost.profile = await profile(page, 'verb');
        return cost;
      },
    });
    lines.push(row(`Access, Cluster RBAC: kubectl-shaped dump, ${dump.namespaces} namespaces`, dumpFile, `${(dump.roles + dump.bindings).toLocaleString('en-US')} roles and bindings`, access, `to ${RBAC_SUBJECT}'s effective rules`));

    const role = write('role.yaml', bigClusterRole(46_629));
    const big = await openTimed(browser, url, {
      route: '#/access', label: 'Cluster RBAC', path: role.path,
      prepare: (page) => page.getByLabel('Subject', { exact: true }).fill('system:serviceaccount:team:app'),
      done: { selector: 'main section.effective', text: 'things-0' },
    });
    lines.push(row('Access, Cluster RBAC: one ClusterRole of 46,629 rules and its binding', role, '2 objects, 46,629 rules', big, 'to the effective rules'));

    // Audit: token Secrets as kubectl prints them, then with their metadata only (the most
    // rows a file of that size gives), to the summary and the table.
    const audits = [
      ['8 MiB of token Secrets', tokenSecretsDumpOf(8 << 20)],
      ['32 MiB of token Secrets', tokenSecretsDumpOf(32 << 20), true],
      ['32 MiB of token Secrets with metadata only (no `data`)', bareTokenSecretsOf(32 << 20), true],
    ];
    const costs = [];
    for (const [what, secrets, measure] of audits) {
      const file = write('secrets.json', secrets.text);
      const r = await openTimed(browser, url, {
        route: '#/audit', label: 'Secrets', path: file.path,
        done: { selector: 'main [aria-label="Audit summary"]', text: 'token Secrets' },
        after: measure ? (page) => auditCosts(page) : undefined,
      });
      const perRow = `${(((r.wasm - r.wasmBefore) / secrets.count)).toFixed(0)} bytes of wasm memory a Secret`;
      lines.push(row(`Audit, Secrets: ${what}`, file, `${secrets.count.toLocaleString('en-US')} token Secrets`, r, `to the summary and the table; ${perRow}`));
      if (measure) costs.push([`${secrets.count.toLocaleString('en-US')} token Secrets`, r.after]);
    }
    lines.push('', '| Cost | Time | | Long tasks | | | Where the time goes (over 50 ms) |', '| --- | --- | --- | --- | --- | --- | --- |');
    const a = access.after;
    lines.push(costRow(`Access, 8 MiB dump: a keystroke in Can I's Verb (\`get\` ↔ \`ge\`)`, a, a.profile ?? ''));
    for (const [what, { row: rowCost, all }] of costs) {
      lines.push(costRow(`Audit, ${what}: one row's checkbox`, rowCost, rowCost.profile ?? ''));
      // Select all starts off: even runs tick every row, odd runs untick them.
      const every = (odd) => ({ times: all.times.filter((_, i) => i % 2 === odd), long: all.long.filter((_, i) => i % 2 === odd) });
      const [on, off] = [every(0), every(1)];
      lines.push(costRow(`Audit, ${what}: Select all, ticking every row`, on, all.profile ?? ''));
      lines.push(costRow(`Audit, ${what}: Select all, unticking them`, off));
    }
    return { lines };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** On Audit's table: one row's checkbox toggled, and Select all toggled, each 10 times. */
async function auditCosts(page) {
  const row = await frameCosts(page, 'row', 10);
  if (Math.max(...row.times) > 50) row.profile = await profile(page, 'row');
  const every = await frameCosts(page, 'all', 10);
  if (Math.max(...every.times) > 50) every.profile = await profile(page, 'all');
  return { row, all: every };
}

/** The five longest tasks of a run, longest first: `412, 88, 61 ms`. */
const slowest = (long) => `${[...long].sort((a, b) => b - a).slice(0, 5).map((d) => d.toFixed(0)).join(', ')} ms`;

/**
 * The last long tasks of the big inputs, each run `runs` times in a fresh page: the effective
 * rules of one ClusterRole of 46,629 rules, and the Escalation section's workloads table of the
 * native bench's 3.9 MiB cluster (tests/e2e/bench-native.mjs), each from the file opened to the
 * answer on screen; then Select all on 9,283 token Secrets. Rows of the longest tasks.
 */
export async function longTaskBench(browser, url, runs = 3) {
  const dir = mkdtempSync(join(tmpdir(), 'tokenscope-bench-long-'));
  const lines = [
    '| File opened | Runs | Time to answer (median) | Longest main-thread task, each run | Five longest tasks, last run |',
    '| --- | --- | --- | --- | --- |',
  ];
  try {
    const role = join(dir, 'role.yaml');
    writeFileSync(role, bigClusterRole(46_629));
    const native = spawnSync(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'bench-native.mjs'), dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (native.status !== 0) throw new Error(`bench-native.mjs exited with ${native.status}`);
    const cases = [
      ['Access: one ClusterRole of 46,629 rules, to its effective rules', {
        route: '#/access', label: 'Cluster RBAC', path: role,
        prepare: (page) => page.getByLabel('Subject', { exact: true }).fill('system:serviceaccount:team:app'),
        done: { selector: 'main section.effective', text: 'things-0' },
      }],
      // Opened, as a paste of over 1 MiB is read too: its workloads are read with its policy.
      ['Access: 3.9 MiB cluster with workloads opened as a file, to the Escalation section\'s workloads table', {
        route: '#/access', label: 'Cluster RBAC', path: join(dir, 'cluster4.yaml'),
        prepare: (page) => page.getByLabel('Subject', { exact: true }).fill('lead-0@example.com'),
        done: { selector: 'main table[aria-label="Workloads"]', text: 'nightly' },
      }],
    ];
    for (const [what, how] of cases) {
      const results = [];
      for (let i = 0; i < runs; i++) results.push(await openTimed(browser, url, how));
      const last = results[results.length - 1];
      lines.push(`| ${what} | ${runs} | ${(median(results.map((r) => r.elapsed)) / 1000).toFixed(2)} s | ${results.map((r) => longest(r.long)).join('; ')} | ${last.long.length ? slowest(last.long) : 'none over 50 ms'} |`);
    }
    const secrets = tokenSecretsDumpOf(32 << 20);
    const file = join(dir, 'secrets.json');
    writeFileSync(file, secrets.text);
    const audit = await openTimed(browser, url, {
      route: '#/audit', label: 'Secrets', path: file,
      done: { selector: 'main [aria-label="Audit summary"]', text: 'token Secrets' },
      after: async (page) => frameCosts(page, 'all', 10),
    });
    const all = audit.after;
    const on = { times: all.times.filter((_, i) => i % 2 === 0), long: all.long.filter((_, i) => i % 2 === 0) };
    lines.push('', costRow(`Audit, ${secrets.count.toLocaleString('en-US')} token Secrets: Select all, ticking every row`, on));
    return { lines };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `node bench-file.mjs`: these rows alone, against dist/; BENCH_FILE_DUMPS=only skips the audit
// log against jq and runs only Access's and Audit's files; BENCH_FILE_DUMPS=long runs only the
// last long tasks (`longTaskBench`).
if (import.meta.url === `file://${process.argv[1]}`) {
  const { start, stop } = await import('./harness.mjs');
  const env = await start();
  try {
    if (process.env.BENCH_FILE_DUMPS === 'long') {
      console.log((await longTaskBench(env.browser, env.server.url)).lines.join('\n'));
      process.exit();
    }
    if (process.env.BENCH_FILE_DUMPS !== 'only') {
      const bytes = Number(process.env.BENCH_FILE_MIB ?? 256) << 20;
      const { lines, pass } = await fileBench(env.browser, env.server.url, bytes);
      console.log(lines.join('\n'));
      if (!pass) {
        console.error('Activity read the log at under half jq\'s speed');
        process.exitCode = 1;
      }
    }
    console.log(['', ...(await dumpFileBench(env.browser, env.server.url)).lines].join('\n'));
  } finally {
    await stop(env);
  }
}
