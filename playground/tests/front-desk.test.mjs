// A receptionist at a tablet (768×1024) and a phone (390×844) uses the built front-desk page
// (playground/dist/front-desk.html, served by `python3 -m http.server --bind 127.0.0.1`) in headless
// Chromium: patients with an expired 健康保険証, an expired 資格確認書, only a マイナ保険証 at a facility
// without オン資, valid cards, 災害時モード; 「次の患者さん」; dates typed as 和暦; English; the print
// record; a reload with the network down. After every tap the verdict must be inside the viewport,
// and every refusal must say its concrete reason. It prints the time from navigation to the first
// answer, checks that the page requests nothing but its own static files and logs no error, and
// saves screenshots to playground/screenshots/ (front-desk-tablet.png and front-desk-phone.png are
// copied to docs/ for the README).
//
// Needs `cargo xtask playground` first (cargo xtask test-web does it), Debian's chromium (CHROMIUM
// overrides /usr/bin/chromium) and npm playwright-core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { todayIso } from '../shared/dates.js';
import { assertOnlyOwnRequests, browserSession, dist, recordedPage, serve, shots, waitReady as waitFor } from './browser-helpers.mjs';

const OWN_FILES = new Set([
  '/front-desk.html',
  '/front-desk-sw.js',
  '/desk/front-desk.js',
  '/desk/front-desk.css',
  '/desk/words.js',
  '/desk/reasons.js',
  '/desk/details.js',
  '/desk/store.js',
  '/shared/dates.js',
  '/shared/dom.js',
  '/shared/why.js',
  '/shared/sw-core.js',
  '/pkg/desk/onshi.js',
  '/pkg/desk/onshi_bg.wasm',
]);
const SIZES = [
  ['tablet', { width: 768, height: 1024 }],
  ['phone', { width: 390, height: 844 }],
  ['wide', { width: 1024, height: 768 }],
];

const session = browserSession('front-desk.html');

/** A fresh context (no cache, no service worker) at `viewport`, its page on the front desk, on a
 * device whose facility was set before (導入済, no trouble: what the desk stored; the first visit's
 * set-up is front-desk-safety.test.mjs's). */
async function open(viewport, origin = session.site.origin) {
  const context = await session.browser.newContext({ viewport, hasTouch: true });
  await context.addInitScript(() => {
    const key = 'onshi.front-desk.v1';
    try {
      if (!localStorage.getItem(key)) {
        localStorage.setItem(key, JSON.stringify({ facility: { オン資: '導入済', カードリーダー故障: false, モバイル端末: false, ネットワーク障害: false, 災害時モード: false } }));
      }
    } catch {
      // the browser's own error page (offline): no storage there
    }
  });
  const page = await recordedPage(context, session);
  await page.goto(`${origin}/front-desk.html`);
  await waitReady(page);
  return { context, page };
}

const waitReady = (page) => waitFor(page, '#verdict');

/** The verdict and 方法 are inside the viewport (not scrolled off, not under anything). */
async function assertVerdictInView(page, what) {
  const box = await page.evaluate(() => {
    const r = document.querySelector('#verdict').getBoundingClientRect();
    const m = document.querySelector('#method').getBoundingClientRect();
    return { top: r.top, bottom: Math.max(r.bottom, m.bottom), height: innerHeight, width: r.width };
  });
  assert.ok(box.top >= 0 && box.bottom <= box.height && box.width > 0, `verdict out of view after ${what}: ${JSON.stringify(box)}`);
}

/** Tap a control as a finger would (scrolled into view first), then check the verdict is in view. */
async function tap(page, selector) {
  await page.locator(selector).tap();
  await assertVerdictInView(page, selector);
}

/** Change the facility's settings as the desk does: 変更, the setting, 閉じる. */
async function facility(page, selector) {
  await tap(page, '#facility-change');
  await tap(page, selector);
  await tap(page, '#facility-done');
}

const doc = (d) => `input[name="提示書類"][value="${d}"]`;
const onshi = (v) => `input[name="オン資"][value="${v}"]`;
const flag = (n) => `input[name="${n}"]`;

/** Type a date into a date field (as typed, 和暦 too), then leave it. */
async function typeDate(page, name, text) {
  const field = page.locator(`input[type="text"][name="${name}"]`);
  await field.tap();
  await field.fill('');
  await field.pressSequentially(text);
  await field.press('Tab');
  await assertVerdictInView(page, `typing ${name}`);
}

async function answer(page) {
  return page.evaluate(() => ({
    verdict: document.querySelector('#verdict').dataset.value,
    verdictText: document.querySelector('#verdict').textContent,
    method: document.querySelector('#method').dataset.value,
    methodText: document.querySelector('#method').textContent,
    reasons: [...document.querySelectorAll('#reasons li.reason')].map((li) => li.textContent),
    next: document.querySelector('#next-step').textContent,
    nextDocs: document.querySelector('#next-step').dataset.docs ?? '',
    online: document.querySelector('#online').textContent,
    answer: document.querySelector('#answer').innerText,
    body: document.body.innerText,
  }));
}

/** What a receptionist must never see: engine paths, backticks, internal names outside 詳細. */
function assertPlain(a) {
  assert.doesNotMatch(a.body, /\$\.|`/, 'a path or backtick on the page');
  assert.doesNotMatch(a.body, /\bnull\b|undefined|NaN|\[object/, 'a programming word on the page');
  assert.doesNotMatch(a.answer, /有効な証|資格情報の写しを提示|\{|\}|オン資導入状況/, `internal names in the answer: ${a.answer}`);
}

/** No sentence twice in the answer; no heading twice on the page. */
async function assertNoRepeats(page) {
  const { sentences, headings } = await page.evaluate(() => ({
    sentences: document.querySelector('#answer').innerText.split(/(?<=[。.])\s*|\n/).map((s) => s.trim()).filter((s) => s.length > 4),
    headings: [...document.querySelectorAll('h1, h2, h3, legend')].filter((e) => e.offsetParent !== null).map((e) => e.textContent),
  }));
  assert.equal(new Set(sentences).size, sentences.length, `a sentence repeated: ${sentences.join(' | ')}`);
  assert.equal(new Set(headings).size, headings.length, `a heading repeated: ${headings.join(' | ')}`);
}

for (const [name, viewport] of SIZES) {
  test(`${name} ${viewport.width}×${viewport.height}: a morning at the desk`, async () => {
    const t0 = Date.now();
    const { context, page } = await open(viewport);
    const ms = await page.evaluate(() => Number(document.body.dataset.answerMs));
    console.log(`front desk (${name}): first answer ${ms} ms after navigation (test saw ${Date.now() - t0} ms)`);
    assert.ok(ms > 0 && ms < 5000, `first answer after ${ms} ms`);

    // A neutral start: no red ✖ before anything is chosen; 受診日 is today, shown both ways.
    let a = await answer(page);
    assert.equal(a.verdict, 'neutral');
    assert.match(a.verdictText, /書類を選んでください/);
    assert.doesNotMatch(a.body, /✖/);
    assertPlain(a);
    assert.equal(await page.inputValue('[data-input="受診日"] input.picker'), todayIso());
    await assertVerdictInView(page, 'load');
    await page.screenshot({ path: path.join(shots, `front-desk-${name}-start.png`) });

    // Touch targets: every control row, button and field at least 44 px high.
    const small = await page.evaluate(() =>
      [...document.querySelectorAll('label.row, button, .date input, summary')]
        .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
        .map((e) => `${e.tagName}.${e.className} ${e.textContent.slice(0, 20)} ${e.getBoundingClientRect().height}`),
    );
    assert.deepEqual(small, []);

    // 1. An expired 健康保険証 on 令和7年12月2日 at a facility with オン資.
    await facility(page, onshi('導入済'));
    await typeDate(page, '受診日', '令和7年12月2日');
    assert.match(await page.textContent('[data-input="受診日"] .date-shown'), /令和7年12月2日（2025-12-02）/);
    await tap(page, doc('健康保険証'));
    a = await answer(page);
    assert.equal(a.verdict, 'ng');
    assert.ok(a.reasons.includes('健康保険証は令和7年12月1日までです（受診日 令和7年12月2日）。'), a.reasons.join(' / '));
    assert.match(a.next, /マイナ保険証/);
    assert.match(a.next, /有効期限内の資格確認書/);
    assertPlain(a);
    await assertNoRepeats(page);
    // The 出典 of the expiry: the notice's slide and its own words.
    assert.ok((await page.textContent('#why')).includes('健康保険証（～2025.12/1）'));
    await page.screenshot({ path: path.join(shots, `front-desk-${name}.png`) });
    await page.screenshot({ path: path.join(shots, `front-desk-${name}-full.png`), fullPage: true });
    // 詳細, collapsed until tapped: the rules by their names, and the comparison that failed.
    const details = '[data-testid="details"]';
    assert.equal(await page.locator(details).evaluate((d) => d.open), false);
    await tap(page, `${details} > summary`);
    assert.match(await page.locator(details).innerText(), /受診日 2025-12-02 \(令和7年12月2日\) > 健康保険証の使用期限 2025-12-01 \(令和7年12月1日\)/);
    assert.match(await page.locator(details).innerText(), /例外「証の目視」/);
    await tap(page, `${details} > summary`);

    // The patient then shows the マイナ保険証: online check.
    await tap(page, doc('マイナ保険証'));
    a = await answer(page);
    assert.equal(a.verdict, 'ok');
    assert.equal(a.method, 'オンライン資格確認');
    assert.deepEqual(a.reasons, []);

    // 2. 次の患者さん: the patient's facts go, the facility's stay.
    await facility(page, flag('カードリーダー故障'));
    await tap(page, '#next');
    a = await answer(page);
    assert.equal(a.verdict, 'neutral');
    assert.equal(await page.isChecked(doc('健康保険証')), false);
    assert.equal(await page.isChecked(doc('マイナ保険証')), false);
    assert.equal(await page.isChecked(flag('カードリーダー故障')), true);
    assert.equal(await page.isChecked(onshi('導入済')), true);
    assert.equal(await page.inputValue('[data-input="受診日"] input.picker'), todayIso());

    // A date picked on the calendar is shown as 和暦 in the field, and both ways under it.
    await page.locator('[data-input="受診日"] input.picker').fill('2025-10-01');
    assert.equal(await page.inputValue('input[type="text"][name="受診日"]'), '令和7年10月1日');
    assert.equal(await page.textContent('[data-input="受診日"] .date-shown'), '令和7年10月1日（2025-10-01）');
    await assertVerdictInView(page, 'the calendar');

    // 3. An expired 資格確認書 (its date typed as R8.7.31), visit R8.8.1; the card reader is broken.
    await typeDate(page, '受診日', 'R8.8.1');
    await tap(page, doc('資格確認書'));
    assert.equal(await page.isVisible('input[name="資格確認書有効期限"]'), true);
    await assertVerdictInView(page, 'the expiry field shown');
    await typeDate(page, '資格確認書有効期限', 'R8.7.31');
    a = await answer(page);
    assert.equal(a.verdict, 'ng');
    assert.ok(a.reasons.includes('資格確認書の有効期限（令和8年7月31日）を過ぎています（受診日 令和8年8月1日）。'), a.reasons.join(' / '));
    assertPlain(a);
    // A new expiry: the 記号番号 look-up works without the card reader.
    await typeDate(page, '資格確認書有効期限', '令和9年7月31日');
    a = await answer(page);
    assert.equal(a.verdict, 'ok');
    assert.equal(a.method, 'オンライン資格確認');
    assert.match(a.methodText, /記号番号/);
    await assertNoRepeats(page);
    // Half-typed dates are no error; an unreadable one says so plainly once the field is left.
    const field = page.locator('input[type="text"][name="資格確認書有効期限"]');
    await field.fill('令和9年');
    assert.equal(await page.locator('[data-input="資格確認書有効期限"].bad').count(), 0);
    await field.press('Tab');
    assert.match(await page.textContent('[data-input="資格確認書有効期限"] .date-shown'), /日付として読めません/);
    assertPlain(await answer(page));

    // 4. Facility without オン資 (the reader no longer matters), a patient with only a マイナ保険証.
    await tap(page, '#next');
    await facility(page, flag('カードリーダー故障'));
    await facility(page, onshi('未導入'));
    await tap(page, doc('マイナ保険証'));
    a = await answer(page);
    assert.equal(a.verdict, 'ng');
    assert.ok(a.reasons.some((r) => r.includes('オンライン資格確認を導入していないため、マイナ保険証だけでは確認できません')), a.reasons.join(' / '));
    assert.match(a.next, /マイナポータル/);
    assert.match(a.next, /資格情報のお知らせ/);
    assertPlain(a);
    await assertNoRepeats(page);
    await page.screenshot({ path: path.join(shots, `front-desk-${name}-refusal.png`) });
    await tap(page, doc('資格情報のお知らせ'));
    a = await answer(page);
    assert.equal(a.verdict, 'ok');
    assert.equal(a.method, '目視確認');

    // 5. 災害時モード at a facility with オン資: no document at all, a look-up.
    await tap(page, '#next');
    await facility(page, onshi('導入済'));
    await facility(page, flag('災害時モード'));
    a = await answer(page);
    assert.equal(a.verdict, 'ok');
    assert.equal(a.method, '災害時照会');
    assert.match(a.methodText, /氏名・生年月日・性別・住所等/);

    // 6. English, and back.
    await tap(page, '#lang');
    a = await answer(page);
    assert.match(a.verdictText, /Eligibility can be confirmed/);
    assert.match(a.methodText, /disaster-mode look-up/);
    assert.equal(await page.isChecked(flag('災害時モード')), true);
    await facility(page, flag('災害時モード'));
    await tap(page, doc('健康保険証'));
    await typeDate(page, '受診日', '2025-12-02');
    a = await answer(page);
    assert.ok(a.reasons.some((r) => r.includes('valid until 1 Dec 2025 (R7)')), a.reasons.join(' / '));
    await page.screenshot({ path: path.join(shots, `front-desk-${name}-en.png`) });
    await tap(page, '#lang');
    assert.match((await answer(page)).verdictText, /確認できません/);

    // 7. The print record: date, documents, verdict, reason, 出典; nothing else.
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(shots, `front-desk-${name}-print.png`) });
    const printed = await page.evaluate(() => ({
      record: document.querySelector('#record').innerText,
      formShown: document.querySelector('#facts').offsetParent !== null,
    }));
    assert.equal(printed.formShown, false);
    for (const part of ['受診日', '令和7年12月2日', '健康保険証', '資格を確認できません', '健康保険証は令和7年12月1日まで', '出典', '別添4 スライド10', '適用した政策', '令和7年度']) {
      assert.ok(printed.record.includes(part), `${part} not in the record: ${printed.record}`);
    }
    await page.emulateMedia({ media: 'screen' });
    await context.close();
  });
}

test('offline: after one online visit the page reloads and answers with the network cut', async () => {
  const own = await serve(dist, 'front-desk.html');
  try {
    const { context, page } = await open({ width: 768, height: 1024 }, own.origin);
    await page.waitForFunction(() => document.body.dataset.offline === 'true', null, { timeout: 20000 });
    await page.reload();
    await waitReady(page);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
    await context.setOffline(true);
    own.proc.kill();
    await new Promise((r) => setTimeout(r, 300));
    await page.reload();
    await waitReady(page);
    await facility(page, flag('ネットワーク障害'));
    await tap(page, doc('マイナ保険証'));
    const a = await answer(page);
    assert.equal(a.verdict, 'ng');
    assert.ok(a.reasons.some((r) => r.includes('ネットワーク障害のため')), a.reasons.join(' / '));
    await context.close();
  } finally {
    own.proc.kill();
  }
});

test('offline: neither page shows the other in its place', async () => {
  const own = await serve(dist, 'front-desk.html');
  try {
    // The playground visited online (its worker installed), the front desk never.
    const context = await session.browser.newContext({ viewport: { width: 768, height: 1024 } });
    const page = await context.newPage();
    await page.goto(`${own.origin}/index.html`);
    await page.waitForFunction(() => document.body.dataset.offline === 'true', null, { timeout: 30000 });
    // The front desk visited online too, in another context; then both offline.
    const desk = await open({ width: 768, height: 1024 }, own.origin);
    await desk.page.waitForFunction(() => document.body.dataset.offline === 'true', null, { timeout: 20000 });
    await context.setOffline(true);
    await desk.context.setOffline(true);
    own.proc.kill();
    await new Promise((r) => setTimeout(r, 300));
    // The playground's context: the front desk is not served from the playground's cache.
    await page.goto(`${own.origin}/front-desk.html`).catch(() => null);
    assert.equal(await page.locator('#editor').count(), 0, 'the playground shown for front-desk.html');
    // The front desk's context: the playground is not served in its place, the desk still is.
    await desk.page.goto(`${own.origin}/index.html`).catch(() => null);
    assert.equal(await desk.page.locator('#facts').count(), 0, 'the front desk shown for index.html');
    // (A new tab: the old one may still be showing the browser's error page.)
    const again = await desk.context.newPage();
    await again.goto(`${own.origin}/front-desk.html`);
    await waitReady(again);
    await context.close();
    await desk.context.close();
  } finally {
    own.proc.kill();
  }
});

test('no request but the page’s own static files; nothing sent; no errors', () => {
  // The offline test's visit to the playground (index.html, `/` and the playground's files) too.
  const playground = /^\/(|index\.html|src\/boot\.js|playground\.js|src\/playground\.css|sw\.js)$/;
  assertOnlyOwnRequests(session, (p) => OWN_FILES.has(p) || playground.test(p), /net::ERR_|Failed to load resource/);
});
