// The Alerts, Rules, Targets, Events and Status pages in headless Chromium against a real Argus
// that scrapes itself every second, has a rule file with an always-firing alert and a recording
// rule, and has an event posted to it. Each page, in the dark and the light theme, shows what the
// server has and logs no console error; a silence made from the Alerts page shows up in
// /api/v2/silences and is expired from the page. Saves a screenshot of each page in each theme,
// and of the Alerts page on a phone.
//   node pages_test.mjs ARGUS_BINARY WEB_DIR SCREENSHOT_DIR
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

const [argusBinary, webDir, screenshotDir] = process.argv.slice(2);
skipWithoutChromium();

const kRules = `groups:
  - name: always
    interval: 1s
    rules:
      - alert: AlwaysFiring
        expr: vector(42)
        labels: {severity: page}
        annotations: {summary: "The answer is {{ $value }}"}
      - record: job:up:sum
        expr: sum by (job) (up)
`;
const kEvent = {
  kind: 'deploy',
  labels: { service: 'checkout', version: '1.4.2' },
  text: 'checkout 1.4.2 rolled out',
  link: 'https://ci.example.com/runs/77',
};

const argus = await startArgus(argusBinary, (port) => ({
  'argus.yml': `global:
  scrape_interval: 1s
rule_files: [rules.yml]
scrape_configs:
  - job_name: argus
    static_configs:
      - targets: ['127.0.0.1:${port}']
  - job_name: nothing
    static_configs:
      - targets: ['127.0.0.1:1']
  - job_name: dropped
    static_configs:
      - targets: ['127.0.0.1:2']
    relabel_configs:
      - {source_labels: [job], regex: dropped, action: drop}
`,
  'rules.yml': kRules,
}));
const { base } = argus;
await runTest(argus, webDir, screenshotDir, async (launch) => {
  await waitFor('the alert to fire', async () =>
    (await getJson(base, '/api/v1/alerts')).alerts.some((a) => a.state === 'firing'),
  );
  await waitFor('the self-scrape up and the other target down', async () => {
    const health = (await getJson(base, '/api/v1/targets')).activeTargets.map((t) => t.health);
    return health.includes('up') && health.includes('down');
  });
  const posted = await fetch(`${base}/api/v1/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(kEvent),
  });
  assert.equal(posted.status, 200, await posted.text());

  const browser = await launch();
  mkdirSync(screenshotDir, { recursive: true });
  const started = Date.now();
  const step = (what) => console.log(`${((Date.now() - started) / 1000).toFixed(1)}s: ${what}`);

  for (const theme of ['dark', 'light']) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, colorScheme: theme });
    const page = await context.newPage();
    page.setDefaultTimeout(kTimeoutMs);
    const consoleErrors = consoleErrorsOf(page);
    const shoot = (name) =>
      page.screenshot({ path: path.join(screenshotDir, `${name}-${theme}.png`), fullPage: true });
    const open = async (pagePath, title) => {
      await page.goto(base + pagePath);
      await page.getByRole('heading', { name: title, exact: true }).waitFor();
      assert.equal(await page.getAttribute('html', 'data-theme'), theme);
    };

    // Targets: the self-scrape up, its labels before relabeling on demand, a target down with
    // its error, the dropped one, the filters.
    await open('/targets', 'Targets');
    const target = page.locator('tr.target').first();
    await target.locator('.badge', { hasText: 'up' }).waitFor();
    assert.match(await target.innerText(), new RegExp(`job=argus`));
    assert.match(await target.innerText(), /ago|just now/);
    await target.getByRole('button', { name: 'discovered labels' }).click();
    assert.match(await page.locator('tr.discovered').innerText(), /__address__=127\.0\.0\.1/);
    const down = page.locator('tr.target', { hasText: '127.0.0.1:1/' });
    await down.locator('.badge', { hasText: 'down' }).waitFor();
    assert.match(await down.locator('.error-text').innerText(), /\S/);
    await page.locator('details.dropped summary').click();
    assert.match(await page.locator('details.dropped').innerText(), /^1 discovered targets? dropped/);
    assert.match(await page.locator('details.dropped').innerText(), /__address__=127\.0\.0\.1:2/);
    await shoot('targets');
    await page.getByLabel('Health').selectOption('down');
    await down.waitFor();
    assert.equal(await page.locator('tr.target').count(), 1);
    await page.getByLabel('Job').selectOption('argus');
    await page.getByText('No target matches.').waitFor();
    await page.getByLabel('Health').selectOption('up');
    await target.waitFor();
    step(`${theme}: targets`);

    // Rules: the group, both rules healthy, the alerting rule firing.
    await open('/rules', 'Rules');
    const alertRule = page.locator('tr.rule', { hasText: 'AlwaysFiring' });
    await alertRule.locator('.badge', { hasText: 'ok' }).waitFor();
    await alertRule.locator('.badge', { hasText: 'firing' }).waitFor();
    assert.match(await alertRule.innerText(), /vector\(42\)/);
    await page.locator('tr.rule', { hasText: 'job:up:sum' }).locator('.badge', { hasText: 'ok' }).waitFor();
    assert.match(await page.locator('section.card h2').first().innerText(), /always/);
    await shoot('rules');
    step(`${theme}: rules`);

    // Alerts: the firing alert with its labels and annotation; then silence it from the page.
    await open('/alerts', 'Alerts');
    const group = page.locator('section.alert-group', { hasText: 'AlwaysFiring' });
    await group.locator('.badge', { hasText: 'firing' }).waitFor();
    assert.match(await group.innerText(), /severity=page/);
    assert.match(await group.innerText(), /The answer is 42/);
    assert.match(await group.innerText(), /since .*ago|since just now/);
    await shoot('alerts');
    await group.getByRole('button', { name: 'Silence' }).click();
    const dialog = page.getByRole('dialog', { name: 'New silence' });
    assert.equal(
      await dialog.locator('textarea[name=matchers]').inputValue(),
      'alertname="AlwaysFiring"\nseverity="page"',
    );
    await shoot('alerts-silence-form');
    await dialog.locator('input[name=createdBy]').fill('');
    await dialog.locator('input[name=comment]').fill(`browser test, ${theme}`);
    await dialog.getByRole('button', { name: 'Create silence' }).click();
    await dialog.getByRole('alert').getByText(/who creates/).waitFor(); // No creator: refused.
    await dialog.locator('input[name=createdBy]').fill('browser-test');
    await dialog.locator('input[name=duration]').fill('30m');
    await dialog.getByRole('button', { name: 'Create silence' }).click();
    const notice = await page.getByRole('status').filter({ hasText: /Silence .* created/ }).innerText();
    const id = /Silence (\S+) created/.exec(notice)[1];
    const silence = await getJson(base, `/api/v2/silence/${id}`);
    assert.equal(silence.status.state, 'active');
    assert.equal(silence.createdBy, 'browser-test');
    assert.equal(silence.comment, `browser test, ${theme}`);
    assert.deepEqual(
      silence.matchers.map((m) => `${m.name}=${m.value}`).sort(),
      ['alertname=AlwaysFiring', 'severity=page'],
    );
    const endsIn = Date.parse(silence.endsAt) - Date.now();
    assert.ok(Math.abs(endsIn - 30 * 60 * 1000) < 60 * 1000, `ends in ${endsIn} ms, not 30 min`);
    assert.ok((await getJson(base, '/api/v2/silences')).some((s) => s.id === id));
    const row = page.locator(`tr.silence-row[data-id="${id}"]`);
    await row.locator('.badge', { hasText: 'active' }).waitFor();
    await group.locator('.badge', { hasText: 'suppressed' }).waitFor();
    await shoot('alerts-silenced');
    await row.getByRole('button', { name: 'Expire' }).click();
    await row.locator('.badge', { hasText: 'expired' }).waitFor();
    assert.equal((await getJson(base, `/api/v2/silence/${id}`)).status.state, 'expired');
    step(`${theme}: alerts, silenced and expired`);

    // Events: the posted event, kept by the kind and label filters, dropped by another selector.
    await open('/events', 'Events');
    const event = page.locator('tr.event', { hasText: kEvent.text });
    await event.waitFor();
    assert.match(await event.innerText(), /deploy/);
    assert.match(await event.innerText(), /service=checkout/);
    assert.match(await event.innerText(), /\d+s ago|just now/);
    await page.getByLabel('Kind').selectOption('deploy');
    await page.getByLabel('Label match').fill('{service="checkout"}');
    await page.getByRole('button', { name: 'Filter' }).click();
    await event.waitFor();
    await shoot('events');
    await page.getByLabel('Label match').fill('{service="other"}');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText(/No event in the last/).waitFor();
    step(`${theme}: events`);

    // Status: the build, the flags, the configuration, the head and its cardinality.
    await open('/status', 'Status');
    await page.getByRole('heading', { name: 'Configuration' }).waitFor();
    assert.match(await page.locator('pre.config').innerText(), /rule_files/);
    const text = await page.locator('main').innerText();
    assert.match(text, /version/);
    assert.match(text, /storage\.tsdb\.path/);
    const top = (await getJson(base, '/api/v1/status/tsdb')).seriesCountByMetricName[0].name;
    assert.ok(text.includes(`Series by metric name\n${top}\t`), `the top metric ${top} in:\n${text}`);
    assert.match(text, /series\s+\d/);
    await shoot('status');
    step(`${theme}: status`);

    if (theme === 'dark') {
      await page.setViewportSize({ width: 390, height: 844 });
      await open('/alerts', 'Alerts');
      await page.locator('section.alert-group').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `the Alerts page is ${overflow}px wider than a phone`);
      await page.screenshot({ path: path.join(screenshotDir, 'alerts-phone-dark.png'), fullPage: true });
    }
    assert.deepEqual(consoleErrors, [], `console errors (${theme})`);
    await context.close();
  }
});
