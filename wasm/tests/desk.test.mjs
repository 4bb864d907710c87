// The front-desk module (wasm/pkg/desk: built without default features, optimised for size)
// answers exactly as the full package: every example of r7/front_desk, with explanations, and the
// same facts broken in every field, give the same result or the same diagnostics — also when V8
// runs it with its optimising compiler only (no Liftoff: larger frames on the native stack). It
// bundles only the front-desk policy, checked at build time (no parser, no checker), and has no
// Policy.compile, check, builtins, evaluateMany or evaluateColumns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const require = createRequire(import.meta.url);
const full = require('../pkg/node');
const deskUrl = new URL('../pkg/desk/onshi.js', import.meta.url);
const desk = await import(deskUrl);
desk.initSync({ module: readFileSync(new URL('../pkg/desk/onshi_bg.wasm', import.meta.url)) });

/** `{ ok }` or `{ diagnostics }` of evaluating `facts`. */
function run(policy, facts, explain) {
  try {
    return { ok: policy.evaluate(facts, { explain }) };
  } catch (e) {
    assert.ok(e.diagnostics, String(e));
    return { diagnostics: e.diagnostics };
  }
}

/** The examples of r7/front_desk, and each with every field left out or mistyped. */
function cases(policy) {
  const out = [];
  for (const { facts } of policy.examples()) {
    out.push(facts);
    for (const key of Object.keys(facts)) {
      const { [key]: _, ...without } = facts;
      out.push(without, { ...facts, [key]: 'x' }, { ...facts, [key]: 1 });
    }
  }
  return out;
}

test('the front-desk module answers as the full package', () => {
  const a = desk.Policy.bundled('r7/front_desk');
  const b = full.Policy.bundled('r7/front_desk');
  assert.deepEqual(a.inputs(), b.inputs());
  assert.deepEqual(a.outputs(), b.outputs());
  assert.deepEqual(a.info(), b.info());
  assert.deepEqual(a.examples(), b.examples());
  // Checked at build time: the build fails on errors, and the policy has no warnings to lose.
  assert.deepEqual(b.warnings(), []);
  assert.deepEqual(a.warnings(), []);
  assert.equal(desk.Policy.bundledDigest('r7/front_desk'), full.Policy.bundledDigest('r7/front_desk'));
  for (const [path, text] of Object.entries(desk.Policy.bundledFiles())) {
    assert.equal(text, full.Policy.bundledFiles()[path], path);
  }
  const all = cases(b);
  assert.ok(all.length > 50);
  for (const facts of all) {
    for (const explain of [false, true]) {
      assert.deepEqual(run(a, facts, explain), run(b, facts, explain), JSON.stringify(facts));
    }
  }
});

test('it bundles only the front-desk policy and compiles nothing else', () => {
  assert.deepEqual(desk.Policy.bundledNames(), ['r7/front_desk']);
  assert.deepEqual(Object.keys(desk.Policy.bundledFiles()).sort(), ['policies/common/dates.onshi', 'policies/common/documents.onshi', 'policies/r7/front_desk.onshi']);
  assert.equal(desk.Policy.compile, undefined);
  assert.equal(desk.check, undefined);
  assert.equal(desk.checkCitations, undefined);
  assert.equal(desk.Policy.prototype.evaluateMany, undefined);
  assert.equal(desk.Policy.prototype.evaluateColumns, undefined);
  assert.equal(desk.builtins, undefined);
  assert.throws(() => desk.Policy.bundled('r7/subsidy'), (e) => e.diagnostics[0].code === 'onshi::wasm::unknown_policy');
});

test('the same with the optimising compiler only (no Liftoff)', () => {
  const script = `
    import { readFileSync } from 'node:fs';
    const desk = await import(${JSON.stringify(deskUrl.href)});
    desk.initSync({ module: readFileSync(new URL('onshi_bg.wasm', ${JSON.stringify(deskUrl.href)})) });
    const p = desk.Policy.bundled('r7/front_desk');
    let n = 0;
    for (let r = 0; r < 20; r++) for (const { facts } of p.examples()) { p.evaluate(facts, { explain: true }); n++; }
    console.log(n);
  `;
  const r = spawnSync(process.execPath, ['--no-liftoff', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(Number(r.stdout) > 100, r.stdout);
});
