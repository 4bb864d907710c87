// Every example (例) of every bundled policy, evaluated through the WASM build and through the
// native CLI (`onshi eval --format json [--explain]`): the results must be identical, and match the
// example's expected outputs. The cases are the policies' own 例 blocks (via `policy.examples()`),
// so there is one list of cases, not two copies.
//
// The native binary is $ONSHI_BIN (set by `cargo xtask test-web`), else target/debug/onshi.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { Policy } = require('../pkg/node'); // plain require(), no set-up

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const onshi = process.env.ONSHI_BIN ?? path.join(root, 'target/debug/onshi');
const env = { ...process.env, ONSHI_LANG: 'ja', NO_COLOR: '1' };

function native(args, input) {
  const r = spawnSync(onshi, args, { cwd: root, input, encoding: 'utf8', env });
  if (r.error) throw r.error;
  return r;
}

/** The native result: `{ ok: json }` or `{ status, stderr }`. */
function evalNative(file, facts, explain) {
  const args = ['eval', file, '--input', '-', '--format', 'json'];
  if (explain) args.push('--explain');
  const r = native(args, JSON.stringify(facts));
  return r.status === 0 ? { ok: JSON.parse(r.stdout) } : { status: r.status, stderr: r.stderr };
}

/** The WASM result: `{ ok: json }` or `{ diagnostics }`. */
function evalWasm(policy, facts, explain) {
  try {
    return { ok: policy.evaluate(facts, { explain }) };
  } catch (e) {
    if (!e.diagnostics) throw e;
    return { diagnostics: e.diagnostics };
  }
}

test('the native onshi binary is there', () => {
  assert.ok(existsSync(onshi), `${onshi} missing: run cargo build -p onshi-cli (or set ONSHI_BIN)`);
});

const names = Policy.bundledNames();

test('the shipped policies are bundled', () => {
  for (const n of ['r7/subsidy', 'r7/front_desk', 'r7/obligation', 'r2/subsidy']) {
    assert.ok(names.includes(n), `${n} in ${names}`);
  }
});

let total = 0;
for (const name of names) {
  const file = `policies/${name}.onshi`;
  const policy = Policy.bundled(name);
  const examples = policy.examples();
  total += examples.length;

  test(`${name}: WASM has the same examples as onshi test`, () => {
    const r = native(['test', file], '');
    const m = /(\d+) passed, (\d+) failed/.exec(r.stdout);
    assert.ok(m, r.stdout + r.stderr);
    assert.equal(examples.length, Number(m[1]) + Number(m[2]));
    assert.ok(examples.length > 0, `${name} has no examples`);
  });

  for (const ex of examples) {
    if (ex.readings) {
      // The WASM package evaluates the adopted readings only; `onshi test` runs this one.
      test(`${name}: 例「${ex.name}」 assumes ${JSON.stringify(ex.readings)}`, { skip: 'another reading' }, () => {});
      continue;
    }
    test(`${name}: 例「${ex.name}」 (${ex.at.file}:${ex.at.line})`, () => {
      for (const explain of [false, true]) {
        const w = evalWasm(policy, ex.facts, explain);
        const n = evalNative(file, ex.facts, explain);
        if (n.ok === undefined) {
          // Both must fail, with the same diagnostic.
          assert.ok(w.diagnostics, `native failed (${n.stderr}) but WASM gave ${JSON.stringify(w.ok)}`);
          assert.ok(n.stderr.includes(w.diagnostics[0].code), n.stderr);
          continue;
        }
        assert.deepEqual(w.ok, n.ok, 'WASM and native results differ');
        assert.equal('trace' in w.ok, explain);
        for (const [k, v] of Object.entries(ex.expect)) {
          assert.deepEqual(w.ok.outputs[k], v, `${k}`);
        }
      }
    });
  }
}

test('every bundled policy has examples to compare', () => {
  assert.ok(total >= names.length, `only ${total} examples`);
});
