// The Explore page in headless Chromium against a real Argus that scrapes itself every second:
// a query in the URL draws a graph and fills a table, the URL and the theme survive a reload,
// autocompletion offers metric names, a parse error shows its position, the page logs no console
// error, and what it loads stays under 300 KB gzipped. Saves screenshots (dark and light).
//   node explore_test.mjs ARGUS_BINARY WEB_DIR SCREENSHOT_DIR
// Exits 77 (a skip for CTest) when Chromium is not installed.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

import {
  consoleErrorsOf,
  getJson,
  kTimeoutMs,
  runTest,
  skipWithoutChromium,
  startArgus,
  waitFor,
} from './harness.mjs';

const kBundleLimitBytes = 300 * 1024;
const kExpr = 'rate(prometheus_http_requests_total[1m])';

const [argusBinary, webDir, screenshotDir] = process.argv.slice(2);
skipWithoutChromium();

async function instantQuery(base, expr) {
  return (await getJson(base, `/api/v1/query?${new URLSearchParams({ query: expr })}`)).result;
}

const argus = await startArgus(argusBinary, (port) => ({
  'argus.yml':
    `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: argus\n` +
    `    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
}));
const { base } = argus;
await runTest(argus, webDir, screenshotDir, async (launch) => {
  await waitFor('two scrapes, for a rate', async () => (await instantQuery(base, kExpr)).length > 0);

  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, colorScheme: 'dark' });
  const page = await context.newPage();
  page.setDefaultTimeout(kTimeoutMs);
  const consoleErrors = consoleErrorsOf(page);
  const assets = new Map();
  page.on('response', async (r) => {
    if (new URL(r.url()).pathname.startsWith('/assets/')) assets.set(r.url(), await r.body());
  });
  mkdirSync(screenshotDir, { recursive: true });
  const started = Date.now();
  const step = (what) => console.log(`${((Date.now() - started) / 1000).toFixed(1)}s: ${what}`);
  const shoot = (name) => page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });

  // The graph, from the URL alone.
  const url = `${base}/explore?${new URLSearchParams({ expr: kExpr, range: '5m', view: 'graph' })}`;
  await page.goto(url);
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  await page.locator('.graph canvas').waitFor();
  const legend = page.locator('.graph .u-legend .u-series');
  await waitFor('a series in the legend', async () => (await legend.count()) >= 2);
  assert.match(await legend.nth(1).innerText(), /prometheus_http_requests_total|handler=/);
  assert.match(await page.locator('.editor .cm-content').innerText(), /rate\(prometheus_http_requests_total/);
  await shoot('explore-graph-dark');

  step('graph drawn');
  // The table, and the view kept in the URL across a reload.
  await page.getByRole('tab', { name: 'Table' }).click();
  await page.locator('.result-table tbody tr').first().waitFor();
  assert.match(page.url(), /view=table/);
  await page.reload();
  await page.locator('.result-table tbody tr').first().waitFor();
  assert.ok((await page.locator('.result-table tbody tr').count()) >= 1);
  await shoot('explore-table-dark');

  step('table shown');
  // The theme toggle, kept across a reload although the system prefers dark.
  await page.locator('.theme-toggle').click();
  assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
  await page.getByRole('tab', { name: 'Graph' }).click();
  await page.reload();
  assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
  await waitFor('the graph again', async () => (await legend.count()) >= 2);
  await shoot('explore-graph-light');

  step('light theme kept');
  // Autocompletion of metric names from the API.
  await page.locator('.editor .cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('prometheus_http_req');
  await page
    .locator('.cm-tooltip-autocomplete')
    .getByText('prometheus_http_requests_total')
    .first()
    .waitFor();

  step('autocompletion offered');
  // Another page, without a reload.
  await page.getByRole('link', { name: 'Targets' }).click();
  await page.getByRole('heading', { name: 'Targets' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/targets');

  step('other pages');
  assert.deepEqual(consoleErrors, [], 'console errors');
  let gzipped = 0;
  for (const [assetUrl, body] of assets) {
    const size = zlib.gzipSync(body).length;
    console.log(`${new URL(assetUrl).pathname}: ${body.length} bytes, ${size} gzipped`);
    gzipped += size;
  }
  assert.ok(assets.size >= 2, `the script and the style sheet: ${[...assets.keys()]}`);
  assert.ok(gzipped < kBundleLimitBytes, `Explore loads ${gzipped} bytes gzipped`);

  // A parse error, shown with a caret under its position (the 400 is logged by the browser).
  await page.goto(`${base}/explore?${new URLSearchParams({ expr: 'sum(', range: '5m' })}`);
  const error = page.locator('.query-error');
  await error.waitFor();
  assert.match(await error.innerText(), /1:5: parse error/);
  assert.equal(await error.locator('.caret').innerText(), 'sum(\n    ^');
});
