// The review documents of `onshi doc` in a real headless Chromium: each page renders without
// console errors and requests nothing but itself (no script, style sheet, font or image from
// anywhere), its screenshot is saved to look at, and printing to PDF (A4) works with no table
// split across pages.
//
// Run by `cargo xtask test-web` (ONSHI_BIN: the onshi binary; SHOTS: where the screenshots go).
// Needs Debian's chromium (CHROMIUM overrides /usr/bin/chromium), CJK fonts and npm playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const onshi = process.env.ONSHI_BIN ?? path.join(root, 'target/debug/onshi');
const shots = process.env.SHOTS ?? path.join(root, 'target/doc-screenshots');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

let browser;
let out;

function doc(args, dir) {
  execFileSync(onshi, ['doc', ...args, '--out', dir], { cwd: root, env: { ...process.env, ONSHI_LANG: 'ja' } });
}

before(async () => {
  assert.ok(existsSync(onshi), `${onshi}: build onshi first`);
  assert.ok(existsSync(executablePath), `${executablePath} missing: apt-get install chromium`);
  mkdirSync(shots, { recursive: true });
  out = mkdtempSync(path.join(os.tmpdir(), 'onshi-doc-'));
  doc(['policies/r7/subsidy.onshi', 'policies/r7/obligation.onshi'], path.join(out, 'ja'));
  doc(['--compare', 'policies/r7/subsidy.onshi', 'cli/tests/fixtures/r8/subsidy.onshi'], path.join(out, 'cmp'));
  doc(['--compare', 'policies/r2/subsidy.onshi', 'policies/r7/subsidy.onshi'], path.join(out, 'r2r7'));
  doc(['policies/', '--lang', 'en'], path.join(out, 'en'));
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

/** Open a document; check it loads nothing but itself and logs no error. */
async function open(file, viewport = { width: 1100, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  const url = pathToFileURL(path.join(out, file)).href;
  await page.goto(url);
  await page.waitForLoadState('load');
  assert.deepEqual(errors, [], `${file}: console errors`);
  assert.deepEqual(requests, [url], `${file}: requests off the page`);
  return page;
}

/** Print to PDF: A4 pages, and no table row or small table split across two pages. */
async function printable(page, name) {
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.ok(pages >= 1, `${name}: ${pages} pages`);
  await page.emulateMedia({ media: 'print' });
  const avoid = await page.evaluate(() => [...document.querySelectorAll('table, tr')].every((el) => getComputedStyle(el).breakInside === 'avoid'));
  assert.ok(avoid, `${name}: tables and rows are kept on one page when printed`);
  const toc = await page.evaluate(() => getComputedStyle(document.querySelector('nav.toc') ?? document.body).display);
  await page.emulateMedia({ media: 'screen' });
  return { pages, toc };
}

test('the r7 subsidy document renders, in Japanese, and prints to A4', async () => {
  const page = await open('ja/subsidy.html');
  assert.equal(await page.textContent('h1'), '令和7年度 地域診療情報連携推進費補助金');
  assert.equal(await page.locator('section#tables table.decision').first().locator('tbody tr').count(), 7);
  // 29 examples: 26 under the adopted readings and 3 that assume another 案.
  assert.equal(await page.locator('.example .badge.pass').count(), 29);
  // CJK text actually has a font: the heading is not drawn with zero width (tofu boxes still have width,
  // so also check a Japanese font is the one used).
  const font = await page.evaluate(() => getComputedStyle(document.querySelector('h1')).fontFamily);
  assert.match(font, /Noto Sans CJK JP/);
  await page.screenshot({ path: path.join(shots, 'doc-subsidy.png'), fullPage: false });
  await page.locator('section#tables').screenshot({ path: path.join(shots, 'doc-subsidy-tables.png') });
  const { pages, toc } = await printable(page, 'subsidy');
  assert.ok(pages >= 3, `the subsidy document is several A4 pages (${pages})`);
  assert.equal(toc, 'none', 'the table of contents is not printed');
  await page.close();
});

test('rules of the obligation document are in priority order with their sources', async () => {
  const page = await open('ja/obligation.html');
  const rules = page.locator('article.definition', { has: page.locator('h3#def-判定') }).locator('table.rules tbody tr');
  assert.equal(await rules.count(), 6);
  assert.match(await rules.first().textContent(), /例外\s*受領委任なしの施行前/);
  assert.match(await rules.last().textContent(), /原則\s*義務化/);
  await page.locator('article.definition', { has: page.locator('h3#def-判定') }).screenshot({ path: path.join(shots, 'doc-obligation-rules.png') });
  await printable(page, 'obligation');
  await page.close();
});

test('the comparison of two editions renders and prints', async () => {
  const page = await open('cmp/compare-policies-r7-subsidy-cli-tests-fixtures-r8-subsidy.html');
  assert.deepEqual(await page.locator('section#changes h3').allTextContents(), ['補助限度額', '申請期限', '申請可', '補助額']);
  await page.screenshot({ path: path.join(shots, 'doc-compare.png') });
  await printable(page, 'compare');
  await page.close();
  const r2 = await open('r2r7/compare-r2-subsidy-r7-subsidy.html');
  const items = await r2.locator('section#interface li').allTextContents();
  assert.equal(items.length, 6);
  // r2 states a 前提 r7 does not; the page says the proofs assume it on both sides.
  assert.match(items[5].replace(/\s+/g, ' '), /前提（旧のみ・証明は新にも仮定）: カードリーダーは1台以上/);
  await r2.close();
});

test('every page of the English folder run renders without errors', async () => {
  for (const f of ['index.html', 'r7-subsidy.html', 'r7-front_desk.html', 'r7-consent.html', 'r7-introduction.html', 'r7-obligation.html', 'r2-subsidy.html', 'common-facility.html']) {
    const page = await open(`en/${f}`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    if (f === 'index.html') assert.equal(await page.locator('tbody tr').count(), 9);
    await page.close();
  }
});

test('a phone (390 px): no page scrolls sideways; wide tables scroll inside themselves', async () => {
  for (const f of ['ja/subsidy.html', 'ja/obligation.html', 'en/index.html', 'en/r7-front_desk.html', 'cmp/compare-policies-r7-subsidy-cli-tests-fixtures-r8-subsidy.html', 'r2r7/compare-r2-subsidy-r7-subsidy.html']) {
    const page = await open(f, { width: 390, height: 844 });
    const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth }));
    assert.ok(scroll <= width, `${f}: the page is ${scroll} px wide on a ${width} px screen`);
    if (f === 'ja/subsidy.html') await page.screenshot({ path: path.join(shots, 'doc-subsidy-phone.png') });
    await page.close();
  }
});

test('print: a heading never ends a page; the footer names the digest of the policy files, as the front desk does', async () => {
  const page = await open('en/r7-front_desk.html');
  await page.emulateMedia({ media: 'print' });
  const headings = await page.evaluate(() => [...document.querySelectorAll('h2, h3')].map((h) => getComputedStyle(h).breakAfter));
  assert.ok(headings.length > 3 && headings.every((b) => b === 'avoid'), headings.join(','));
  await page.emulateMedia({ media: 'screen' });
  // The same SHA-256 as the WASM package's edition of r7/front_desk (what the front desk prints).
  const { createRequire } = await import('node:module');
  const { Policy } = createRequire(import.meta.url)('../../wasm/pkg/node');
  assert.equal(await page.getAttribute('footer .stamp', 'data-digest'), Policy.bundledDigest('r7/front_desk'));
  assert.match(await page.textContent('footer .stamp'), /onshi \d+\.\d+\.\d+/);
  // The policy's own header notes are on the page.
  assert.match(await page.textContent('.notes-text'), /資格確認書有効期限 が与えられないとき/);
  await page.close();
});

test('the index lists a policy that failed to compile, with its errors', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'onshi-doc-broken-'));
  try {
    const { writeFileSync, mkdirSync: mk } = await import('node:fs');
    mk(path.join(dir, 'p'));
    writeFileSync(path.join(dir, 'p', 'good.onshi'), '政策 "良い"\n出力 x: 整数 = 1\n');
    writeFileSync(path.join(dir, 'p', 'bad.onshi'), '政策 "壊れた"\n出力 x: 金額 = 未定義の名前\n');
    let failed = false;
    try {
      execFileSync(onshi, ['doc', path.join(dir, 'p'), '--out', path.join(dir, 'out')], { cwd: root, stdio: 'pipe' });
    } catch (e) {
      failed = e.status === 1;
    }
    assert.ok(failed, 'onshi doc exits 1 when a policy does not compile');
    const page = await browser.newPage();
    await page.goto(pathToFileURL(path.join(dir, 'out', 'index.html')).href);
    const broken = await page.textContent('.broken');
    assert.match(broken, /bad\.onshi/);
    assert.match(broken, /未定義の名前/);
    assert.match(broken, /bad\.onshi:2:12/);
    await page.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
