// Limits in WASM, the same as natively: every limit of tests/fixtures/limits.json gives its code
// through Policy.compile / check / evaluate AND through the native onshi CLI with the same values
// (`--max-…`), and passes just above; the defaults are exceeded by generated policies with clean
// diagnostics — including nesting and table chains that overflowed the stack before there were
// limits — while the deepest policies the limits accept compile, evaluate and explain, also when V8
// has optimised the module (TurboFan frames are larger), and the module keeps working afterwards.
//
// The native binary is $ONSHI_BIN (set by `cargo xtask test-web`), else target/debug/onshi.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const pkg = require.resolve('../pkg/node');
const { Policy, check, defaultLimits } = require(pkg);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const onshi = process.env.ONSHI_BIN ?? path.join(root, 'target/debug/onshi');
const fixture = JSON.parse(readFileSync(path.join(root, 'tests/fixtures/limits.json'), 'utf8'));
const ENTRY = 'r7/p.onshi';

/** The codes of compiling `files` under `limits` and evaluating `facts`: [] when clean. */
function wasmCodes(files, limits, facts) {
  try {
    const p = Policy.compile(files, ENTRY, limits);
    if (facts) p.evaluate(facts);
    return [];
  } catch (e) {
    if (!e.diagnostics) throw e;
    return e.diagnostics.map((d) => d.code);
  }
}

/** `maxSteps` → `--max-steps 10` */
function flags(limits) {
  return Object.entries(limits ?? {}).flatMap(([k, v]) => [
    `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
    String(v),
  ]);
}

/** `onshi check` (or `onshi eval` with facts) on `files` written to a temporary folder. */
function nativeRun(files, limits, facts) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'onshi-limits-'));
  try {
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      writeFileSync(path.join(dir, p), text);
    }
    // Facts from a file, not standard input: onshi stops before reading them when the policy has
    // errors.
    if (facts) writeFileSync(path.join(dir, 'facts.json'), JSON.stringify(facts));
    const args = facts
      ? ['eval', ENTRY, '--input', 'facts.json', '--format', 'json', ...flags(limits)]
      : ['check', ENTRY, ...flags(limits)];
    const r = spawnSync(onshi, args, {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', ONSHI_LANG: 'en' },
    });
    if (r.error) throw r.error;
    return r;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('defaultLimits() are the documented defaults', () => {
  assert.deepEqual(defaultLimits(), {
    maxSourceBytes: 1048576,
    maxNesting: 64,
    maxDepth: 128,
    maxDefinitions: 2000,
    maxTableRows: 2000,
    maxSteps: 1000000,
  });
  // The same as the CLI's defaults.
  const help = spawnSync(onshi, ['check', '--help'], { encoding: 'utf8' }).stdout;
  for (const [k, v] of Object.entries(defaultLimits())) {
    assert.match(help, new RegExp(`${flags({ [k]: v })[0]} <[A-Z]+>[^\\[]*\\[default: ${v}\\]`), k);
  }
});

for (const c of fixture.cases) {
  test(`${c.name}: ${c.code} in WASM and natively with the same limits`, () => {
    assert.deepEqual(wasmCodes(c.files, c.limits, c.facts), [c.code]);
    assert.deepEqual(wasmCodes(c.files, c.passes, c.facts), []);
    if (!c.code.startsWith('onshi::limit::steps')) {
      assert.deepEqual(check(c.files, ENTRY, c.limits).map((d) => d.code), [c.code]);
      assert.deepEqual(check(c.files, ENTRY, c.passes), []);
    }
    const failing = nativeRun(c.files, c.limits, c.facts);
    assert.equal(failing.status, 1, failing.stderr);
    assert.ok(failing.stderr.includes(c.code), failing.stderr);
    const passing = nativeRun(c.files, c.passes, c.facts);
    assert.equal(passing.status, 0, passing.stderr);
  });
}

// ------------------------------------------------------------------ generated policies

/** `levels` of nesting, alternating brackets and もし. */
function nested(levels) {
  let open = '';
  let close = '';
  for (let i = 0; i < levels; i++) {
    if (i % 2 === 0) {
      open += '(';
      close = ')' + close;
    } else {
      open += 'もし 額 > 0円 ならば ';
      close = ' そうでなければ 0円' + close;
    }
  }
  return `入力 額: 金額\n出力 補助額: 金額 = ${open}額${close}\n`;
}
const chain = (terms) => `入力 額: 金額\n出力 合計: 金額 = ${Array(terms).fill('額').join(' + ')}\n`;
/** Tables T1 … Tn, each looking up the one before in its cell (twice: doubling the steps). */
function tables(n, twice = false) {
  let src = '入力 x: 整数\n';
  for (let i = 1; i <= n; i++) {
    const prev = `T${i - 1}(x)`;
    const cell = i === 1 ? (twice ? 'x + x' : 'x + 1') : twice ? `${prev} + ${prev}` : `${prev} + 1`;
    src += `表 T${i}(k: 整数) → 整数\n  | k | T${i} |\n  |---|---|\n  | - | ${cell} |\n`;
  }
  return src + `出力 y: 整数 = T${n}(x)\n`;
}
function definitions(n) {
  let src = '入力 区分: 整数\n';
  for (let i = 1; i < n; i++) src += `定義 上限${i}: 金額 = ${i} × 1000円\n`;
  return src + '出力 上限: 金額 = 上限1\n';
}
function rows(n) {
  let src = '入力 点数: 整数\n表 加算(点数: 整数) → 金額\n  | 点数 | 加算 |\n  |---|---|\n';
  for (let i = 1; i <= n; i++) src += `  | ${i} | ${i}円 |\n`;
  return src + '出力 加算額: 金額 = 加算(点数)\n';
}
/** A chain of definitions declared in reverse order (each uses the next one down). */
function reverseChain(n) {
  let src = `入力 x: 整数\n出力 y: 整数 = d${n}\n`;
  for (let i = n; i >= 1; i--) src += `定義 d${i} = d${i - 1} + 1\n`;
  return src + '定義 d0: 整数 = x\n';
}
const one = (src) => ({ [ENTRY]: src });

const timings = [];
test('the defaults are exceeded with clean diagnostics, never a crash', (t) => {
  t.after(() => t.diagnostic(timings.join('; ')));
  const filler = '# 埋め草のコメント行です。\n';
  const big = '入力 額: 金額\n出力 補助額: 金額 = 額\n' + filler.repeat(Math.ceil((1 << 20) / Buffer.byteLength(filler)));
  const cases = [
    ['1 MiB', big, { 額: 1 }, 'onshi::syntax::too_large'],
    ['65 levels', nested(65), { 額: 1 }, 'onshi::syntax::too_deep'],
    ['100,000 brackets', `入力 額: 金額\n出力 x: 金額 = ${'('.repeat(1e5)}額${')'.repeat(1e5)}\n`, { 額: 1 }, 'onshi::syntax::too_deep'],
    ['30,000 もし', `入力 額: 金額\n出力 x: 金額 = ${'もし 真 ならば '.repeat(3e4)}額\n`, { 額: 1 }, 'onshi::syntax::too_deep'],
    ['129 terms', chain(129), { 額: 1 }, 'onshi::syntax::too_deep'],
    ['2001 definitions', definitions(2001), { 区分: 1 }, 'onshi::limit::definitions'],
    ['2001 rows', rows(2001), { 点数: 1 }, 'onshi::limit::table_rows'],
    // 2000 tables each looking up the one before overflowed the WASM stack when evaluated.
    ['2000 nested tables', tables(2000), { x: 1 }, 'onshi::limit::depth'],
    ['20 doubling tables', tables(20, true), { x: 1 }, 'onshi::limit::steps'],
    ['60 doubling tables (2^60 steps)', tables(60, true), { x: 0 }, 'onshi::limit::steps'],
  ];
  for (const [name, src, facts, code] of cases) {
    const start = Date.now();
    assert.deepEqual(wasmCodes(one(src), undefined, facts), [code], name);
    timings.push(`${name}: ${Date.now() - start} ms`);
  }
  // …and the module still works.
  const facts = { 受診日: '2025-10-01', オン資: '導入済', 提示書類: ['マイナ保険証'] };
  assert.equal(Policy.bundled('r7/front_desk').evaluate(facts).outputs.資格確認可, true);
});

test('a bundled policy under a small step limit', () => {
  const facts = JSON.parse(readFileSync(path.join(root, 'policies/examples/r7-subsidy-hospital.json'), 'utf8'));
  assert.equal(Policy.bundled('r7/subsidy', {}).evaluate(facts).outputs.補助額, 411000);
  const e = (() => {
    try {
      Policy.bundled('r7/subsidy', { maxSteps: 10 }).evaluate(facts);
    } catch (e) {
      return e;
    }
  })();
  assert.equal(e.diagnostics[0].code, 'onshi::limit::steps');
  assert.equal(e.diagnostics[0].phase, 'eval');
  assert.match(e.diagnostics[0].help.en, /maxSteps/);
});

test('bad limits throw a TypeError naming the field', () => {
  const files = one(chain(2));
  for (const [limits, field] of [
    [{ maxSteps: 0 }, 'maxSteps'],
    [{ maxStep: 10 }, 'maxStep'],
    [{ maxNesting: 129 }, 'maxNesting'],
    [{ maxDepth: 161 }, 'maxDepth'],
    [{ maxTableRows: 2.5 }, ''],
    ['many', ''],
  ]) {
    assert.throws(() => Policy.compile(files, ENTRY, limits), (e) => e instanceof TypeError && e.message.includes(field), JSON.stringify(limits));
    assert.throws(() => check(files, ENTRY, limits), TypeError);
  }
  assert.ok(Policy.compile(files, ENTRY, null));
});

// The deepest policies the limits accept: at the defaults and at the largest values allowed.
const deepest = [
  ['defaults', undefined, 64, 128, 63],
  ['maxima', { maxNesting: 128, maxDepth: 160 }, 128, 160, 79],
];

test('the deepest policies the limits accept compile, evaluate and explain', () => {
  for (const [name, limits, nesting, depth, tableChain] of deepest) {
    const runs = [
      [nested(nesting), { 額: 1 }],
      [chain(depth), { 額: 1 }],
      [tables(tableChain), { x: 1 }],
    ];
    for (const [src, facts] of runs) {
      const p = Policy.compile(one(src), ENTRY, limits);
      assert.ok(p.evaluate(facts, { explain: true }).outputs, name);
    }
    assert.deepEqual(wasmCodes(one(nested(nesting + 1)), limits, { 額: 1 }), ['onshi::syntax::too_deep'], name);
    assert.deepEqual(wasmCodes(one(chain(depth + 1)), limits, { 額: 1 }), ['onshi::syntax::too_deep'], name);
    assert.deepEqual(wasmCodes(one(tables(tableChain + 1)), limits, { x: 1 }), ['onshi::limit::depth'], name);
  }
  // A reverse chain of 1,999 definitions (checking recursed once per definition and overflowed at
  // about 200); its explanation stops at 64 definitions.
  const p = Policy.compile(one(reverseChain(1998)), ENTRY);
  const r = p.evaluate({ x: 1 }, { explain: true });
  assert.equal(r.outputs.y, 1999);
  let node = r.trace.y;
  let depth = 1;
  while (node.uses?.length) {
    node = node.uses[0];
    depth++;
  }
  assert.equal(depth, 65);
  assert.equal(node.truncated, true);
});

test('the same, after V8 has optimised the module (no Liftoff: larger frames)', () => {
  // A child process with only the optimising compiler: its frames take more of the native stack.
  const script = `
    const { Policy } = require(${JSON.stringify(pkg)});
    const sources = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    for (const [limits, files, facts] of sources) {
      Policy.compile(files, 'r7/p.onshi', limits ?? undefined).evaluate(facts, { explain: true });
    }
    console.log('ok');
  `;
  const sources = deepest.flatMap(([, limits, nesting, depth, tableChain]) => [
    [limits ?? null, one(nested(nesting)), { 額: 1 }],
    [limits ?? null, one(chain(depth)), { 額: 1 }],
    [limits ?? null, one(tables(tableChain)), { x: 1 }],
  ]);
  sources.push([null, one(reverseChain(1998)), { x: 1 }]);
  const r = spawnSync(process.execPath, ['--no-liftoff', '-e', script], {
    input: JSON.stringify(sources),
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'ok');
});
