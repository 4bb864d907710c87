// policy.evaluateMany(records): for every bundled policy, many records (its examples, and the
// examples with fields left out, mistyped or unknown) give, record by record, exactly what
// policy.evaluate gives — the outputs, or for a record evaluate throws on, the same diagnostic as
// `{ error }` — given as an array and as JSON text; evaluation errors are per record across
// chunks; records that are not an array throw a TypeError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { variations } from './records.mjs';

const require = createRequire(import.meta.url);
const { Policy } = require('../pkg/node');

/** What evaluate gives for one record, in evaluateMany's form. */
function one(policy, facts) {
  try {
    return policy.evaluate(facts);
  } catch (e) {
    assert.ok(e.diagnostics, String(e));
    assert.equal(e.diagnostics.length, 1);
    return { error: e.diagnostics[0] };
  }
}

/** Examples, and each with every field left out, set to each odd value, and an unknown field. */
function records(policy) {
  return [...variations(policy, { unknown: true }), 1, null, []];
}

for (const name of Policy.bundledNames()) {
  test(`${name}: evaluateMany equals evaluate, record by record`, () => {
    const policy = Policy.bundled(name);
    const recs = records(policy);
    const want = recs.map((r) => one(policy, r));
    const fromArray = policy.evaluateMany(recs);
    const fromText = policy.evaluateMany(JSON.stringify(recs));
    assert.equal(fromArray.length, recs.length);
    for (let i = 0; i < recs.length; i++) {
      assert.deepEqual(fromArray[i], want[i], `record ${i}: ${JSON.stringify(recs[i])}`);
      // The same key order as evaluate's (outputs in the policy's order).
      assert.equal(JSON.stringify(fromArray[i]), JSON.stringify(want[i]), `record ${i}`);
    }
    assert.deepEqual(fromText, fromArray);
    const failed = fromArray.filter((r) => r.error).length;
    assert.ok(failed > 0 && failed < recs.length, `${failed} of ${recs.length} failed`);
    assert.ok(fromArray.filter((r) => r.error?.phase === 'facts').length > 0);
  });
}

test('evaluation errors are per record, across chunks', () => {
  const src =
    '入力 x: 整数\n入力 y: 整数 既定 1\n' +
    '表 区分(k: 整数) → 金額\n  | k | 区分 |\n  |---|---|\n  | 1 | 100円 |\n  | 2 | 200円 |\n' +
    '出力 商: 割合 = x ÷ y\n' +
    '出力 額: 金額 = もし x > 2 ならば 0円 そうでなければ 区分(x)\n';
  const policy = Policy.compile({ 'p.onshi': src }, 'p.onshi');
  const recs = Array.from({ length: 5000 }, (_, i) => (i % 97 === 5 ? { x: '三' } : { x: (i % 6) - 2, y: Math.floor(i / 6) % 3 }));
  const got = policy.evaluateMany(recs);
  const want = recs.map((r) => one(policy, r));
  assert.deepEqual(got, want);
  const codes = new Set(got.filter((r) => r.error).map((r) => r.error.code));
  assert.ok(codes.size >= 3, [...codes].join(', '));
  assert.equal(got[9].outputs.額, 100);
});

test('records that are not an array throw a TypeError; an empty array gives none', () => {
  const policy = Policy.bundled('r7/front_desk');
  for (const bad of [{}, 1, undefined, null, '{}', '[1,', 'not json']) {
    assert.throws(() => policy.evaluateMany(bad), TypeError, JSON.stringify(bad));
  }
  assert.deepEqual(policy.evaluateMany([]), []);
  assert.deepEqual(policy.evaluateMany('[]'), []);
});
