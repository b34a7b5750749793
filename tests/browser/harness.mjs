// What the browser tests share: a real argus on a free loopback port with a configuration the
// test writes (given the port, so that argus can scrape itself), headless Chromium, and waiting
// for a condition without a fixed sleep.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const kChromium = '/usr/bin/chromium';
export const kTimeoutMs = 60000;

// Exits 77 (a skip for CTest), saying why, when Chromium is not installed.
export function skipWithoutChromium() {
  if (existsSync(kChromium)) return;
  console.log(`SKIP: no Chromium at ${kChromium}: install Debian's chromium package (./dev does)`);
  process.exit(77);
}

// A port that was free a moment ago, for the server's flags and its own scrape target.
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Resolves once `check` returns something truthy, asking again every 100 ms.
export async function waitFor(what, check) {
  const deadline = Date.now() + kTimeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${last ?? ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Starts `binary` with the files `files(port)` returns ({name: text}, argus.yml among them) in a
// fresh folder, and waits until it is ready. stop() ends it and removes the folder; log() is the
// end of what it wrote.
export async function startArgus(binary, files) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'argus-browser-'));
  const port = await freePort();
  for (const [name, text] of Object.entries(files(port))) writeFileSync(path.join(dir, name), text);
  const logFile = path.join(dir, 'argus.log');
  const argus = spawn(
    binary,
    [
      `--config.file=${path.join(dir, 'argus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', openSync(logFile, 'w'), openSync(logFile, 'a')] },
  );
  const exited = new Promise((resolve) => argus.on('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  const server = {
    base,
    log: () => readFileSync(logFile, 'utf8').slice(-4000),
    stop: async () => {
      argus.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitFor('argus to be ready', async () => (await fetch(`${base}/-/ready`)).ok);
  } catch (e) {
    console.error('argus log:\n' + server.log());
    await server.stop();
    throw e;
  }
  return server;
}

// The answer of GET `base``path`, as JSON; the /api/v1 envelope unwrapped.
export async function getJson(base, pathAndQuery) {
  const body = await (await fetch(base + pathAndQuery)).json();
  return pathAndQuery.startsWith('/api/v1/') ? body.data : body;
}

// Headless Chromium through the playwright-core of `webDir`'s node_modules.
function launchChromium(webDir) {
  const { chromium } = createRequire(path.resolve(webDir, 'package.json'))('playwright-core');
  return chromium.launch({ executablePath: kChromium, headless: true, args: ['--no-sandbox'] });
}

// Collects what a page logs as an error, and the errors it throws.
export function consoleErrorsOf(page) {
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

// Runs a test's `body(launch)`, where `launch()` starts headless Chromium; then closes Chromium
// and stops `argus`, and exits: 0 when the body returned, 1 (with the error and argus' log) when
// it threw.
export async function runTest(argus, webDir, screenshotDir, body) {
  let browser;
  let failed = false;
  try {
    await body(async () => (browser = await launchChromium(webDir)));
    console.log(`passed; screenshots in ${screenshotDir}`);
  } catch (e) {
    failed = true;
    console.error(e);
    console.error('argus log:\n' + argus.log());
  } finally {
    await browser?.close();
    await argus.stop();
  }
  process.exit(failed ? 1 : 0);
}
