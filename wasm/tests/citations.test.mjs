// Citations checked against their documents in WASM: check(files, entry, limits, documents) and
// checkCitations(files, entry, documents, limits) — a quote found, a misquote with the closest
// passage as help, a missing document, an external source counted as such — and the bundled
// policies against the seed documents (../shared/seeds), as `onshi check --sources` does natively.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { Policy, check, checkCitations } = require('../pkg/node');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// A notice as PDF text extraction gives it: broken lines, spaces inside dates, full-width digits.
const notice = `第１条 補助率は２分の１とし、補助限度額は
41.1 万円とする。
第２条 申請期限は令和８年１月 15 日とする。
`;
const common = `出典 通知 = "notice.txt" 「補助金の通知」
出典 留意 = 外部 "保連発0127第1号" 「留意事項」
`;
const policy = (quote) => `政策 "引用のテスト"
取込 "common.onshi"
入力 申請日: 日付
  出典 通知 "第２条「申請期限は令和8年1月15日とする」"
出力 補助率: 割合 = 1/2
  出典 通知 "第１条${quote}"
出力 施術所対象外: 真偽 = 真
  出典 留意 "第3「施術所は対象外」"
`;
const files = (quote) => ({ 'p/common.onshi': common, 'p/t.onshi': policy(quote) });
const documents = { 'notice.txt': notice };

test('a correct quote is verified: check is clean, checkCitations counts it', () => {
  const f = files('「補助率は2分の1とし…41.1万円とする」');
  assert.deepEqual(check(f, 'p/t.onshi', undefined, documents), []);
  const r = checkCitations(f, 'p/t.onshi', documents);
  assert.deepEqual(r.diagnostics, []);
  // Two citations of 通知 verified (blanks, line breaks, widths and `…` fragments), one of the
  // external 留意 not checked.
  assert.deepEqual(r.counts, { verified: 2, external: 1, unquoted: 0, failed: 0 });
  assert.match(r.summary.ja, /照合済み 2 件/);
  assert.match(r.summary.en, /2 verified, 1 external/);
});

test('a misquote: onshi::source::not_found at the quote, the closest passage in its help', () => {
  const f = files('「補助率は3分の1とする」');
  const text = f['p/t.onshi'];
  const diags = check(f, 'p/t.onshi', undefined, documents);
  assert.equal(diags.length, 1, JSON.stringify(diags));
  const [d] = diags;
  assert.equal(d.phase, 'compile');
  assert.equal(d.code, 'onshi::source::not_found');
  assert.equal(d.severity, 'error');
  assert.match(d.message.ja, /補助率は3分の1とする/);
  assert.match(d.message.ja, /通知（notice\.txt）/);
  // The help shows the document's own words closest to the quote.
  assert.match(d.help.ja, /いちばん近い箇所: 「補助率は２分の１と」/);
  assert.match(d.help.en, /closest passage of the document: 「補助率は２分の１と」/);
  const [l] = d.labels;
  assert.equal(l.file, 'p/t.onshi');
  assert.equal(l.line, 6);
  assert.match(text.slice(l.start_utf16, l.end_utf16), /補助率は3分の1とする/);
  assert.equal(Buffer.from(text).subarray(l.start, l.end).toString(), text.slice(l.start_utf16, l.end_utf16));
  // checkCitations: the same diagnostic, the citation counted as failed.
  const r = checkCitations(f, 'p/t.onshi', documents);
  assert.deepEqual(r.diagnostics, diags);
  assert.deepEqual(r.counts, { verified: 1, external: 1, unquoted: 0, failed: 1 });
  // Without documents nothing is checked.
  assert.deepEqual(check(f, 'p/t.onshi'), []);
  assert.deepEqual(check(f, 'p/t.onshi', {}), []);
});

test('fragments out of order are not found either', () => {
  const d = check(files('「41.1万円とする…補助率は2分の1」'), 'p/t.onshi', undefined, documents);
  assert.deepEqual(
    d.map((x) => x.code),
    ['onshi::source::not_found'],
  );
  assert.match(d[0].help.ja, /順に並べて/);
});

test('a missing document: onshi::source::missing_document at the declaration', () => {
  const f = files('「補助率は2分の1とし」');
  const diags = check(f, 'p/t.onshi', undefined, { 'other.txt': notice });
  assert.deepEqual(
    diags.map((d) => d.code),
    ['onshi::source::missing_document'],
  );
  const [d] = diags;
  assert.equal(d.severity, 'error');
  assert.match(d.message.ja, /notice\.txt/);
  assert.equal(d.labels[0].file, 'p/common.onshi');
  assert.equal(d.labels[0].line, 1);
  const r = checkCitations(f, 'p/t.onshi', {});
  assert.deepEqual(r.counts, { verified: 0, external: 1, unquoted: 0, failed: 2 });
});

test('an external source is counted external, never checked, and marked in explanations', () => {
  const f = files('「補助率は2分の1とし」');
  // Only external citations: nothing to check, nothing missing.
  const onlyExternal = { 'e.onshi': `出典 留意 = 外部 "保連発0127第1号"\n出力 x: 真偽 = 真\n  出典 留意 "第3「どこにも書かれていない文」"\n` };
  assert.deepEqual(checkCitations(onlyExternal, 'e.onshi', {}), {
    diagnostics: [],
    counts: { verified: 0, external: 1, unquoted: 0, failed: 0 },
    summary: checkCitations(onlyExternal, 'e.onshi', {}).summary,
  });
  // The explanation's citations: external, place and passages apart from the locator.
  const p = Policy.compile(f, 'p/t.onshi');
  const trace = p.evaluate({ 申請日: '2025-10-01' }, { explain: true }).trace;
  assert.deepEqual(trace.施術所対象外.sources, [
    {
      source: '留意',
      document: '保連発0127第1号',
      title: '留意事項',
      external: true,
      locator: '第3「施術所は対象外」',
      place: '第3',
      passages: ['施術所は対象外'],
    },
  ]);
  const [cite] = trace.補助率.sources;
  assert.equal(cite.external, false);
  assert.equal(cite.place, '第１条');
  assert.deepEqual(cite.passages, ['補助率は2分の1とし']);
  assert.deepEqual(
    p.info().sources.map((s) => [s.name, s.external]),
    [
      ['通知', false],
      ['留意', true],
    ],
  );
});

test('a citation of a document at hand that quotes nothing: onshi::source::unquoted, a warning', () => {
  const diags = check(files(''), 'p/t.onshi', undefined, documents);
  assert.deepEqual(
    diags.map((d) => [d.code, d.severity]),
    [['onshi::source::unquoted', 'warning']],
  );
  assert.deepEqual(checkCitations(files(''), 'p/t.onshi', documents).counts, { verified: 1, external: 1, unquoted: 1, failed: 0 });
});

test('compile errors and citation diagnostics together; bad documents throw a TypeError', () => {
  const f = files('「補助率は3分の1とする」');
  f['p/t.onshi'] += '出力 y: 整数 = 未定義\n';
  assert.deepEqual(
    check(f, 'p/t.onshi', undefined, documents).map((d) => d.code),
    ['onshi::name::unknown', 'onshi::source::not_found'],
  );
  // checkCitations reports the citations only.
  assert.deepEqual(
    checkCitations(f, 'p/t.onshi', documents).diagnostics.map((d) => d.code),
    ['onshi::source::not_found'],
  );
  assert.throws(() => check(f, 'p/t.onshi', undefined, 'notice'), TypeError);
  assert.throws(() => check(f, 'p/t.onshi', undefined, { 'notice.txt': 1 }), /documents\["notice\.txt"\] must be a string/);
  assert.throws(() => checkCitations(f, 'p/t.onshi', null), TypeError);
});

test('the bundled policies against the seed documents: every citation verified or external', () => {
  const seedsDir = path.resolve(root, '../shared/seeds');
  const seeds = Object.fromEntries(readdirSync(seedsDir).map((n) => [n, readFileSync(path.join(seedsDir, n), 'utf8')]));
  assert.equal(Object.keys(seeds).length, 5, 'the five seeds in ../shared/seeds');
  const bundled = Policy.bundledFiles();
  let external = 0;
  for (const name of Policy.bundledNames()) {
    const entry = `policies/${name}.onshi`;
    assert.deepEqual(check(bundled, entry, undefined, seeds).filter((d) => d.severity === 'error'), [], name);
    const r = checkCitations(bundled, entry, seeds);
    assert.deepEqual(r.diagnostics, [], name);
    assert.equal(r.counts.failed, 0, name);
    assert.ok(r.counts.verified > 0, `${name}: ${JSON.stringify(r.counts)}`);
    external += r.counts.external;
  }
  // r7/obligation cites the 留意事項 and 施術所 notices, which are not among the seeds.
  assert.ok(checkCitations(bundled, 'policies/r7/obligation.onshi', seeds).counts.external > 0);
  assert.ok(external > 0);
  // A seed missing: its citations fail with missing_document.
  const { '000_f7c3df111ed24c00.txt': _, ...without000 } = seeds;
  const r = checkCitations(bundled, 'policies/r7/front_desk.onshi', without000);
  assert.ok(r.counts.failed > 0);
  assert.deepEqual([...new Set(r.diagnostics.map((d) => d.code))], ['onshi::source::missing_document']);
});
