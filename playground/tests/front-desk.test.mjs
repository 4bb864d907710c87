// A real headless Chromium opens the built front-desk page (playground/dist/, served by
// `python3 -m http.server --bind 127.0.0.1`), fills cases like a receptionist, and reads the answer.
// It also checks that the page requests nothing but its own static files, and logs no errors.
//
// Needs `cargo xtask playground` first (cargo xtask test-web does it), Debian's chromium
// (CHROMIUM overrides /usr/bin/chromium) and npm playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const shots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../screenshots');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const OWN_FILES = ['/front-desk.html', '/front-desk.js', '/front-desk.css', '/pkg/onshi.js', '/pkg/onshi_bg.wasm'];

let server;
let browser;
let origin;

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

async function waitForServer(url) {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} did not start`);
}

before(async () => {
  assert.ok(existsSync(path.join(dist, 'front-desk.html')), `${dist}: run cargo xtask playground`);
  assert.ok(existsSync(executablePath), `${executablePath} missing: apt-get install chromium`);
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], {
    cwd: dist,
    stdio: 'ignore',
  });
  await waitForServer(`${origin}/front-desk.html`);
  // playwright launches with a fresh temporary profile (user-data dir) of its own.
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

/** Open the page (at `viewport`); return it with the requests and console errors it makes. */
async function open(viewport) {
  const page = await browser.newPage(viewport ? { viewport } : {});
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${origin}/front-desk.html`);
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => document.body.dataset.ready), 'true', await page.textContent('#verdict'));
  return { page, requests, errors };
}

/** Set the form like a receptionist would. */
async function fill(page, { date, onshi, broken = false, mobile = false, network = false, disaster = false, docs = [], expiry }) {
  await page.fill('input[name="受診日"]', date);
  await page.check(`input[name="オン資"][value="${onshi}"]`);
  for (const [name, on] of [
    ['カードリーダー故障', broken],
    ['モバイル端末', mobile],
    ['ネットワーク障害', network],
    ['災害時モード', disaster],
  ]) {
    await page.setChecked(`input[name="${name}"]`, on);
  }
  for (const box of await page.$$('input[name="提示書類"]')) {
    await box.setChecked(docs.includes(await box.getAttribute('value')));
  }
  if (expiry !== undefined) await page.fill('input[name="資格確認書有効期限"]', expiry);
}

async function answer(page) {
  return page.evaluate(() => ({
    ok: document.querySelector('#verdict').dataset.value,
    verdict: document.querySelector('#verdict').textContent,
    method: document.querySelector('#method').dataset.value,
    online: document.querySelector('#online').dataset.value,
    ask: [...document.querySelectorAll('#ask li')].map((li) => li.dataset.docs),
    askText: document.querySelector('#ask').textContent,
    why: document.querySelector('#why').textContent,
    // 出典 in "why": where (the location text), and the passages quoted, as the source's words.
    where: [...document.querySelectorAll('#why .cite-where')].map((e) => e.textContent),
    quotes: [...document.querySelectorAll('#why blockquote.cite-quote')].map((e) => e.textContent),
  }));
}

/** Whether anything sticks out of the page sideways. */
function overflows(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('#why *')]
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      .map((e) => `${e.tagName}.${e.className}: ${e.textContent.slice(0, 40)}`);
  });
}

test('a マイナ保険証 alone at a facility without オン資: not established, ask for the お知らせ or portal screen', async () => {
  const { page, requests, errors } = await open();
  await fill(page, { date: '2025-10-01', onshi: '未導入', docs: ['マイナ保険証'] });
  let a = await answer(page);
  assert.equal(a.ok, 'false');
  assert.match(a.verdict, /確認できません/);
  assert.equal(a.method, '確認不可');
  assert.equal(a.online, 'false');
  assert.ok(a.ask.includes('資格情報のお知らせ'), a.askText);
  assert.ok(a.ask.includes('マイナポータル画面'), a.askText);
  assert.ok(a.ask.includes('健康保険証'), a.askText);

  // The patient then shows the 資格情報のお知らせ: established by looking at both.
  await page.check('input[name="提示書類"][value="資格情報のお知らせ"]');
  a = await answer(page);
  assert.equal(a.ok, 'true');
  assert.match(a.verdict, /確認できます/);
  assert.equal(a.method, '目視確認');
  assert.match(a.why, /マイナ保険証と資格情報/);
  assert.match(a.why, /出典/);
  // The 出典 of the rule: where in 周知依頼 (別添4 スライド10), and the notice's own words apart from it.
  assert.ok(
    a.quotes.some((q) => q.startsWith('マイナ保険証のみでは資格情報の確認ができないため')),
    a.quotes.join(' / '),
  );
  assert.ok(a.quotes.includes('※追加で健康保険証の提示は不要'), a.quotes.join(' / '));
  assert.ok(a.where.includes('出典: 「オンライン資格確認の導入のための医療機関・薬局への財政支援について（周知依頼）」 別添4 スライド10'), a.where.join(' / '));
  assert.ok(a.where.every((w) => !w.includes('マイナ保険証のみでは')), a.where.join(' / '));

  // Nothing but the page's own static files, all from its own origin.
  for (const url of requests) {
    const u = new URL(url);
    assert.equal(u.origin, origin, `request to another origin: ${url}`);
    assert.ok(OWN_FILES.includes(u.pathname), `unexpected request: ${url}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('card reader broken with a mobile device: online check with the マイナ保険証', async () => {
  const { page, errors } = await open();
  await fill(page, { date: '2025-10-01', onshi: '導入済', broken: true, mobile: true, docs: ['マイナ保険証'] });
  const a = await answer(page);
  assert.equal(a.ok, 'true');
  assert.equal(a.method, 'オンライン資格確認');
  assert.equal(a.online, 'true');
  assert.match(a.why, /モバイル端末/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a 健康保険証 after 2025-12-01 no longer works; an expired 資格確認書 neither', async () => {
  const { page, errors } = await open();
  await fill(page, { date: '2025-12-02', onshi: '導入済', docs: ['健康保険証'] });
  let a = await answer(page);
  assert.equal(a.ok, 'false');
  assert.equal(a.method, '確認不可');
  assert.ok(a.ask.includes('マイナ保険証'), a.askText);
  assert.ok(!a.ask.includes('健康保険証'));

  // The expiry field appears once a 資格確認書 is ticked.
  assert.equal(await page.isVisible('input[name="資格確認書有効期限"]'), false);
  await fill(page, { date: '2026-08-01', onshi: '未導入', docs: ['資格確認書'] });
  assert.equal(await page.isVisible('input[name="資格確認書有効期限"]'), true);
  await page.fill('input[name="資格確認書有効期限"]', '2026-07-31');
  a = await answer(page);
  assert.equal(a.ok, 'false');
  await page.fill('input[name="資格確認書有効期限"]', '2026-08-01');
  a = await answer(page);
  assert.equal(a.ok, 'true');
  assert.equal(a.method, '目視確認');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a broken card reader does not stop the 記号番号 look-up of a 健康保険証', async () => {
  const { page, errors } = await open();
  await fill(page, { date: '2025-10-01', onshi: '導入済', broken: true, docs: ['健康保険証'] });
  const a = await answer(page);
  assert.equal(a.ok, 'true');
  assert.equal(a.method, 'オンライン資格確認');
  assert.equal(a.online, 'false');
  assert.match(a.why, /記号番号等で、オンラインで資格を照会します/);
  assert.ok(a.quotes.includes('健康保険証の記号番号等により、オンラインで資格情報の確認ができます'), a.quotes.join(' / '));
  // Nothing better to ask for.
  assert.deepEqual(a.ask, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('災害時モード: no document at all, 災害時照会 — the portal’s words in "why"; a document gives an online check', async () => {
  const { page, errors } = await open();
  await fill(page, { date: '2025-10-01', onshi: '導入済', disaster: true, docs: [] });
  let a = await answer(page);
  assert.equal(a.ok, 'true');
  assert.equal(a.method, '災害時照会');
  assert.match(await page.textContent('#method'), /災害時モードで資格情報を照会します/);
  assert.ok(
    a.quotes.some((q) => q.includes('「災害時医療情報閲覧機能」(災害時モード)により、患者が被災されマイナンバーカードを持参していない場合でも')),
    a.quotes.join(' / '),
  );
  // An online check is preferred: the マイナ保険証 or a 健康保険証 would give it.
  assert.ok(a.ask.includes('マイナ保険証'), a.askText);
  assert.ok(a.ask.includes('健康保険証'), a.askText);
  assert.match(a.askText, /オンライン資格確認にするには/);

  // Without the network there is no look-up: no document, no answer.
  await fill(page, { date: '2025-10-01', onshi: '導入済', disaster: true, network: true, docs: [] });
  a = await answer(page);
  assert.equal(a.ok, 'false');
  assert.equal(a.method, '確認不可');
  assert.deepEqual(errors, []);
  await page.close();
});

for (const [name, viewport] of [
  ['phone', { width: 390, height: 844 }],
  ['tablet', { width: 768, height: 1024 }],
]) {
  test(`"why" on a ${name} (${viewport.width}×${viewport.height}): long passages wrap, nothing overflows`, async () => {
    const { page, errors } = await open(viewport);
    await fill(page, { date: '2025-10-01', onshi: '導入済', disaster: true, broken: true, docs: ['マイナ保険証', '資格情報のお知らせ'] });
    const a = await answer(page);
    assert.equal(a.method, '災害時照会');
    assert.ok(a.quotes.length > 0);
    assert.deepEqual(await overflows(page), []);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth));
    // The longest passage is several lines high, not one long line.
    const lines = await page.evaluate(() => {
      const q = [...document.querySelectorAll('#why blockquote.cite-quote')].sort((x, y) => y.textContent.length - x.textContent.length)[0];
      return q.getBoundingClientRect().height / parseFloat(getComputedStyle(q).lineHeight);
    });
    assert.ok(lines >= 2, `lines: ${lines}`);
    mkdirSync(shots, { recursive: true });
    await page.locator('#why').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, `front-desk-why-${name}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });
}
