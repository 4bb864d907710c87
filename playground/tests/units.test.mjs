// Unit tests of the playground's own logic, in Node: the onshi highlighter (run over every shipped
// policy), dates and values as people read them, and the share-link codec.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StringStream } from '@codemirror/language';
import { createRequire } from 'node:module';
import { onshiParser, DECLARATION_KEYWORDS, CONTROL_KEYWORDS, BOOL_KEYWORDS, BUILTINS, setBuiltins } from '../src/onshi-lang.js';
import { ERAS, FIRST_YEAR, LAST_YEAR, parseDate, toWareki } from '../shared/dates.js';
import { formatValue, citeText, jsonEqual, operationOf } from '../src/format.js';
import { encodeState, decodeState, toBase64Url, fromBase64Url } from '../src/share.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The built-in functions, as the page gets them: the interpreter's table, from the WASM package.
const onshi = createRequire(import.meta.url)('../../wasm/pkg/node');
setBuiltins(onshi.builtins());

/** The tokens of some lines: `[text, type]`, whitespace left out. */
function tokenize(text) {
  const state = onshiParser.startState();
  const out = [];
  for (const line of text.split('\n')) {
    const stream = new StringStream(line, 4, 2);
    while (!stream.eol()) {
      const type = onshiParser.token(stream, state);
      const piece = stream.current();
      assert.ok(stream.pos > stream.start, `no progress at ${JSON.stringify(line.slice(stream.start))}`);
      if (type !== null || piece.trim() !== '') out.push([piece, type]);
      stream.start = stream.pos;
    }
  }
  return out;
}

test('declarations, names, types and literals', () => {
  assert.deepEqual(tokenize('政策 "令和7年度 地域診療情報連携推進費補助金"'), [
    ['政策', 'declaration'],
    ['"令和7年度 地域診療情報連携推進費補助金"', 'string'],
  ]);
  assert.deepEqual(tokenize('年度 令和7年度'), [
    ['年度', 'declaration'],
    ['令和7年度', 'date'],
  ]);
  assert.deepEqual(tokenize('入力 モバイル端末費用: 金額 既定 0円'), [
    ['入力', 'declaration'],
    ['モバイル端末費用', 'definition'],
    [':', 'punctuation'],
    ['金額', 'type'],
    ['既定', 'declaration'],
    ['0円', 'money'],
  ]);
  assert.deepEqual(tokenize('出典 周知依頼 = "000.txt" 「題名」'), [
    ['出典', 'declaration'],
    ['周知依頼', 'definition'],
    ['=', 'operator'],
    ['"000.txt"', 'string'],
    ['「題名」', 'string'],
  ]);
  assert.deepEqual(tokenize('  もし 申請可 ならば 最小(補助限度額, 切り捨て(補助率 × 対象事業額, 1000円)) そうでなければ 0円'), [
    ['もし', 'keyword'],
    ['申請可', 'name'],
    ['ならば', 'keyword'],
    ['最小', 'builtin'],
    ['(', 'punctuation'],
    ['補助限度額', 'name'],
    [',', 'punctuation'],
    ['切り捨て', 'builtin'],
    ['(', 'punctuation'],
    ['補助率', 'name'],
    ['×', 'operator'],
    ['対象事業額', 'name'],
    [',', 'punctuation'],
    ['1000円', 'money'],
    [')', 'punctuation'],
    [')', 'punctuation'],
    ['そうでなければ', 'keyword'],
    ['0円', 'money'],
  ]);
  assert.deepEqual(tokenize('申請日 = 令和7年10月1日, 期限 = 2025-12-01, 額 = 41.1万円, 率 = 75%, 期間 = 6か月, 真, 偽'), [
    ['申請日', 'name'],
    ['=', 'operator'],
    ['令和7年10月1日', 'date'],
    [',', 'punctuation'],
    ['期限', 'name'],
    ['=', 'operator'],
    ['2025-12-01', 'date'],
    [',', 'punctuation'],
    ['額', 'name'],
    ['=', 'operator'],
    ['41.1万円', 'money'],
    [',', 'punctuation'],
    ['率', 'name'],
    ['=', 'operator'],
    ['75%', 'number'],
    [',', 'punctuation'],
    ['期間', 'type'],
    ['=', 'operator'],
    ['6か月', 'duration'],
    [',', 'punctuation'],
    ['真', 'bool'],
    [',', 'punctuation'],
    ['偽', 'bool'],
  ]);
  // (a full-width hyphen is not onshi: it is left unstyled)
  assert.deepEqual(tokenize('令和元年5月1日 411,000円 10万1千円 ２０２５－'), [
    ['令和元年5月1日', 'date'],
    ['411,000円', 'money'],
    ['10万1千円', 'money'],
    ['２０２５', 'number'],
    ['－', null],
  ]);
});

test('keywords are whole words: 条件と and かつ丼 are names; English aliases', () => {
  assert.deepEqual(tokenize('a と 条件と かつ丼 かつ b または c でない'), [
    ['a', 'name'],
    ['と', 'keyword'],
    ['条件と', 'name'],
    ['かつ丼', 'name'],
    ['かつ', 'keyword'],
    ['b', 'name'],
    ['または', 'keyword'],
    ['c', 'name'],
    ['でない', 'keyword'],
  ]);
  assert.deepEqual(tokenize('output x: money = if a is present then 1円 else 0円'), [
    ['output', 'declaration'],
    ['x', 'definition'],
    [':', 'punctuation'],
    ['money', 'name'],
    ['=', 'operator'],
    ['if', 'keyword'],
    ['a', 'name'],
    ['is', 'keyword'],
    ['present', 'keyword'],
    ['then', 'keyword'],
    ['1円', 'money'],
    ['else', 'keyword'],
    ['0円', 'money'],
  ]);
  assert.deepEqual(tokenize('x が ある'), [
    ['x', 'name'],
    ['が', 'keyword'],
    ['ある', 'keyword'],
  ]);
});

test('comments (# // ※), rules, tables', () => {
  assert.deepEqual(tokenize('# a\n// b\n※ c'), [
    ['# a', 'comment'],
    ['// b', 'comment'],
    ['※ c', 'comment'],
  ]);
  assert.deepEqual(tokenize('例外 施行前 > 紙レセプト, 施術所: もし 判定日 < 義務化開始日 ならば 施行前'), [
    ['例外', 'declaration'],
    ['施行前', 'definition'],
    ['>', 'operator'],
    ['紙レセプト', 'name'],
    [',', 'punctuation'],
    ['施術所', 'name'],
    [':', 'punctuation'],
    ['もし', 'keyword'],
    ['判定日', 'name'],
    ['<', 'operator'],
    ['義務化開始日', 'name'],
    ['ならば', 'keyword'],
    ['施行前', 'name'],
  ]);
  assert.deepEqual(tokenize('原則: 義務'), [
    ['原則', 'declaration'],
    [':', 'punctuation'],
    ['義務', 'name'],
  ]);
  assert.deepEqual(tokenize('  |------|-----|\n  | {訪問診療等, 外来診療等} | 40000以上 | - | 1/2 |'), [
    ['|------|-----|', 'separator'],
    ['|', 'separator'],
    ['{', 'punctuation'],
    ['訪問診療等', 'name'],
    [',', 'punctuation'],
    ['外来診療等', 'name'],
    ['}', 'punctuation'],
    ['|', 'separator'],
    ['40000以上', 'number'],
    ['|', 'separator'],
    ['-', 'operator'],
    ['|', 'separator'],
    ['1/2', 'number'],
    ['|', 'separator'],
  ]);
});

/** The quoted words of a pest rule `name = _{ … }` (its alternatives). */
function pestRuleWords(pest, name) {
  const m = new RegExp(`^${name}\\s*=\\s*_?\\{([\\s\\S]*?)^\\}`, 'm').exec(pest);
  assert.ok(m, `rule ${name} in onshi.pest`);
  return [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]);
}

test('the keyword list agrees with the grammar, the built-ins are the exported table', () => {
  // grammar/src/onshi.pest: keyword = _{ "原則" | … }
  const grammarKeywords = pestRuleWords(readFileSync(path.join(root, 'grammar/src/onshi.pest'), 'utf8'), 'keyword');
  assert.ok(grammarKeywords.length > 50 && grammarKeywords.includes('外部') && grammarKeywords.includes('external'));
  const ours = [...DECLARATION_KEYWORDS, ...CONTROL_KEYWORDS, ...BOOL_KEYWORDS];
  assert.equal(new Set(ours).size, ours.length, 'a keyword listed twice');
  assert.deepEqual([...ours].sort(), [...new Set(grammarKeywords)].sort());
  // The built-ins: the WASM package's builtins() (the interpreter's one table), every name of which
  // the checker accepts and the highlighter colours.
  const table = onshi.builtins();
  const builtins = table.flatMap((b) => [b.ja, b.en]);
  assert.ok(builtins.includes('満了日') && builtins.includes('period_end'));
  assert.deepEqual([...BUILTINS].sort(), [...builtins].sort());
  for (const name of builtins) {
    assert.deepEqual(tokenize(`${name}(`)[0], [name, 'builtin']);
    const diags = onshi.check({ 'p/x.onshi': `出力 x: 真偽 = ${name}()\n` }, 'p/x.onshi');
    assert.ok(!diags.some((d) => d.code === 'onshi::name::unknown'), `${name} is not the checker's`);
  }
});

test('外部 and 満了日 are coloured', () => {
  assert.deepEqual(tokenize('出典 留意事項 = 外部 "保連発0127第1号" 「題」'), [
    ['出典', 'declaration'],
    ['留意事項', 'definition'],
    ['=', 'operator'],
    ['外部', 'declaration'],
    ['"保連発0127第1号"', 'string'],
    ['「題」', 'string'],
  ]);
  assert.deepEqual(tokenize('定義 終了日: 日付 = 満了日(開始日, 6か月)'), [
    ['定義', 'declaration'],
    ['終了日', 'definition'],
    [':', 'punctuation'],
    ['日付', 'type'],
    ['=', 'operator'],
    ['満了日', 'builtin'],
    ['(', 'punctuation'],
    ['開始日', 'name'],
    [',', 'punctuation'],
    ['6か月', 'duration'],
    [')', 'punctuation'],
  ]);
  assert.deepEqual(tokenize('source n = external "x"\ndefine d: date = period_end(s, 6か月)').map(([w, k]) => `${w}:${k}`), [
    'source:declaration', 'n:definition', '=:operator', 'external:declaration', '"x":string',
    'define:declaration', 'd:definition', '::punctuation', 'date:name', '=:operator', 'period_end:builtin', '(:punctuation',
    's:name', ',:punctuation', '6か月:duration', '):punctuation',
  ]);
});

function policyFiles(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? policyFiles(p) : n.endsWith('.onshi') ? [p] : [];
  });
}

test('every shipped policy: every character is part of a token the highlighter knows', () => {
  const files = policyFiles(path.join(root, 'policies'));
  assert.ok(files.length >= 9);
  for (const file of files) {
    const tokens = tokenize(readFileSync(file, 'utf8'));
    const unknown = tokens.filter(([, type]) => type === null);
    assert.deepEqual(unknown, [], file);
    assert.ok(tokens.some(([, type]) => type === 'declaration'), file);
  }
});

test('dates: 和暦 and ISO for the date picker, 和暦 for display', () => {
  assert.equal(parseDate('令和7年10月1日'), '2025-10-01');
  assert.equal(parseDate('令和元年5月1日'), '2019-05-01');
  assert.equal(parseDate('平成31年4月30日'), '2019-04-30');
  assert.equal(parseDate('２０２５年１０月１日'), '2025-10-01');
  assert.equal(parseDate('2025/10/1'), '2025-10-01');
  assert.equal(parseDate(' 2025-10-01 '), '2025-10-01');
  assert.equal(parseDate('来週'), null);
  assert.equal(toWareki('2025-10-01'), '令和7年10月1日');
  assert.equal(toWareki('2019-05-01'), '令和元年5月1日');
  assert.equal(toWareki('2019-04-30'), '平成31年4月30日');
  assert.equal(toWareki('1989-01-07'), '昭和64年1月7日');
  // The eras before 昭和 too, both ways (the engine has them from 明治).
  assert.equal(parseDate('大正15年12月24日'), '1926-12-24');
  assert.equal(parseDate('明治45年7月29日'), '1912-07-29');
  assert.equal(toWareki('1912-07-30'), '大正元年7月30日');
  // 明治5年 and earlier used the lunisolar calendar: the engine reads dates from 明治6年1月1日.
  assert.equal(toWareki('1873-01-01'), '明治6年1月1日');
  assert.equal(parseDate('明治6年1月1日'), '1873-01-01');
  assert.equal(toWareki('1872-12-31'), null);
  assert.equal(parseDate('明治5年12月2日'), null);
  assert.equal(parseDate('1868-10-23'), null);
  assert.equal(parseDate('0001-01-01'), null);
});

test('the pages read a date as the engine does: shared/dates.js against grammar/src/literal.rs', () => {
  // The pages send the engine the ISO date parseDate gives; a date field must never show a date
  // the engine would read differently, nor refuse one the engine reads.
  const p = onshi.Policy.compile({ 'p/r7/t.onshi': '入力 d: 日付\n出力 o: 日付 = d\n' }, 'p/r7/t.onshi');
  const engine = (text) => {
    try {
      return p.evaluate({ d: text }).outputs.o;
    } catch (e) {
      assert.ok(e.diagnostics, String(e));
      return null;
    }
  };
  const texts = ['令和7年2月30日', '2025-02-29', '2024-02-29', '来週', '', '20251001', '2025-10-01T00:00',
    '令和7年12月1', '令和 7年 10月 1日', '２０２５年１０月１日', '令和７年１０月１日', 'R07.12.01', '10000-01-01',
    '0001-01-01', '1872-12-31', '1873-01-01', '9999-12-31', '明治元年10月23日', 'H0.1.1', '令和0年5月1日'];
  const day = 24 * 60 * 60 * 1000;
  const isoOf = (t) => new Date(t).toISOString().slice(0, 10);
  // Each era's first day and the day before, and every 37th day from 1872 to 2100, in the forms
  // people type: ISO, slashes, 和暦, and the era's letter.
  const days = ERAS.flatMap((e) => {
    const t = Date.UTC(e.year, e.month - 1, e.day);
    return [t - day, t, t + day];
  });
  for (let t = Date.UTC(1872, 5, 1); t <= Date.UTC(2100, 11, 31); t += 37 * day) days.push(t);
  for (const t of days) {
    const iso = isoOf(t);
    const [y, m, d] = iso.split('-').map(Number);
    texts.push(iso, `${y}/${m}/${d}`, `${y}年${m}月${d}日`);
    for (const e of ERAS) {
      const n = y - e.year + 1;
      if (n >= 1 && n <= 65) texts.push(`${e.name}${n}年${m}月${d}日`, `${e.letter}${n}.${m}.${d}`);
    }
  }
  let read = 0;
  for (const text of texts) {
    const js = parseDate(text);
    const rust = engine(text);
    if (rust !== null) {
      assert.equal(js, rust, `the engine reads ${JSON.stringify(text)} as ${rust}`);
      read += 1;
    }
    if (js !== null) assert.equal(engine(js), js, `parseDate(${JSON.stringify(text)}) = ${js}`);
    if (js !== null && toWareki(js) !== null) assert.equal(engine(toWareki(js)), js, `toWareki(${js})`);
  }
  assert.ok(read > 3000, `only ${read} of ${texts.length} texts read by the engine`);
});

test('the era table is the engine\'s (Era::info in grammar/src/literal.rs)', () => {
  const rust = readFileSync(path.join(root, 'grammar/src/literal.rs'), 'utf8');
  const engine = [...rust.matchAll(/Era::\w+ => \("([^"]+)", (\d+), (\d+), (\d+)\)/g)].map((m) => ({
    name: m[1],
    year: Number(m[2]),
    month: Number(m[3]),
    day: Number(m[4]),
  }));
  assert.equal(engine.length, 5, 'the eras in grammar/src/literal.rs');
  assert.match(rust, new RegExp(`const FIRST_YEAR: i32 = ${FIRST_YEAR};`));
  assert.match(rust, new RegExp(`const LAST_YEAR: i32 = ${LAST_YEAR};`));
  const js = ERAS.map(({ name, year, month, day }) => ({ name, year, month, day }));
  assert.deepEqual(js, engine.reverse());
});

test('values as people read them', () => {
  assert.equal(formatValue(411000, { kind: 'money' }), '411,000円');
  assert.equal(formatValue('2026-01-15', { kind: 'date' }), '2026-01-15 (令和8年1月15日)');
  assert.equal(formatValue(true, { kind: 'bool' }), '真');
  assert.equal(formatValue(['a', 'b'], { kind: 'set' }), '{a, b}');
  assert.equal(formatValue(null, { kind: 'optional', of: { kind: 'date' } }), '未設定');
  assert.equal(formatValue({ 率: '1/2', 額: 1000 }, { kind: 'row', columns: [{ name: '率', type: { kind: 'ratio' } }, { name: '額', type: { kind: 'money' } }] }), '(率: 1/2, 額: 1,000円)');
  assert.equal(citeText({ source: '周知依頼', document: '000.txt', title: '題', locator: '別添1' }), '周知依頼（000.txt「題」） 別添1');
  // The place without the passages quoted (shown apart as the source's words).
  const cite = { source: '周知依頼', document: '000.txt', title: null, external: false, locator: '別添4 スライド10「のみ」', place: '別添4 スライド10', passages: ['のみ'] };
  assert.equal(citeText(cite), '周知依頼（000.txt） 別添4 スライド10');
  assert.equal(citeText({ ...cite, locator: '「のみ」', place: null }), '周知依頼（000.txt）');
  assert.ok(jsonEqual({ a: [1, { b: null }] }, { a: [1, { b: null }] }));
  assert.ok(!jsonEqual({ a: 1 }, { a: 1, b: 2 }));
  assert.ok(!jsonEqual([1], { 0: 1 }));
});

test('share links: the state round-trips through deflate-raw and base64url', async () => {
  const bytes = new Uint8Array([0, 1, 250, 251, 252, 253, 254, 255]);
  assert.deepEqual(fromBase64Url(toBase64Url(bytes)), bytes);
  assert.match(toBase64Url(bytes), /^[A-Za-z0-9_-]+$/);
  const policy = readFileSync(path.join(root, 'policies/r7/subsidy.onshi'), 'utf8');
  const state = { v: 1, entry: 'policies/r7/subsidy.onshi', files: { 'policies/r7/subsidy.onshi': policy }, facts: { 申請日: '令和7年10月1日' } };
  const hash = await encodeState(state);
  assert.match(hash, /^#s=[A-Za-z0-9_-]+$/);
  assert.ok(hash.length < policy.length, `compressed: ${hash.length} characters for ${policy.length}`);
  assert.deepEqual(await decodeState(hash), state);
  assert.equal(await decodeState('#other'), null);
  await assert.rejects(decodeState('#s=AAAA'));
});

test('the operation of an explanation node: the expression written at its declaration', () => {
  const text = [
    '# 補助額',
    '出力 補助額: 金額 =',
    '  もし 申請可 ならば 最小(補助限度額, 切り捨て(補助率 × 対象事業額, 1000円)) # 千円未満切り捨て',
    '  そうでなければ 0円',
    '  出典 周知依頼 "別添1「…」"',
    '定義 内容 = 補助内容(事業, 補助区分)  // 表を引く',
    '出力 確認方法: 確認方法',
    '  原則 確認できない: 確認不可',
    '  定義 名前: 文字列 = "a#b" ※ 注記',
  ].join('\n');
  assert.equal(operationOf(text, { line: 2, column: 1 }), 'もし 申請可 ならば 最小(補助限度額, 切り捨て(補助率 × 対象事業額, 1000円)) そうでなければ 0円');
  assert.equal(operationOf(text, { line: 6, column: 1 }), '補助内容(事業, 補助区分)');
  assert.equal(operationOf(text, { line: 7, column: 1 }), null);
  assert.equal(operationOf(text, { line: 9, column: 3 }), '"a#b"');
  assert.equal(operationOf(text, { line: 99, column: 1 }), null);
  assert.equal(operationOf(undefined, { line: 1, column: 1 }), null);
});
