// policy.evaluateColumns(columns): for every bundled policy, its examples and the examples with
// fields left out or set to odd values (as columns can hold them: no unknown keys, no explicit
// null), over more than one chunk, give record by record what evaluateMany gives the same records
// as JSON facts — outputs, and each failing record's diagnostic — with typed columns and with plain
// arrays; bad columns throw a TypeError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { columnsOf, recordsOf, days } from './columns.mjs';
import { ODD, variations } from './records.mjs';

const require = createRequire(import.meta.url);
const { Policy } = require('../pkg/node');

/** The examples, each with every field left out and (with `odd`) set to each odd value but
 * `null` (a column has no explicit null), repeated past one chunk (4,096 records). */
function records(policy, odd) {
  const out = variations(policy, { odd: odd ? ODD.filter((v) => v !== null) : [] });
  return Array.from({ length: 5000 }, (_, i) => out[i % out.length]);
}

for (const name of Policy.bundledNames()) {
  test(`${name}: evaluateColumns equals evaluateMany, record by record`, () => {
    const policy = Policy.bundled(name);
    // With odd values most columns are plain arrays; without them, every column that can be
    // typed is (the typed readers against the JSON facts reader).
    for (const [odd, typed] of [[true, false], [true, true], [false, true]]) {
      const recs = records(policy, odd);
      const want = policy.evaluateMany(recs);
      const columns = columnsOf(policy, recs, typed);
      if (!odd) {
        const plain = policy.inputs().filter((i) => Array.isArray(columns[i.name]) && ['bool', 'int', 'money', 'date', 'enum', 'set'].includes(i.kind));
        assert.deepEqual(plain.map((i) => i.name), [], 'inputs left as plain arrays');
      }
      const result = policy.evaluateColumns(columns);
      assert.equal(result.length, recs.length);
      const got = recordsOf(result);
      for (let i = 0; i < recs.length; i++) {
        if (got[i].error?.code === 'onshi::wasm::not_whole_yen') {
          // The amount is not whole yen: evaluateMany gives it as a fraction.
          assert.ok(Object.values(want[i].outputs).some((v) => (typeof v === 'number' && !Number.isInteger(v)) || (typeof v === 'string' && v.includes('/'))), `record ${i}`);
          continue;
        }
        assert.deepEqual(got[i], want[i], `odd ${odd}, typed ${typed}, record ${i}: ${JSON.stringify(recs[i])}`);
      }
      const failed = got.filter((r) => r.error).length;
      assert.ok(failed < recs.length, `${failed} of ${recs.length} failed`);
      if (odd) assert.ok(failed > 0, 'no record failed');
    }
  });
}

test('r7/subsidy: typed columns built directly, outputs typed', () => {
  const policy = Policy.bundled('r7/subsidy');
  const n = 3;
  const result = policy.evaluateColumns({
    施設種別: Uint8Array.of(0, 1, 9), // 病院, 診療所, no such variant
    事業: Uint8Array.of(0, 0, 0),
    モバイル端末費用: new BigInt64Array([1000000n, 500000n, 0n]),
    申請日: Int32Array.of(days('2025-12-01'), days('2025-12-01'), days('2025-12-01')),
  });
  assert.equal(result.length, n);
  assert.deepEqual([...result.ok], [1, 1, 0]);
  assert.equal(result.errors.length, 1);
  assert.equal(result.errors[0].row, 2);
  assert.equal(result.errors[0].error.code, 'onshi::facts::variant');
  assert.equal(result.errors[0].error.path, '$.施設種別');
  assert.equal(result.outputs.補助額.kind, 'int');
  assert.ok(result.outputs.補助額.values instanceof BigInt64Array);
  assert.equal(result.outputs.申請可.kind, 'bool');
  assert.equal(result.outputs.申請期限.kind, 'date');
  assert.equal(result.outputs.補助区分.kind, 'dictionary');
  const want = policy.evaluateMany([
    { 施設種別: '病院', 事業: '訪問診療等', モバイル端末費用: 1000000, 申請日: '2025-12-01' },
    { 施設種別: '診療所', 事業: '訪問診療等', モバイル端末費用: 500000, 申請日: '2025-12-01' },
  ]);
  assert.deepEqual(recordsOf(result).slice(0, 2), want);
});

test('bad columns throw a TypeError', () => {
  const policy = Policy.bundled('r7/subsidy');
  const ok = { 施設種別: ['病院'], 事業: ['訪問診療等'], 申請日: ['2025-12-01'] };
  assert.equal(policy.evaluateColumns(ok).length, 1);
  for (const bad of [
    { ...ok, 施設種別s: ['病院'] }, // not an input
    { ...ok, モバイル端末費用: Float64Array.of(1000) }, // no floats
    { ...ok, 事業: ['訪問診療等', '訪問診療等'] }, // another length
    { ...ok, 申請日: { values: ['2025-12-01'], present: [1] } }, // present not a Uint8Array
    { ...ok, 申請日: 'x' },
  ]) {
    assert.throws(() => policy.evaluateColumns(bad), TypeError, JSON.stringify(Object.keys(bad)));
  }
  assert.throws(() => policy.evaluateColumns(1), TypeError);
  assert.equal(policy.evaluateColumns({}).length, 0);
  // No column at all, a length given: every required input is missing.
  const r = policy.evaluateColumns({}, 2);
  assert.deepEqual([...r.ok], [0, 0]);
  assert.equal(r.errors[1].error.code, 'onshi::facts::missing');
});

test('割合 and 小数 outputs: one dictionary entry per value, however the fraction was reached', () => {
  const src =
    '入力 x: 整数\n入力 y: 整数 既定 1\n' +
    '出力 率: 割合 = x ÷ y\n' +
    '出力 小: 小数 = 0.5 * x\n' +
    '出力 日: 日付 = 営業日後(令和7年4月1日, x)\n';
  const policy = Policy.compile({ 'p.onshi': src }, 'p.onshi');
  // 1/2 as 1÷2, 2÷4 and 3÷6; 2/3; a zero divisor (an evaluation error for that record only).
  const x = Int32Array.of(1, 2, 3, 2, 5, -3);
  const y = Int32Array.of(2, 4, 6, 3, 0, 6);
  const result = policy.evaluateColumns({ x, y });
  const recs = Array.from(x, (xi, i) => ({ x: xi, y: y[i] }));
  assert.deepEqual(recordsOf(result), policy.evaluateMany(recs));
  assert.deepEqual([...result.ok], [1, 1, 1, 1, 0, 1]);
  const rate = result.outputs.率;
  assert.equal(rate.kind, 'dictionary');
  assert.deepEqual(rate.dictionary, ['1/2', '2/3', '-1/2']);
  assert.deepEqual([...rate.indices], [0, 0, 0, 1, 0, 2]);
  assert.equal(result.outputs.小.kind, 'dictionary');
  assert.equal(result.outputs.日.kind, 'date');
  // 2025-04-01 is a Tuesday: 1, 2, 3 business days on are the 2nd, 3rd, 4th; 3 back the 27th.
  const dates = ['2025-04-02', '2025-04-03', '2025-04-04', '2025-04-03', null, '2025-03-27'];
  dates.forEach((d, i) => d && assert.equal(result.outputs.日.values[i], days(d), `record ${i}`));
});
