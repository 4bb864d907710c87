// `cargo xtask bench-wasm`: the size of the .wasm (raw, gzipped; the full module and the front-desk
// module) and how long the package takes to load, to compile every bundled policy, and to evaluate
// (one record per call, many at once with evaluateMany, and as typed columns with evaluateColumns:
// columns.mjs). Run after `cargo xtask wasm`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const wasmPath = new URL('../pkg/web/onshi_bg.wasm', import.meta.url);
const bytes = readFileSync(wasmPath);
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const ms = (n) => `${n.toFixed(2)} ms`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const gz = gzipSync(bytes, { level: 9 }).length;
const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const glue = readFileSync(new URL('../pkg/web/onshi.js', import.meta.url)).length;
console.log('onshi WASM package');
console.log(`  onshi_bg.wasm     ${bytes.length} bytes (${kb(bytes.length)}) raw, ${gz} bytes (${kb(gz)}) gzip -9, ${br} bytes (${kb(br)}) brotli`);
console.log(`  web/onshi.js      ${glue} bytes (JS glue)`);
const desk = readFileSync(new URL('../pkg/desk/onshi_bg.wasm', import.meta.url));
const deskGz = gzipSync(desk, { level: 9 }).length;
const deskBr = brotliCompressSync(desk, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
console.log(`  desk/onshi_bg.wasm ${desk.length} bytes (${kb(desk.length)}) raw, ${deskGz} bytes (${kb(deskGz)}) gzip -9, ${deskBr} bytes (${kb(deskBr)}) brotli (the front-desk module)`);

let t = performance.now();
const { Policy } = require('../pkg/node');
console.log(`  load (require, compile + instantiate the module): ${ms(performance.now() - t)}`);

const names = Policy.bundledNames();
const rounds = 30;
const perRound = [];
const perPolicy = Object.fromEntries(names.map((n) => [n, []]));
for (let r = 0; r < rounds; r++) {
  const start = performance.now();
  for (const n of names) {
    const s = performance.now();
    Policy.bundled(n).free();
    perPolicy[n].push(performance.now() - s);
  }
  perRound.push(performance.now() - start);
}
console.log(`compile all ${names.length} bundled policies (parse + check, with imports):`);
console.log(`  first ${ms(perRound[0])}, median of ${rounds} rounds ${ms(median(perRound))}`);
for (const n of names) console.log(`    ${n.padEnd(18)} ${ms(median(perPolicy[n]))}`);

const fd = Policy.bundled('r7/front_desk');
const cases = fd.examples().map((e) => e.facts);
for (const explain of [false, true]) {
  const times = [];
  for (let i = 0; i < 2000; i++) {
    const facts = cases[i % cases.length];
    const s = performance.now();
    fd.evaluate(facts, { explain });
    times.push(performance.now() - s);
  }
  console.log(`evaluate r7/front_desk ${explain ? 'with explain   ' : '(no explain)   '} median ${ms(median(times))} (2000 runs over its ${cases.length} examples)`);
}

// The subsidy, as a front-desk or analyst page would call it: records per second through
// `evaluate` (JSON facts in, JSON outputs out), one call per record.
const sub = Policy.bundled('r7/subsidy');
const subCases = sub.examples().map((e) => e.facts);
for (let i = 0; i < 2000; i++) sub.evaluate(subCases[i % subCases.length]);
const n = 50000;
const s0 = performance.now();
for (let i = 0; i < n; i++) sub.evaluate(subCases[i % subCases.length]);
const took = performance.now() - s0;
console.log(`evaluate r7/subsidy: ${Math.round(n / (took / 1000)).toLocaleString('en')} records/s (${((took * 1000) / n).toFixed(2)} µs per call, ${n} calls over its ${subCases.length} examples)`);

// Population runs: `evaluateMany` on many records at once (evaluated by chunk), records/s from
// the call to the JavaScript results, given an array of facts objects and given its JSON text.
// The records are the policy's examples, cycled; every answer is checked against `evaluate`'s.
for (const name of ['r7/subsidy', 'r7/front_desk']) {
  const policy = Policy.bundled(name);
  const examples = policy.examples().map((e) => e.facts);
  const want = examples.map((f) => JSON.stringify(policy.evaluate(f)));
  const count = 200000;
  const records = Array.from({ length: count }, (_, i) => examples[i % examples.length]);
  const text = JSON.stringify(records);
  for (const [form, input] of [['array', records], ['JSON text', text]]) {
    policy.evaluateMany(input); // warm up
    const times = [];
    let out;
    for (let r = 0; r < 5; r++) {
      const s = performance.now();
      out = policy.evaluateMany(input);
      times.push(performance.now() - s);
    }
    out.forEach((o, i) => {
      if (JSON.stringify(o) !== want[i % want.length]) throw new Error(`${name} record ${i}: ${JSON.stringify(o)}`);
    });
    const t = median(times);
    console.log(`evaluateMany ${name.padEnd(13)} (${form.padEnd(9)}): ${Math.round(count / (t / 1000)).toLocaleString('en')} records/s (${count} records over its ${examples.length} examples, median of 5, answers checked)`);
  }
}

// Population runs from typed arrays: `evaluateColumns` (columns.mjs, also runnable alone).
await import('./columns.mjs');
