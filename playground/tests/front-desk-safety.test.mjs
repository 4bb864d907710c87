// The front desk never approves on a wrong premise (issue 23), in headless Chromium at tablet
// (768×1024), phone (390×844) and wide (1280×800) sizes, on the built page:
//
// 1. the facility's settings survive a reload and a browser restart on the device; a device never
//    set asks for them before its first answer (no 導入済 assumed); nothing about a patient is kept;
// 2. a 資格確認書 whose expiry was not entered is never approved: the verdict asks for the date;
// 3. no form control moves when an answer appears, changes or goes (every control's position is
//    compared before and after each tap), so a hurried second tap lands where the finger aimed;
// 4. the chosen language survives a reload, and every string of the page is in it;
// and the should-fix items: every combination the policy accepts as the next step, an optional note
// under a ✔, 災害時モード with the network down, the policy edition in the answer and the record
// (and said once when it changed), a focused field never under the answer bar.
//
// Needs `cargo xtask playground` first (cargo xtask test-web does it), Debian's chromium and npm
// playwright-core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { todayIso } from '../shared/dates.js';
import { WORDS } from '../desk/words.js';
import { browserSession, recordedPage, shots, waitReady as waitFor } from './browser-helpers.mjs';

const require = createRequire(import.meta.url);
const { Policy } = require('../../wasm/pkg/node');

const KEY = 'onshi.front-desk.v1';
const SIZES = [
  ['tablet', { width: 768, height: 1024 }],
  ['phone', { width: 390, height: 844 }],
  ['wide', { width: 1280, height: 800 }],
];

const session = browserSession('front-desk.html');

const waitReady = (page) => waitFor(page, '#verdict');
const doc = (d) => `input[name="提示書類"][value="${d}"]`;
const onshi = (v) => `input[name="オン資"][value="${v}"]`;
const flag = (n) => `input[name="${n}"]`;

/** A new device: a context with nothing stored (or with `storageState`, a browser restarted). */
async function device(viewport, storageState) {
  const context = await session.browser.newContext({ viewport, hasTouch: true, ...(storageState ? { storageState } : {}) });
  const page = await recordedPage(context, session);
  await page.goto(`${session.site.origin}/front-desk.html`);
  await waitReady(page);
  return { context, page };
}

async function answer(page) {
  return page.evaluate(() => ({
    verdict: document.querySelector('#verdict').dataset.value,
    verdictText: document.querySelector('#verdict').textContent,
    method: document.querySelector('#method').dataset.value,
    reasons: [...document.querySelectorAll('#reasons li')].map((li) => li.textContent),
    next: document.querySelector('#next-step').textContent,
    nextClass: document.querySelector('#next-step').className,
    facilityLine: document.querySelector('#facility-summary').textContent,
    edition: document.querySelector('#edition').textContent,
    body: document.body.innerText,
  }));
}

/** Every form control and button on the page, by a stable name, with its place on the page. */
async function controls(page) {
  return page.evaluate(() => {
    const out = {};
    for (const e of document.querySelectorAll('#facts input, #facts label.row, #facts button, header button')) {
      if (e.offsetParent === null) continue;
      const r = e.getBoundingClientRect();
      const choice = e.type === 'checkbox' || e.type === 'radio' ? e.value : '';
      const name = `${e.tagName}.${e.type ?? ''}.${e.name ?? ''}.${choice}.${e.id}.${e.dataset.value ?? ''}.${e.className}`;
      out[name] = [Math.round(r.left), Math.round(r.top + scrollY), Math.round(r.width), Math.round(r.height)];
    }
    return out;
  });
}

/** Tap as a finger does, and check that no control moved under it (the answer changed, nothing else). */
async function tapStill(page, selector, what = selector) {
  const before = await controls(page);
  await page.locator(selector).tap();
  await page.waitForTimeout(50);
  const after = await controls(page);
  assert.deepEqual(after, before, `a control moved after ${what}`);
}

/** The set-up of a device never used: the facility's box is open, nothing is answered. */
async function setUp(page, choice, flags = []) {
  for (const f of [onshi(choice), ...flags.map(flag)]) await page.locator(f).tap();
  await page.locator('#facility-done').tap();
}

for (const [name, viewport] of SIZES) {
  test(`${name}: a device never set asks for the facility; the facility survives a reload and a restart; the patient's facts do not`, async () => {
    const { context, page } = await device(viewport);
    let a = await answer(page);
    assert.equal(a.verdict, 'facility', a.verdictText);
    assert.equal(a.verdictText, WORDS.ja.facilityNeeded);
    assert.doesNotMatch(a.body, /✔|✖/);
    // No choice is made for the desk: no オン資 is ticked, the patient's part waits.
    assert.equal(await page.locator(`${onshi('導入済')}:checked, ${onshi('未導入')}:checked, ${onshi('資格確認限定型')}:checked`).count(), 0);
    assert.equal(await page.locator(doc('マイナ保険証')).isVisible(), false);
    await page.screenshot({ path: path.join(shots, `front-desk-${name}-setup.png`) });
    // 「この設定で始める」 without an オン資 choice starts nothing.
    await page.locator('#facility-done').tap();
    assert.equal((await answer(page)).verdict, 'facility');

    await setUp(page, '未導入', ['カードリーダー故障']);
    a = await answer(page);
    assert.equal(a.verdict, 'neutral');
    assert.match(a.facilityLine, /未導入/);
    assert.match(a.facilityLine, /カードリーダー故障/);

    // A reload (the tablet slept, updated, crashed): the facility is still 未導入.
    await page.locator(doc('健康保険証')).tap();
    await page.locator('[data-input="受診日"] input[type="text"]').fill('令和7年10月1日');
    await page.reload();
    await waitReady(page);
    assert.equal(await page.isChecked(onshi('未導入')), true);
    assert.equal(await page.isChecked(flag('カードリーダー故障')), true);
    assert.match((await answer(page)).facilityLine, /未導入・カードリーダー故障/);
    // … and the patient's facts are gone: no document ticked, 受診日 today.
    assert.equal(await page.locator('input[name="提示書類"]:checked').count(), 0);
    assert.equal(await page.inputValue('[data-input="受診日"] input.picker'), todayIso());
    await page.locator(doc('マイナ保険証')).tap();
    a = await answer(page);
    assert.equal(a.verdict, 'ng', `a マイナ保険証 alone at a facility without オン資: ${a.verdictText}`);
    assert.notEqual(a.method, 'オンライン資格確認');

    // The browser restarted: the same device's storage, a new browser context.
    const state = await context.storageState();
    await context.close();
    const again = await device(viewport, state);
    assert.equal(await again.page.isChecked(onshi('未導入')), true);
    await again.page.locator(doc('マイナ保険証')).tap();
    assert.equal((await answer(again.page)).verdict, 'ng');
    // What the device keeps: the facility, the language, the edition — nothing of a patient.
    await again.page.locator(doc('資格確認書')).tap();
    await again.page.locator('input[type="text"][name="資格確認書有効期限"]').fill('令和9年3月31日');
    const stored = await again.page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])));
    assert.deepEqual(Object.keys(stored), [KEY]);
    const kept = JSON.parse(stored[KEY]);
    assert.deepEqual(Object.keys(kept).sort(), ['edition', 'facility']);
    assert.deepEqual(Object.keys(kept.facility).sort(), ['オン資', 'カードリーダー故障', 'ネットワーク障害', 'モバイル端末', '災害時モード'].sort());
    assert.doesNotMatch(stored[KEY], /提示書類|資格確認書|マイナ|20\d\d-|令和/);
    // 次の患者さん leaves nothing of the patient either.
    await again.page.locator('#next').tap();
    assert.equal(await again.page.locator('input[name="提示書類"]:checked').count(), 0);
    assert.equal(await again.page.inputValue('input[type="text"][name="資格確認書有効期限"]'), '');
    assert.equal(await again.page.isChecked(onshi('未導入')), true);

    // 変更: the facility can be changed, and the change is kept.
    await again.page.locator('#facility-change').tap();
    await again.page.locator(onshi('導入済')).tap();
    await again.page.locator(flag('カードリーダー故障')).tap();
    await again.page.locator('#facility-done').tap();
    await again.page.reload();
    await waitReady(again.page);
    assert.equal(await again.page.isChecked(onshi('導入済')), true);
    assert.equal(await again.page.isChecked(flag('カードリーダー故障')), false);
    await again.page.locator(doc('マイナ保険証')).tap();
    assert.equal((await answer(again.page)).verdict, 'ok');
    await again.context.close();
  });

  test(`${name}: a 資格確認書 without its expiry is not approved; the verdict asks for the date`, async () => {
    const { context, page } = await device(viewport);
    await setUp(page, '未導入');
    await page.locator('[data-input="受診日"] input[type="text"]').fill('令和8年4月1日');
    await page.locator(doc('資格確認書')).tap();
    let a = await answer(page);
    assert.equal(a.verdict, 'ask', a.verdictText);
    assert.equal(a.verdictText, '資格確認書の有効期限を入力してください');
    assert.doesNotMatch(a.verdictText, /✔/);
    assert.doesNotMatch(a.body, /分からなければ空欄/);
    await page.screenshot({ path: path.join(shots, `front-desk-${name}-ask.png`) });
    await page.locator('input[type="text"][name="資格確認書有効期限"]').fill('R8.3.31');
    a = await answer(page);
    assert.equal(a.verdict, 'ng');
    assert.ok(a.reasons.some((r) => r.includes('資格確認書の有効期限（令和8年3月31日）を過ぎています')), a.reasons.join(' / '));
    await page.locator('input[type="text"][name="資格確認書有効期限"]').fill('R9.3.31');
    a = await answer(page);
    assert.equal(a.verdict, 'ok');
    assert.equal(a.method, '目視確認');
    // At a facility with オン資 too (記号番号), and in English.
    await page.locator('#facility-change').tap();
    await page.locator(onshi('導入済')).tap();
    await page.locator('#facility-done').tap();
    assert.equal(await page.isChecked(doc('資格確認書')), true);
    await page.locator('input[type="text"][name="資格確認書有効期限"]').fill('');
    assert.equal((await answer(page)).verdict, 'ask');
    await page.locator('#lang').tap();
    a = await answer(page);
    assert.equal(a.verdict, 'ask');
    assert.equal(a.verdictText, WORDS.en.ask.資格確認書有効期限);
    await context.close();
  });

  test(`${name}: no control moves when the answer appears, changes or goes; a second tap lands where it aimed`, async () => {
    const { context, page } = await device(viewport);
    await setUp(page, '導入済');
    // The receptionist's taps of a morning, each compared control by control.
    await tapStill(page, doc('マイナ保険証'));
    await tapStill(page, doc('マイナ保険証'), 'untick');
    await tapStill(page, doc('健康保険証'));
    await tapStill(page, doc('資格確認書'));
    await tapStill(page, doc('資格確認書'), 'untick 資格確認書');
    await tapStill(page, doc('健康保険証'), 'untick 健康保険証');
    for (const [date, what] of [['令和7年12月2日', 'an expired 健康保険証'], ['令和7年10月1日', 'a valid one']]) {
      const before = await controls(page);
      await page.locator('[data-input="受診日"] input[type="text"]').fill(date);
      await page.locator(doc('健康保険証')).tap();
      assert.deepEqual(await controls(page), before, `a control moved after ${what}`);
      await page.locator(doc('健康保険証')).tap();
    }
    await page.locator('[data-input="受診日"] input[type="text"]').fill('令和8年4月1日');
    await tapStill(page, doc('資格確認書'), '資格確認書 (the verdict asks for the expiry)');
    const before = await controls(page);
    await page.locator('input[type="text"][name="資格確認書有効期限"]').fill('R9.3.31');
    assert.deepEqual(await controls(page), before, 'a control moved when the expiry was entered');
    await page.locator('#next').tap();

    // The reported case: マイナ保険証, then 300 ms later 資格情報のお知らせ, aimed where it was seen.
    await page.locator('#facility-change').tap();
    await page.locator(onshi('未導入')).tap();
    await page.locator('#facility-done').tap();
    // Both rows in sight (a phone scrolls to them), then the finger aims at what it sees.
    await page.evaluate(() => document.querySelector('label.row[data-value="資格情報のお知らせ"]').scrollIntoView({ block: 'end' }));
    const rows = await page.evaluate(() =>
      Object.fromEntries(
        ['マイナ保険証', '資格情報のお知らせ'].map((d) => {
          const r = document.querySelector(`label.row[data-value="${d}"]`).getBoundingClientRect();
          return [d, { x: r.left + r.width / 2, y: r.top + r.height / 2 }];
        }),
      ),
    );
    await page.touchscreen.tap(rows.マイナ保険証.x, rows.マイナ保険証.y);
    await page.waitForTimeout(300);
    await page.touchscreen.tap(rows.資格情報のお知らせ.x, rows.資格情報のお知らせ.y);
    const ticked = await page.evaluate(() => [...document.querySelectorAll('input[name="提示書類"]:checked')].map((c) => c.value));
    assert.deepEqual(ticked, ['マイナ保険証', '資格情報のお知らせ']);
    assert.equal((await answer(page)).verdict, 'ok');
    await page.screenshot({ path: path.join(shots, `front-desk-${name}-two-taps.png`) });
    await context.close();
  });

  test(`${name}: English survives a reload, and every string of the page is English`, async () => {
    const { context, page } = await device(viewport);
    await page.locator('#lang').tap();
    assert.equal((await answer(page)).verdictText, WORDS.en.facilityNeeded);
    await setUp(page, '導入済');
    await page.reload();
    await waitReady(page);
    await page.waitForFunction(() => document.body.dataset.offline === 'true', null, { timeout: 20000 });
    await page.locator(doc('マイナ保険証')).tap();
    const a = await answer(page);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.match(a.verdictText, /Eligibility can be confirmed/);
    const footer = await page.textContent('footer');
    assert.match(footer, /works without the network/);
    // No Japanese string of the page's own words is left (the policy's names in parentheses,
    // quotes and 詳細 are the documents' and the policy's own words).
    const body = await page.evaluate(() => {
      const clone = document.body.cloneNode(true);
      for (const e of clone.querySelectorAll('#why, #record, script')) e.remove();
      return clone.innerText;
    });
    for (const [k, v] of Object.entries(WORDS.ja)) {
      if (typeof v === 'string' && v.length > 2) assert.ok(!body.includes(v), `Japanese ${k} «${v}» on the English page`);
    }
    assert.doesNotMatch(body, /ネットワークが切れても使えます|この施設の状況|患者さん|書類を選んで/);
    await page.screenshot({ path: path.join(shots, `front-desk-${name}-en-reload.png`) });
    await context.close();
  });
}

test('should-fix: next steps from the policy, a note under ✔, 災害時モード offline, the edition, a focused field in view', async () => {
  const { context, page } = await device({ width: 390, height: 844 });
  await setUp(page, '未導入');
  await page.locator('[data-input="受診日"] input[type="text"]').fill('令和7年12月2日');
  await page.locator(doc('健康保険証')).tap();
  let a = await answer(page);
  assert.equal(a.verdict, 'ng');
  // Every combination the policy accepts from here, in plain words.
  assert.equal(a.next, '次にすること: 次のどれかを見せてもらってください: 有効期限内の資格確認書、マイナ保険証とマイナポータル画面、マイナ保険証と資格情報のお知らせ。');
  assert.doesNotMatch(a.next, / を|  /);
  await page.locator(doc('健康保険証')).tap();
  await page.locator(doc('資格情報のお知らせ')).tap();
  a = await answer(page);
  assert.equal(a.next, '次にすること: 次のどれかを見せてもらってください: マイナ保険証、有効期限内の資格確認書。');

  // Under a ✔ the next step is only a note.
  await page.locator('#next').tap();
  await page.locator('#facility-change').tap();
  await page.locator(onshi('資格確認限定型')).tap();
  await page.locator('#facility-done').tap();
  await page.locator('[data-input="受診日"] input[type="text"]').fill('令和7年10月1日');
  await page.locator(doc('健康保険証')).tap();
  a = await answer(page);
  assert.equal(a.verdict, 'ok');
  assert.equal(a.nextClass, 'optional');
  assert.match(a.next, /^参考: マイナ保険証を見せてもらえれば、オンライン資格確認もできます。$/);

  // 災害時モード with the network down: the policy's answer and its reason, not 「書類を選んで」.
  await page.locator('#next').tap();
  await page.locator('#facility-change').tap();
  await page.locator(onshi('導入済')).tap();
  await page.locator(flag('災害時モード')).tap();
  await page.locator(flag('ネットワーク障害')).tap();
  await page.locator('#facility-done').tap();
  a = await answer(page);
  assert.equal(a.verdict, 'ng');
  assert.ok(a.reasons.includes(WORDS.ja.disasterNoNetwork), a.reasons.join(' / '));
  assert.match(a.next, /健康保険証|資格確認書/);

  // The edition: its year and digest in the answer and the printed record.
  const digest = Policy.bundledDigest('r7/front_desk');
  assert.equal(a.edition, `政策 令和7年度（版 ${digest.slice(0, 8)}）`);
  assert.match(await page.evaluate(() => document.querySelector('#record').textContent), new RegExp(`適用した政策政策 令和7年度（版 ${digest.slice(0, 8)}）`));
  assert.equal(await page.locator('#edition-new').isVisible(), false);
  // A newer edition than the device used last is said once.
  await page.evaluate((key) => {
    const v = JSON.parse(localStorage.getItem(key));
    localStorage.setItem(key, JSON.stringify({ ...v, edition: 'an older digest' }));
  }, KEY);
  await page.reload();
  await waitReady(page);
  assert.equal(await page.locator('#edition-new').isVisible(), true);
  assert.match(await page.textContent('#edition-new'), /政策が新しい版になりました/);
  await page.reload();
  await waitReady(page);
  assert.equal(await page.locator('#edition-new').isVisible(), false);

  // On a phone, a focused date field is not under the answer bar.
  await page.locator('#facility-change').tap();
  await page.locator(flag('災害時モード')).tap();
  await page.locator(flag('ネットワーク障害')).tap();
  await page.locator('#facility-done').tap();
  await page.locator(doc('資格確認書')).tap();
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.locator('input[type="text"][name="資格確認書有効期限"]').focus();
  const box = await page.evaluate(() => {
    const bar = document.querySelector('#answer').getBoundingClientRect();
    const f = document.querySelector('input[type="text"][name="資格確認書有効期限"]').getBoundingClientRect();
    return { barBottom: bar.bottom, barHeight: bar.height, top: f.top, bottom: f.bottom, height: innerHeight };
  });
  assert.ok(box.top >= box.barBottom && box.bottom <= box.height, `focused field under the bar: ${JSON.stringify(box)}`);
  assert.ok(box.barHeight <= 844 * 0.3, `the bar takes ${box.barHeight} px of 844`);
  // The page scrolls fields out from under the bar by itself too: its height is --answer-h.
  const answerH = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--answer-h').trim());
  assert.equal(answerH, `${Math.ceil(box.barHeight)}px`);
  await context.close();
});
