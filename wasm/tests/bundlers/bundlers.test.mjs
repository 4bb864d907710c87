// The one-page app of ./app, built by `cargo xtask test-web` with Vite and with webpack into
// $ONSHI_BUNDLES/vite and $ONSHI_BUNDLES/webpack (default: target/bundlers), each served by a tiny
// static server on 127.0.0.1 and opened in headless Chromium: the page must show the 確認方法 of
// r7/front_desk (オンライン資格確認), request nothing off its own origin and log no error. Prints the
// size of each bundle's JS and wasm, raw and gzipped. Also: the app's code runs unchanged under Node
// (`import init, { Policy } from 'onshi'` from the app's folder gets the Node build's ES module entry,
// whose `init` does nothing), as in a vendor's unit tests.
//
// Needs Debian's chromium (CHROMIUM overrides /usr/bin/chromium) and npm playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const app = path.join(here, 'app');
const bundles = path.resolve(process.env.ONSHI_BUNDLES ?? path.join(here, '../../../target/bundlers'));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm' };

/** Serves `dir` on 127.0.0.1 (a free port): its files, by their extension's type; 404 otherwise. */
function serve(dir) {
  const server = createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/\/$/, '/index.html');
    const file = path.join(dir, path.normalize(rel));
    if (!file.startsWith(dir + path.sep) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Every file under `dir`, relative. */
function files(dir, prefix = '') {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)],
  );
}

function sizes(dir) {
  const sum = (ext) => {
    let raw = 0;
    let gzip = 0;
    for (const f of files(dir).filter((f) => f.endsWith(ext))) {
      const bytes = readFileSync(path.join(dir, f));
      raw += bytes.length;
      gzip += gzipSync(bytes, { level: 9 }).length;
    }
    return { raw, gzip };
  };
  return { js: sum('.js'), wasm: sum('.wasm') };
}

let browser;
before(async () => {
  assert.ok(existsSync(executablePath), `${executablePath} missing: apt-get install chromium`);
  browser = await chromium.launch({ executablePath, headless: true, args: LAUNCH_ARGS });
});
after(async () => {
  await browser?.close();
});

for (const bundler of ['vite', 'webpack']) {
  test(`the app built with ${bundler} shows the 確認方法, offline`, async () => {
    const dir = path.join(bundles, bundler);
    assert.ok(existsSync(path.join(dir, 'index.html')), `${dir}: build the app with ${bundler} first (cargo xtask test-web)`);
    const s = sizes(dir);
    assert.ok(s.wasm.raw > 0, `${bundler} emitted no .wasm`);
    const server = await serve(dir);
    const origin = `http://127.0.0.1:${server.address().port}`;
    const context = await browser.newContext();
    const requests = [];
    const errors = [];
    context.on('request', (r) => requests.push(r.url()));
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(`${origin}/index.html`);
      await page.waitForFunction(() => document.body.dataset.ready !== undefined, null, { timeout: 30000 });
      const shown = await page.textContent('#method');
      assert.equal(shown, 'オンライン資格確認');
      assert.deepEqual(requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:')), [], 'requests off the page\'s origin');
      assert.ok(requests.some((u) => u.endsWith('.wasm')), `the page loaded no .wasm: ${requests.join(' ')}`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
      server.close();
    }
    const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
    console.log(
      `${bundler}: JS ${s.js.raw} bytes (${kb(s.js.raw)}), gzip ${s.js.gzip} (${kb(s.js.gzip)}); ` +
        `wasm ${s.wasm.raw} bytes (${kb(s.wasm.raw)}), gzip ${s.wasm.gzip} (${kb(s.wasm.gzip)})`,
    );
  });
}

test("the app's code runs under Node too (import by name, init, evaluate)", () => {
  const code = `
    import init, { Policy } from 'onshi';
    await init();
    const { outputs } = Policy.bundled('r7/front_desk').evaluate({ 受診日: '2025-10-01', オン資: '導入済', 提示書類: ['マイナ保険証'] });
    console.log(outputs.確認方法);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: app, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'オンライン資格確認');
  const cjs = spawnSync(process.execPath, ['-e', "console.log(require('onshi').Policy.bundledNames().length > 0)"], { cwd: app, encoding: 'utf8' });
  assert.equal(cjs.stdout.trim(), 'true', cjs.stderr);
});
