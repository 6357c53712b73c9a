// Hand-run probe (not committed): long tasks while a file is read on Access / Audit.
import { serve, launch } from './harness.mjs';
const [page_, label, path, waitText, subject] = process.argv.slice(2);
const server = await serve();
const browser = await launch();
const context = await browser.newContext();
const page = await context.newPage();
await page.goto(`${server.url}#/${page_}`);
await page.waitForSelector('main');
if (subject) await page.getByLabel('Subject', { exact: true }).fill(subject);
await page.evaluate(() => {
  window.__long = [];
  new PerformanceObserver((l) => window.__long.push(...l.getEntries().map((e) => [Math.round(e.startTime - window.__t0), Math.round(e.duration)]))).observe({ type: 'longtask' });
});
const cdp = await context.newCDPSession(page);
await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 200 }); await cdp.send('Profiler.start');
await page.evaluate(() => { window.__t0 = performance.now(); });
const start = Date.now();
await page.getByLabel(`Open a file for ${label}`).setInputFiles(path);
await page.waitForFunction((t) => document.body.textContent.includes(t), waitText, { timeout: 120000, polling: 50 });
const elapsed = await page.evaluate(() => Math.round(performance.now() - window.__t0));
await page.waitForTimeout(500);
const { profile } = await cdp.send('Profiler.stop');
import('node:fs').then(fs => fs.writeFileSync('/tmp/probe/prof.json', JSON.stringify(profile)));
await new Promise(r => setTimeout(r, 300));
console.log(JSON.stringify({ elapsed, long: await page.evaluate(() => window.__long) }));
await browser.close(); await server.close();
