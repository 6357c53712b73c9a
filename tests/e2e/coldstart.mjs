// Cold start, before and after a change, in one run (not part of the test runner): navigation
// → the first answer for a token pasted into index.html's static shell, for two builds served
// side by side with gzip (as a production host serves them), each load in a fresh browser
// context (cold cache, no service worker), at loopback and on a throttled link (Chromium's
// network emulation: 10 Mbit/s down and up, 40 ms latency). Loads of the two builds alternate,
// so a busy machine slows both alike. Prints one markdown table of medians.
//
//   node tests/e2e/coldstart.mjs --before DIST --after DIST [--runs N]
//
// The token is put into the shell's Token field as soon as the field is parsed (a paste at the
// first possible moment), so the time is what the user waits for the answer: the wasm's
// download and start, and the inspection.
import { serveStatic } from '../../scripts/lib/static-server.mjs';
import { launch, vector } from './harness.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
};
const before = option('--before');
const after = option('--after');
const runs = Number(option('--runs', '10'));
if (!before || !after || !(runs >= 1)) {
  console.error('usage: node tests/e2e/coldstart.mjs --before DIST --after DIST [--runs N]');
  process.exit(2);
}

const token = vector('minted/token-bound-pod-rs256.jwt').trim();
const ANSWER = 'Bound service-account token (pod-bound)';
const LINKS = {
  loopback: null,
  '10 Mbit/s, 40 ms': { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 },
};

/** In the page, before it runs: pastes into the shell's field once parsed, marks the answer. */
function watch({ token, answer }) {
  const mark = () => {
    const field = document.getElementById('token');
    if (window.__pasted === undefined && field) {
      field.value = token;
      field.dispatchEvent(new Event('input', { bubbles: true }));
      window.__pasted = performance.now();
    }
    if (window.__started === undefined && field && !document.querySelector('[data-shell]')) {
      window.__started = performance.now();
    }
    if (window.__answered === undefined && document.querySelector('main')?.textContent.includes(answer)) {
      window.__answered = performance.now();
    }
    return window.__answered !== undefined;
  };
  new MutationObserver((_, observer) => mark() && observer.disconnect()).observe(document, {
    childList: true,
    subtree: true,
    characterData: true,
  });
}

async function load(browser, url, link) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    if (link) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', link);
    }
    await page.addInitScript(watch, { token, answer: ANSWER });
    await page.goto(url);
    await page.waitForFunction(() => window.__answered !== undefined, null, { timeout: 30_000 });
    return await page.evaluate(() => ({
      answered: window.__answered,
      started: window.__started,
      pasted: window.__pasted,
      bytes: [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
        .filter((e) => e.startTime <= window.__answered)
        .reduce((sum, e) => sum + e.transferSize, 0),
    }));
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const servers = {
  before: await serveStatic(before, { gzip: true }),
  after: await serveStatic(after, { gzip: true }),
};
const browser = await launch();
const results = {};
try {
  for (const [name, link] of Object.entries(LINKS)) {
    results[name] = { before: [], after: [] };
    // One load of each first, not counted: the machine's disk and the browser warm up.
    for (const build of ['before', 'after']) await load(browser, servers[build].url, link);
    for (let i = 0; i < runs; i++) {
      for (const build of i % 2 ? ['after', 'before'] : ['before', 'after']) {
        results[name][build].push(await load(browser, servers[build].url, link));
      }
    }
  }
} finally {
  await browser.close();
  await servers.before.close();
  await servers.after.close();
}

const ms = (x) => `${x.toFixed(0)} ms`;
const row = (cells) => console.log(`| ${cells.join(' | ')} |`);
row(['Link', 'Measure', `Before (median of ${runs})`, `After (median of ${runs})`]);
row(['---', '---', '---', '---']);
for (const [name, { before: b, after: a }] of Object.entries(results)) {
  const pick = (xs, key) => median(xs.map((x) => x[key]));
  row([name, 'navigation → first answer (token pasted into the shell)', `**${ms(pick(b, 'answered'))}**`, `**${ms(pick(a, 'answered'))}**`]);
  row([name, 'navigation → app started', ms(pick(b, 'started')), ms(pick(a, 'started'))]);
  row([name, 'transferred before the answer', `${(pick(b, 'bytes') / 1024).toFixed(1)} KiB`, `${(pick(a, 'bytes') / 1024).toFixed(1)} KiB`]);
}
