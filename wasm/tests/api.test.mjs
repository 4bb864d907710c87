// The package's API contract: Policy.compile / bundled / bundledNames, evaluate (explain, bad facts),
// inputs() / outputs(), check(), and the web build (same module, ES-module glue).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const onshi = require('../pkg/node');
const { Policy, check } = onshi;

const common = `列挙 書類 = 保険証 | 確認書
出典 通知 = "000.txt" 「通知」
`;
const policyText = `政策 "テスト"
取込 "../common/c.onshi"
入力 日: 日付
  出典 通知 "第1条"
入力 提示: 集合<書類> 既定 {}
入力 額: 金額 既定 0円
出力 可: 真偽 = 保険証 ∈ 提示
出力 倍額: 金額 = 額 × 2
`;
const files = { 'p/common/c.onshi': common, 'p/r7/t.onshi': policyText };

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected an exception');
}

test('compile resolves imports inside the files map; evaluate many times', () => {
  const p = Policy.compile(files, 'p/r7/t.onshi');
  assert.deepEqual(p.evaluate({ 日: '令和7年12月1日', 提示: ['保険証'], 額: '1.5万円' }), {
    outputs: { 可: true, 倍額: 30000 },
  });
  for (let i = 0; i < 100; i++) {
    assert.equal(p.evaluate({ 日: '2025-12-01', 額: i }).outputs.倍額, 2 * i);
  }
  assert.deepEqual(p.warnings(), []);
  assert.equal(p.info().name, 'テスト');
});

test('compile errors throw { diagnostics } with codes, both languages, ranges and lines', () => {
  const e = thrown(() => Policy.compile({ 'a.onshi': '出力 x: 整数 =\n  未定義\n' }, 'a.onshi'));
  assert.ok(e instanceof Error);
  const [d] = e.diagnostics;
  assert.equal(d.phase, 'compile');
  assert.equal(d.severity, 'error');
  assert.equal(d.code, 'onshi::name::unknown');
  assert.match(d.message.ja, /未定義/);
  assert.match(d.message.en, /未定義/);
  assert.equal(e.message, d.message.ja);
  const [l] = d.labels;
  assert.equal(l.file, 'a.onshi');
  assert.deepEqual([l.line, l.column, l.end_line, l.end_column], [2, 3, 2, 6]);
  const src = '出力 x: 整数 =\n  未定義\n';
  assert.equal(Buffer.from(src).subarray(l.start, l.end).toString(), '未定義');
  assert.equal(src.slice(l.start_utf16, l.end_utf16), '未定義');
  // A missing import names the path.
  const m = thrown(() => Policy.compile({ 'p/r7/t.onshi': policyText }, 'p/r7/t.onshi'));
  assert.ok(m.diagnostics.some((x) => x.message.ja.includes('p/common/c.onshi') || x.message.en.includes('p/common/c.onshi')));
});

test('check returns diagnostics as data, [] when clean', () => {
  assert.deepEqual(check(files, 'p/r7/t.onshi'), []);
  const diags = check({ 'a.onshi': '出力 x: 整数 = "a"\n' }, 'a.onshi');
  assert.ok(diags.length > 0);
  assert.equal(diags[0].phase, 'compile');
  assert.equal(typeof diags[0].code, 'string');
  assert.ok('ja' in diags[0].message && 'en' in diags[0].message);
  assert.throws(() => check('not an object', 'a.onshi'), TypeError);
  assert.throws(() => check({ 'a.onshi': 3 }, 'a.onshi'), TypeError);
});

test('bad facts throw { diagnostics } naming the field', () => {
  const p = Policy.bundled('r7/front_desk');
  const base = { 受診日: '2025-10-01', オン資: '導入済', 提示書類: ['マイナ保険証'] };
  const cases = [
    [{ ...base, 受診日: '令和7年2月30日' }, '$.受診日', 'onshi::facts::literal'],
    [{ ...base, オン資: '導入' }, '$.オン資', 'onshi::facts::variant'],
    [{ ...base, 提示書類: ['マイナ保険証', '保険証'] }, '$.提示書類[1]', 'onshi::facts::variant'],
    // (はい, ○, 有 and TRUE are truth values, as offices write them: see the facts readers.)
    [{ ...base, カードリーダー故障: '未定' }, '$.カードリーダー故障', 'onshi::facts::type'],
    [{ ...base, 受信日: '2025-10-01' }, '$.受信日', 'onshi::facts::unknown_field'],
    [{ オン資: '導入済', 提示書類: [] }, '$.受診日', 'onshi::facts::missing'],
  ];
  for (const [facts, field, code] of cases) {
    const e = thrown(() => p.evaluate(facts));
    const [d] = e.diagnostics;
    assert.equal(d.phase, 'facts');
    assert.equal(d.path, field);
    assert.equal(d.code, code);
    assert.ok(d.message.ja.includes(field), d.message.ja);
  }
  const typo = thrown(() => p.evaluate({ ...base, 受信日: '2025-10-01' })).diagnostics[0];
  assert.match(typo.help.ja, /受診日/);
  assert.equal(thrown(() => p.evaluate(null)).diagnostics[0].code, 'onshi::facts::json');
});

test('evaluate: trace only with { explain: true }', () => {
  const p = Policy.bundled('r7/front_desk');
  const facts = { 受診日: '2025-10-01', オン資: '未導入', 提示書類: ['マイナ保険証', '資格情報のお知らせ'] };
  const plain = p.evaluate(facts);
  assert.deepEqual(Object.keys(plain), ['outputs']);
  assert.deepEqual(p.evaluate(facts, {}), plain);
  const explained = p.evaluate(facts, { explain: true });
  assert.deepEqual(explained.outputs, plain.outputs);
  const t = explained.trace.確認方法;
  assert.equal(t.kind, 'output');
  assert.equal(t.value, '目視確認');
  assert.equal(t.at.file, 'policies/r7/front_desk.onshi');
  assert.ok(t.rules.applied.length >= 1);
});

test('evaluate explained: why a rule did not apply, down to the values compared', () => {
  const p = Policy.bundled('r7/front_desk');
  const facts = { 受診日: '2025-12-02', オン資: '導入済', 提示書類: ['健康保険証'] };
  const t = p.evaluate(facts, { explain: true }).trace.確認方法;
  assert.equal(t.value, '確認不可');
  const seen = t.rules.not_applied.find((r) => r.label === '証の目視');
  assert.equal(seen.because.expr, '有効な証');
  assert.equal(seen.because.holds, false);
  const all = (w) => [w, ...(w.because ?? []).flatMap(all)];
  const date = all(seen.because).find((w) => w.op === '≤');
  assert.equal(date.op_holds, '>');
  assert.deepEqual(
    date.operands.map((o) => [o.expr, o.value]),
    [['受診日', '2025-12-02'], ['健康保険証の使用期限', '2025-12-01']],
  );
  assert.equal(date.operands[1].text, '2025-12-01 (令和7年12月1日)');
});

test('evaluateRow reads CSV cells as onshi batch does, and answers as evaluate', () => {
  const p = Policy.compile(files, 'p/r7/t.onshi');
  const header = ['日', '提示', '額'];
  assert.deepEqual(p.evaluateRow(header, ['令和7年12月1日', '保険証;確認書', '1.5万円']), {
    outputs: { 可: true, 倍額: 30000 },
  });
  // Empty cells take the default; the same facts through evaluate give the same answer.
  assert.deepEqual(p.evaluateRow(header, ['2025-12-01', '', '']), p.evaluate({ 日: '2025-12-01' }));
  const e = thrown(() => p.evaluateRow(header, ['令和7年2月30日', '', '']));
  assert.equal(e.diagnostics[0].code, 'onshi::facts::literal');
  assert.equal(e.diagnostics[0].path, '$.日');
});

test('inputs() and outputs() describe the front-desk interface', () => {
  const p = Policy.bundled('r7/front_desk');
  const inputs = Object.fromEntries(p.inputs().map((i) => [i.name, i]));
  for (const n of ['受診日', 'オン資', 'カードリーダー故障', 'モバイル端末', 'ネットワーク障害', '提示書類', '資格確認書有効期限', '災害時モード']) {
    assert.ok(inputs[n], n);
  }
  assert.equal(inputs.受診日.type.kind, 'date');
  assert.equal(inputs.受診日.required, true);
  assert.equal(inputs.オン資.type.kind, 'enum');
  assert.deepEqual(inputs.オン資.type.variants, ['導入済', '資格確認限定型', '未導入']);
  assert.equal(inputs.カードリーダー故障.required, false);
  assert.equal(inputs.カードリーダー故障.default, false);
  assert.equal(inputs.提示書類.type.kind, 'set');
  assert.deepEqual(
    [...inputs.提示書類.type.of.variants].sort(),
    ['マイナ保険証', '健康保険証', '資格確認書', 'マイナポータル画面', '資格情報のお知らせ'].sort(),
  );
  assert.deepEqual(inputs.資格確認書有効期限.type, { kind: 'optional', of: { kind: 'date' } });
  assert.equal(inputs.資格確認書有効期限.default, null);
  assert.ok(inputs.資格確認書有効期限.sources.length > 0);
  const outputs = Object.fromEntries(p.outputs().map((o) => [o.name, o]));
  assert.deepEqual(outputs.オンライン資格確認可能.type, { kind: 'bool' });
  assert.deepEqual(outputs.資格確認可.type, { kind: 'bool' });
  assert.equal(outputs.確認方法.type.kind, 'enum');
  assert.deepEqual(outputs.確認方法.type.variants, ['オンライン資格確認', '災害時照会', '目視確認', '確認不可']);
  assert.ok(outputs.確認方法.rules.length > 0);
});

test('bundled: names, import-only files, unknown names', () => {
  const names = Policy.bundledNames();
  assert.ok(!names.includes('common/facility'), 'import-only files are not listed');
  assert.ok(Policy.bundled('common/facility'));
  const e = thrown(() => Policy.bundled('r7/nope'));
  assert.equal(e.diagnostics[0].code, 'onshi::wasm::unknown_policy');
  assert.match(e.diagnostics[0].help.ja, /r7\/subsidy/);
  const files = Policy.bundledFiles();
  assert.ok(files['policies/r7/front_desk.onshi'].includes('出力 確認方法'));
  // The bundled sources compile the same through Policy.compile.
  const again = Policy.compile(files, 'policies/r7/subsidy.onshi');
  const facts = JSON.parse(readFileSync(new URL('../../policies/examples/r7-subsidy-hospital.json', import.meta.url)));
  assert.deepEqual(again.evaluate(facts), Policy.bundled('r7/subsidy').evaluate(facts));
  assert.equal(Policy.bundled('r7/subsidy').evaluate(facts).outputs.補助額, 411000);
});

test('bundledDigest: the SHA-256 of a policy and the files it imports, as build.rs writes it', async () => {
  const { createHash } = await import('node:crypto');
  const files = Policy.bundledFiles();
  // r7/front_desk imports common/documents and common/dates: its files in path order.
  const paths = ['policies/common/dates.onshi', 'policies/common/documents.onshi', 'policies/r7/front_desk.onshi'];
  const h = createHash('sha256');
  for (const p of paths) h.update(p).update('\0').update(files[p]).update('\0');
  assert.equal(Policy.bundledDigest('r7/front_desk'), h.digest('hex'));
  assert.match(Policy.bundledDigest('r7/subsidy'), /^[0-9a-f]{64}$/);
  assert.notEqual(Policy.bundledDigest('r7/subsidy'), Policy.bundledDigest('r7/front_desk'));
  assert.equal(Policy.bundledDigest('r7/nope'), undefined);
});

test('the web build gives the same answers (initSync with the module bytes)', async () => {
  const web = await import('../pkg/web/onshi.js');
  const bytes = readFileSync(new URL('../pkg/web/onshi_bg.wasm', import.meta.url));
  web.initSync({ module: bytes });
  assert.deepEqual(web.Policy.bundledNames(), Policy.bundledNames());
  const facts = { 受診日: '2025-12-02', オン資: '導入済', 提示書類: ['健康保険証'] };
  assert.deepEqual(
    web.Policy.bundled('r7/front_desk').evaluate(facts, { explain: true }),
    Policy.bundled('r7/front_desk').evaluate(facts, { explain: true }),
  );
});

test('builtins() is the table of built-in functions of the interpreter', () => {
  const list = onshi.builtins();
  assert.ok(list.length >= 14);
  const round = list.find((b) => b.ja === '切り捨て');
  assert.deepEqual(round, {
    ja: '切り捨て',
    en: 'round_down',
    signature: '切り捨て(値, 単位) → rounded down to a multiple of 単位',
    doc: 'rounded down to a multiple of 単位',
    example: '切り捨て(123,456円, 1000円) = 123,000円',
  });
  // Every name is accepted by the checker: a call of it is at most a type error, never an unknown name.
  for (const b of list) {
    for (const name of [b.ja, b.en]) {
      const diags = check({ 'p/x.onshi': `出力 x: 真偽 = ${name}()\n` }, 'p/x.onshi');
      assert.ok(!diags.some((d) => d.code === 'onshi::name::unknown'), `${name}: ${JSON.stringify(diags)}`);
    }
  }
});
