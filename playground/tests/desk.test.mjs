// Unit tests of the front-desk page's own logic, in Node: dates typed as 和暦 or ISO, the reasons
// for a refusal (from a hand-written "why not" tree, and from the policy's real answers through the
// WASM package), and the next step in words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { bothWays, parseDate, showDate, toWareki } from '../shared/dates.js';
import { addDays, leavesFromBecause, missingInputs, nextStep, reasons, whatElse } from '../desk/reasons.js';
import { KEY, load, save } from '../desk/store.js';
import { whyComparisons } from '../shared/why.js';

const require = createRequire(import.meta.url);
const { Policy } = require('../../wasm/pkg/node');
const policy = Policy.bundled('r7/front_desk');
const evaluate = (facts) => policy.evaluate(facts, { explain: true });

test('dates as typed: 和暦, R7.12.1, ISO, slashes, full width; half-typed and impossible ones are null', () => {
  for (const text of ['令和7年12月1日', 'R7.12.1', 'r7.12.1', '令7.12.1', 'R7/12/1', '２０２５-１２-０１', '2025/12/1', '2025年12月1日', ' 2025-12-01 ']) {
    assert.equal(parseDate(text), '2025-12-01', text);
  }
  assert.equal(parseDate('令和元年5月1日'), '2019-05-01');
  assert.equal(parseDate('H31.4.30'), '2019-04-30');
  for (const text of ['', '令和7', '令和7年12', '令和7年12月', 'R7.12', '2025-12', '2025-02-30', '令和1年4月30日', 'R0.1.1', 'あした']) {
    assert.equal(parseDate(text), null, text);
  }
  assert.equal(toWareki('2025-12-01'), '令和7年12月1日');
  assert.equal(toWareki('2019-05-01'), '令和元年5月1日');
  assert.equal(showDate('2025-12-01', 'en'), '1 Dec 2025 (R7)');
  assert.equal(bothWays('2025-12-02'), '令和7年12月2日（2025-12-02）');
  assert.equal(bothWays('2025-12-02', 'en'), '2025-12-02 (令和7年12月2日)');
});

test('one date reader for both pages, agreeing with the grammar on every literal it accepts or refuses', () => {
  // The engine's reading of a date literal (`出力 d: 日付 = …`), or null when it refuses it.
  const engine = (lit) => {
    try {
      return Policy.compile({ 'a.onshi': `出力 d: 日付 = ${lit}\n` }, 'a.onshi').evaluate({}).outputs.d;
    } catch {
      return null;
    }
  };
  const literals = [
    '令和7年12月1日', '令和元年5月1日', '令和1年5月1日', '平成31年4月30日', '平成元年1月8日', '昭和64年1月7日', '昭和元年12月25日',
    '大正15年12月24日', '明治45年7月29日', '2025-12-01', '2024-02-29', '２０２５-１２-０１', '令和７年１２月１日',
    // refused by both: before the era began, after it ended, no such day
    '平成31年5月1日', '令和1年4月30日', '昭和64年1月8日', '令和7年2月30日', '2025-02-29', '2025-13-01',
  ];
  for (const lit of literals) assert.equal(parseDate(lit), engine(lit), lit);
  // The page also takes forms the grammar does not (R8.3.1, slashes): each the same day as its literal.
  assert.equal(parseDate('R8.3.1'), engine('令和8年3月1日'));
  assert.equal(parseDate('２０２６/３/１'), engine('2026-03-01'));
});

/** A hand-written "why not" tree in the shape the engine gives (`because` on each rule). */
function withBecause(visit, limit) {
  const cond = (expr, op, operands, because) => ({ expr, holds: false, at: { file: 'f', line: 1, column: 1 }, ...(op ? { op } : {}), ...(operands ? { operands } : {}), ...(because ? { because } : {}) });
  const shown = cond('健康保険証 ∈ 提示書類', '∈', [{ expr: '健康保険証', value: '健康保険証' }, { expr: '提示書類', value: ['健康保険証'] }]);
  const expired = cond('受診日 ≤ 健康保険証の使用期限', '≤', [{ expr: '受診日', value: visit }, { expr: '健康保険証の使用期限', value: limit }]);
  const notShown = cond('資格確認書 ∈ 提示書類', '∈', [{ expr: '資格確認書', value: '資格確認書' }, { expr: '提示書類', value: ['健康保険証'] }]);
  const card = { ...cond('健康保険証が有効'), definition: { name: '健康保険証が有効', sources: [{ source: '周知依頼', place: '別添4 スライド10', passages: ['健康保険証（～2025.12/1）'] }] }, because: [expired] };
  shown.holds = true;
  const cert = { ...cond('資格確認書が有効'), definition: { name: '資格確認書が有効', sources: [] }, because: [notShown] };
  const valid = { ...cond('有効な証'), definition: { name: '有効な証', sources: [] }, because: [card, cert] };
  return {
    outputs: { 確認方法: '確認不可', 資格確認可: false, オンライン資格確認可能: true },
    trace: {
      確認方法: { rules: { applied: [{ kind: 'principle', label: '確認できない' }], not_applied: [{ kind: 'exception', label: '証の目視', because: valid }] } },
      オンライン資格確認可能: { value: true, rules: { applied: [{ label: '導入済の施設' }] } },
    },
  };
}

test('reasons from the why-not tree: the failing comparison about a shown document, not the ones about documents not shown', () => {
  const result = withBecause('2025-12-02', '2025-12-01');
  const leaves = leavesFromBecause(result.trace);
  assert.deepEqual(leaves.map((l) => l.expr), ['受診日 ≤ 健康保険証の使用期限']);
  const facts = { 受診日: '2025-12-02', 提示書類: ['健康保険証'] };
  const r = reasons(result, facts);
  assert.deepEqual(r.map((x) => x.text), ['健康保険証は令和7年12月1日までです（受診日 令和7年12月2日）。']);
  assert.deepEqual(r[0].sources[0].passages, ['健康保険証（～2025.12/1）']);
  assert.deepEqual(reasons(result, facts, 'en').map((x) => x.text), ['The health insurance card was valid until 1 Dec 2025 (R7) (visit 2 Dec 2025 (R7)).']);
  // A failing part that is not a date comparison (`資格確認書有効期限 が ない`) is no reason of its own.
  const absent = { expr: '資格確認書有効期限 が ない', holds: false, operands: [{ expr: '資格確認書有効期限', value: '2026-07-31' }] };
  const past = { expr: '受診日 ≤ 資格確認書有効期限', op: '≤', holds: false, operands: [{ expr: '受診日', value: '2026-08-01' }, { expr: '資格確認書有効期限', value: '2026-07-31' }] };
  const certTree = { outputs: result.outputs, trace: { ...result.trace, 確認方法: { rules: { applied: [], not_applied: [{ label: '証の目視', because: { expr: '有効な証', holds: false, because: [{ expr: '(資格確認書有効期限 が ない または 受診日 ≤ 資格確認書有効期限)', holds: false, because: [absent, past] }] } }] } } } };
  assert.deepEqual(reasons(certTree, { 受診日: '2026-08-01', 提示書類: ['資格確認書'] }).map((x) => x.text), ['資格確認書の有効期限（令和8年7月31日）を過ぎています（受診日 令和8年8月1日）。']);
  // The same tree with the card not shown: no reason about it (the next step asks for documents).
  assert.deepEqual(reasons(result, { 受診日: '2025-12-02', 提示書類: ['資格情報のお知らせ'] }).map((x) => x.text), ['資格情報のお知らせは、マイナ保険証と合わせて見せてもらうものです。']);
});

/** A result as an older module gave it: no `because` on the rules. */
function withoutBecause(result) {
  const copy = structuredClone(result);
  for (const t of Object.values(copy.trace)) for (const r of [...(t.rules?.applied ?? []), ...(t.rules?.not_applied ?? [])]) delete r.because;
  return copy;
}

test('reasons from the policy’s answers, for each refusal at the desk: from "why not", and the same from the trace alone', () => {
  const expired = evaluate({ 受診日: '2025-12-02', オン資: '導入済', 提示書類: ['健康保険証'] });
  assert.deepEqual(leavesFromBecause(expired.trace).map((l) => l.expr), ['受診日 ≤ 健康保険証の使用期限', '受診日 ≤ 健康保険証の使用期限']);
  const why = (facts) => {
    const result = evaluate(facts);
    const texts = reasons(result, facts).map((x) => x.text);
    assert.deepEqual(reasons(withoutBecause(result), facts).map((x) => x.text), texts, 'the trace alone gives the same reasons');
    return texts;
  };
  assert.deepEqual(why({ 受診日: '2025-12-02', オン資: '導入済', 提示書類: ['健康保険証'] }), ['健康保険証は令和7年12月1日までです（受診日 令和7年12月2日）。']);
  assert.deepEqual(why({ 受診日: '2026-08-01', オン資: '未導入', 提示書類: ['資格確認書'], 資格確認書有効期限: '2026-07-31' }), [
    '資格確認書の有効期限（令和8年7月31日）を過ぎています（受診日 令和8年8月1日）。',
  ]);
  assert.deepEqual(why({ 受診日: '2024-12-01', オン資: '未導入', 提示書類: ['資格確認書'], 資格確認書有効期限: null }), ['資格確認書は令和6年12月2日から使えます（受診日 令和6年12月1日）。']);
  assert.deepEqual(why({ 受診日: '2025-10-01', オン資: '未導入', 提示書類: ['マイナ保険証'] }), [
    'この施設はオンライン資格確認を導入していないため、マイナ保険証だけでは確認できません。',
  ]);
  assert.deepEqual(why({ 受診日: '2025-10-01', オン資: '導入済', ネットワーク障害: true, 提示書類: ['マイナ保険証'] }), ['ネットワーク障害のため、マイナ保険証をオンラインで確認できません。']);
  assert.deepEqual(why({ 受診日: '2025-10-01', オン資: '導入済', カードリーダー故障: true, 提示書類: ['マイナ保険証'] }), [
    'カードリーダーが故障していて、モバイル端末もないため、マイナ保険証を読み取れません。',
  ]);
  // Two documents, two reasons; an accepted case has none.
  assert.equal(why({ 受診日: '2025-12-02', オン資: '未導入', 提示書類: ['健康保険証', 'マイナ保険証'] }).length, 2);
  assert.deepEqual(why({ 受診日: '2025-10-01', オン資: '導入済', 提示書類: ['健康保険証'] }), []);
});

test('the next step: every smallest set of documents the policy accepts, in plain words', () => {
  const docs = ['マイナ保険証', '健康保険証', '資格確認書', 'マイナポータル画面', '資格情報のお知らせ'];
  const out = (facts) => {
    try {
      return policy.evaluate(facts).outputs;
    } catch {
      return null;
    }
  };
  const found = (facts) => whatElse(out, facts, docs, out(facts).確認方法);
  const step = (facts, lang = 'ja') => nextStep(found(facts), out(facts).確認方法, lang);
  // An expired 健康保険証 at a facility with オン資: one document is enough, either.
  assert.deepEqual(step({ 受診日: '2025-12-02', オン資: '導入済', 提示書類: ['健康保険証'] }), {
    text: '次のどれかを見せてもらってください: マイナ保険証、有効期限内の資格確認書。',
    optional: false,
  });
  // At 未導入: the 資格確認書, or the マイナ保険証 with either copy (pairs the policy accepts; not
  // {資格確認書, マイナ保険証}, which asks for more than needed).
  const expired = { 受診日: '2025-12-02', オン資: '未導入', 提示書類: ['健康保険証'] };
  assert.deepEqual(found(expired).map(([d]) => d.join('+')), ['資格確認書', 'マイナ保険証+マイナポータル画面', 'マイナ保険証+資格情報のお知らせ']);
  assert.equal(step(expired).text, '次のどれかを見せてもらってください: 有効期限内の資格確認書、マイナ保険証とマイナポータル画面、マイナ保険証と資格情報のお知らせ。');
  assert.equal(
    step(expired, 'en').text,
    'Ask for one of: an eligibility certificate in date; the My Number insurance card and the Mynaportal screen; the My Number insurance card and the eligibility notice.',
  );
  // One item: no 「どれか」.
  assert.deepEqual(step({ 受診日: '2025-12-02', オン資: '未導入', 提示書類: ['資格情報のお知らせ'] }), {
    text: '次のどれかを見せてもらってください: マイナ保険証、有効期限内の資格確認書。',
    optional: false,
  });
  assert.deepEqual(nextStep([[['マイナ保険証'], '目視確認']], '確認不可'), { text: 'マイナ保険証を見せてもらってください。', optional: false });
  assert.deepEqual(nextStep([[['マイナ保険証'], '目視確認']], '確認不可', 'en'), { text: 'Ask for the My Number insurance card.', optional: false });
  const mina = step({ 受診日: '2025-12-02', オン資: '未導入', 提示書類: ['マイナ保険証'] }).text;
  assert.equal(mina, '次のどれかを見せてもらってください: マイナポータル画面、資格情報のお知らせ、有効期限内の資格確認書。');
  assert.deepEqual(step({ 受診日: '2025-10-01', オン資: '導入済', 提示書類: ['マイナ保険証'] }), { text: 'ほかに見せてもらうものはありません。', optional: true });
  assert.equal(step({ 受診日: '2025-12-02', オン資: '未導入', ネットワーク障害: true, 提示書類: [] }).text.includes('どの書類でも'), false);
  // Under a ✔ a better method is only a note.
  assert.deepEqual(step({ 受診日: '2025-10-01', オン資: '導入済', 災害時モード: true, 提示書類: [] }), {
    text: 'マイナ保険証か健康保険証か有効期限内の資格確認書を見せてもらえれば、オンライン資格確認もできます。',
    optional: true,
  });
});

test('missing inputs: an empty 資格確認書 expiry that could turn ✔ into a refusal is asked for', () => {
  const inputs = policy.inputs();
  const out = (facts) => {
    try {
      return policy.evaluate(facts).outputs;
    } catch {
      return null;
    }
  };
  const missing = (facts) => missingInputs(out, inputs, facts, out(facts));
  const cert = { 受診日: '2026-04-01', オン資: '未導入', 提示書類: ['資格確認書'], 資格確認書有効期限: null };
  assert.equal(out(cert).資格確認可, true, 'the policy alone approves it (its note: no expiry, no check)');
  assert.deepEqual(missing(cert), ['資格確認書有効期限']);
  assert.deepEqual(missing({ ...cert, オン資: '導入済' }), ['資格確認書有効期限']);
  // Entered, or not needed (another document establishes it, or nothing is approved): nothing to ask.
  assert.deepEqual(missing({ ...cert, 資格確認書有効期限: '2027-03-31' }), []);
  assert.deepEqual(missing({ ...cert, 提示書類: ['資格確認書', 'マイナ保険証', '資格情報のお知らせ'] }), []);
  assert.deepEqual(missing({ ...cert, 提示書類: ['健康保険証'], 受診日: '2025-10-01' }), []);
  assert.deepEqual(missing({ ...cert, 受診日: '2024-12-01' }), []);
  assert.equal(addDays('2025-03-01', -1), '2025-02-28');
  assert.equal(addDays('2024-12-31', 1), '2025-01-01');
});

test('the device store: the facility checked against the policy, never anything else', () => {
  const inputs = policy.inputs();
  const names = ['オン資', 'カードリーダー故障', 'モバイル端末', 'ネットワーク障害', '災害時モード'];
  const mem = () => {
    const m = new Map();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => m.set(k, String(v)), map: m };
  };
  const s = mem();
  assert.deepEqual(load(inputs, names, s), { facility: null, lang: null, edition: null });
  assert.equal(save({ facility: { オン資: '未導入', カードリーダー故障: true }, lang: 'en', 提示書類: ['x'] }, s), true);
  assert.deepEqual(load(inputs, names, s), { facility: { オン資: '未導入', カードリーダー故障: true }, lang: 'en', edition: null });
  assert.deepEqual(Object.keys(JSON.parse(s.map.get(KEY))), ['facility', 'lang']);
  // A value the policy does not know: the facility is asked for again.
  save({ facility: { オン資: 'たぶん導入済' } }, s);
  assert.equal(load(inputs, names, s).facility, null);
  s.setItem(KEY, '{not json');
  assert.deepEqual(load(inputs, names, s), { facility: null, lang: null, edition: null });
  // No storage at all (a browser that refuses it): nothing kept, nothing thrown.
  const refusing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
  assert.deepEqual(load(inputs, names, refusing), { facility: null, lang: null, edition: null });
  assert.equal(save({ lang: 'en' }, refusing), false);
});

test('a why tree read as its comparisons, each once (both pages: why.js)', () => {
  const cmp = {
    expr: '受診日 ≤ 健康保険証の使用期限',
    holds: false,
    op_holds: '>',
    operands: [
      { expr: '受診日', text: '2025-12-02 (令和7年12月2日)' },
      { expr: '健康保険証の使用期限', constant: true },
    ],
  };
  const tree = { expr: 'a かつ b', holds: false, because: [cmp, { expr: '経過措置', holds: false }, cmp] };
  assert.deepEqual([...whyComparisons(tree)], ['受診日 2025-12-02 (令和7年12月2日) > 健康保険証の使用期限', '経過措置 = 偽']);
  assert.deepEqual([...whyComparisons(tree, ': ')], ['受診日 2025-12-02 (令和7年12月2日) > 健康保険証の使用期限', '経過措置: 偽']);
  assert.deepEqual([...whyComparisons(undefined)], []);
});
