// The dashboards in headless Chromium against a real Argus whose host collector and self
// collector run every second: the Dashboards page lists the three built-ins, a file of the
// configuration and one that did not load; / opens the Host dashboard; on /d/host and /d/argus
// every timeseries panel draws a series (but the panels listed in kNoDataHere, whose data this
// setup need not have), with the variables resolved and the range in the URL, and no console
// error; a query that fails shows its error in its panel, beside the one that draws. Saves
// screenshots (dark and light).
//   node dashboards_test.mjs ARGUS_BINARY WEB_DIR SCREENSHOT_DIR
// Exits 77 (a skip for CTest) when Chromium is not installed.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import {
  consoleErrorsOf,
  getJson,
  kTimeoutMs,
  runTest,
  skipWithoutChromium,
  startArgus,
  waitFor,
} from './harness.mjs';

// Panels that may have no series here, and why.
const kNoDataHere = {
  host: {},
  argus: {
    'HTTP errors': 'only answers with a 5xx code count, and this run need not have any',
    'Missed iterations':
      'the rule group misses none, and its counter has a series from the first miss',
    'Notifications by integration': 'no notifier is configured, so nothing is sent',
  },
};

const [argusBinary, webDir, screenshotDir] = process.argv.slice(2);
skipWithoutChromium();

const argus = await startArgus(argusBinary, () => ({
  'argus.yml':
    'global:\n  scrape_interval: 1s\n' +
    'rule_files: [rules.yml]\ndashboards: {paths: [broken.yml, errors.yml]}\n' +
    'collectors:\n  self: {enabled: true}\n  host: {enabled: true}\n',
  // A dashboard with a key the format does not have, for the list of load errors.
  'broken.yml': 'title: Broken\nrows: []\ncolour: red\n',
  // A panel with a query that fails when it runs (its regex does not compile) and one that works.
  'errors.yml':
    'title: Errors\nrows:\n  - panels:\n      - title: Half broken\n        queries:\n' +
    '          - expr: up\n          - expr: label_replace(up, "a", "$1", "job", "(")\n',
  // A rule group, for the panels of rule evaluations.
  'rules.yml':
    'groups:\n  - name: load\n    interval: 1s\n    rules:\n' +
    '      - record: instance:node_load1:max\n        expr: max by (instance) (node_load1)\n',
}));
const { base } = argus;

// Waits until every timeseries panel of the page is drawn, and returns the titles of those with no
// graph (no data, or an error) with what they show.
async function undrawnPanels(page) {
  const panels = page.locator('.panel-timeseries');
  await waitFor('the panels', async () => (await panels.count()) > 0);
  await waitFor('every timeseries panel to finish', async () => {
    for (const panel of await panels.all()) {
      if ((await panel.locator('.graph, .empty, .query-error').count()) === 0) return false;
    }
    return true;
  });
  const undrawn = {};
  for (const panel of await panels.all()) {
    if ((await panel.locator('.graph').count()) > 0) continue;
    undrawn[await panel.locator('.panel-title').innerText()] = await panel.innerText();
  }
  return undrawn;
}

await runTest(argus, webDir, screenshotDir, async (launch) => {
  // Enough samples of the host's and Argus' counters for a rate.
  await waitFor('two host samples', async () => {
    const query = new URLSearchParams({ query: 'rate(node_cpu_seconds_total[1m])' });
    return (await getJson(base, `/api/v1/query?${query}`)).result.length > 0;
  });

  const browser = await launch();
  const viewport = { width: 1440, height: 900 };
  const context = await browser.newContext({ viewport, colorScheme: 'dark' });
  const page = await context.newPage();
  page.setDefaultTimeout(kTimeoutMs);
  const consoleErrors = consoleErrorsOf(page);
  mkdirSync(screenshotDir, { recursive: true });
  const shoot = (name) =>
    page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });

  // The list.
  await page.goto(`${base}/dashboards`);
  const rows = page.locator('table.dashboards tbody tr');
  await waitFor('the dashboards list', async () => (await rows.count()) === 4);
  const titles = await page.locator('table.dashboards tbody tr td:first-child').allInnerTexts();
  assert.deepEqual(titles, ['Argus', 'Containers', 'Errors', 'Host']);
  assert.match(await rows.first().innerText(), /built-in/);
  assert.match(await page.locator('.load-errors li').innerText(), /broken\.yml:3:1: .*colour/);
  await shoot('dashboards-list-dark');

  // / opens the Host dashboard.
  await page.goto(`${base}/`);
  await page.waitForURL((u) => u.pathname === '/d/host');

  for (const uid of ['host', 'argus']) {
    await page.goto(`${base}/d/${uid}?range=5m`);
    const undrawn = await undrawnPanels(page);
    const unexpected = Object.keys(undrawn).filter((title) => !(title in kNoDataHere[uid]));
    assert.deepEqual(unexpected, [], `${uid}: ${JSON.stringify(undrawn)}`);
    const search = new URL(page.url()).searchParams;
    assert.equal(search.get('range'), '5m');
    if (uid === 'host') {
      assert.equal(search.get('var-job'), 'node');
      assert.ok(search.get('var-instance'), 'the instance variable in the URL');
    }
    await shoot(`dashboard-${uid}-dark`);
  }

  // The light theme.
  await page.locator('.theme-toggle').click();
  await page.goto(`${base}/d/host?range=5m`);
  await undrawnPanels(page);
  await shoot('dashboard-host-light');

  assert.deepEqual(consoleErrors, []);

  // A failing query shows its error in its panel, and the other query of the panel still draws
  // (the browser logs the failed request).
  await page.goto(`${base}/d/errors?range=5m`);
  const broken = page.locator('.panel-timeseries');
  await broken.locator('.graph').waitFor();
  assert.match(await broken.locator('.query-error').innerText(), /regex|regular expression/i);
  await shoot('dashboard-errors-light');
});
