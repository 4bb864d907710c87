// Helpers of both pages' browser tests (playground.test.mjs, front-desk.test.mjs): where the built
// pages are, a static server of them on a free port, Chromium and its launch arguments.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The built pages (`cargo xtask playground`). */
export const dist = path.resolve(here, '../dist');
/** Where the screenshots go (git-ignored). */
export const shots = path.resolve(here, '../screenshots');
export const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** `python3 -m http.server` of `dir` (dist/) on a free port, once it answers for `page`: `{ origin, proc }`. */
export async function serve(dir = dist, page = 'index.html') {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const proc = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], { cwd: dir, stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${origin}/${page}`)).ok) return { origin, proc };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error(`server at ${origin} did not start`);
}

/**
 * The browser tests' session for `page` (a file of dist/): `before` the tests it checks that the page
 * is built and Chromium is there, makes the screenshots' folder and starts the server of dist/ and
 * the browser (`session.site`, `session.browser`); `after` them it closes both. `session.requests`
 * and `session.errors` collect what recordedPage records.
 */
export function browserSession(page) {
  const session = { site: null, browser: null, requests: [], errors: [] };
  before(async () => {
    assert.ok(existsSync(path.join(dist, page)), `${dist}: run cargo xtask playground`);
    assert.ok(existsSync(executablePath), `${executablePath} missing: apt-get install chromium`);
    mkdirSync(shots, { recursive: true });
    session.site = await serve(dist, page);
    session.browser = await chromium.launch({ executablePath, headless: true, args: LAUNCH_ARGS });
  });
  after(async () => {
    await session.browser?.close();
    session.site?.proc.kill();
  });
  return session;
}

/** Waits until the page says it is ready (`body[data-ready]`) and checks it is `true`; otherwise the
 * failure shows the text of `status` (the page's own status line). */
export async function waitReady(page, status) {
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => document.body.dataset.ready), 'true', await page.textContent(status));
}

/** Records every request of `context` (`{ url, method, postData }`) in `requests`, and every console
 * error and uncaught exception of its pages in `errors` (a browserSession's); returns a new page of it. */
export async function recordedPage(context, { requests, errors }) {
  context.on('request', (r) => requests.push({ url: r.url(), method: r.method(), postData: r.postData() }));
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return page;
}

/** Every request recorded was to this server, for one of the page's own files (`isOwn(pathname)`),
 * a plain GET: no query, no fragment, no body — nothing can carry the policy or the facts. And no
 * error was logged but the network errors `expected` (the offline tests stop the server). */
export function assertOnlyOwnRequests({ requests, errors }, isOwn, expected) {
  assert.ok(requests.length > 0);
  for (const r of requests) {
    const u = new URL(r.url);
    assert.equal(u.hostname, '127.0.0.1', `request to another host: ${r.url}`);
    assert.ok(isOwn(u.pathname), `unexpected request: ${r.url}`);
    assert.equal(u.search, '', `a query string: ${r.url}`);
    assert.equal(u.hash, '', `a fragment in a request: ${r.url}`);
    assert.equal(r.method, 'GET', `${r.method} ${r.url}`);
    assert.equal(r.postData, null, `a request body: ${r.url}`);
  }
  assert.deepEqual(errors.filter((e) => !expected.test(e)), []);
}
