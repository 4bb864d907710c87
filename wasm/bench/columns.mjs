// `node wasm/bench/columns.mjs` (also run by `cargo xtask bench-wasm`), after `cargo xtask wasm`:
// records/s through `policy.evaluateColumns` on r7/subsidy — 1,000,000 generated records given as
// typed arrays (the columns built beforehand, not timed), from the call to the typed output
// columns — and, on the same records, through `evaluateMany` (JSON facts). Every answer of the
// columnar run is checked equal to evaluateMany's before a time is printed.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { recordsOf, isoDate } from '../tests/columns.mjs';

const require = createRequire(import.meta.url);
const { Policy } = require('../pkg/node');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (n, ms) => `${(n / (ms / 1000) / 1e6).toFixed(2)} M records/s`;

const policy = Policy.bundled('r7/subsidy');
const spec = Object.fromEntries(policy.inputs().map((i) => [i.name, i]));
const variants = (name) => (spec[name].type.kind === 'set' ? spec[name].type.of : spec[name].type).variants;

// A small deterministic generator (xorshift), so every run evaluates the same records.
let seed = 0x2545f491;
const rnd = (n) => {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return (seed >>> 0) % n;
};
const N = Number(process.env.RECORDS ?? 1_000_000);
const kinds = variants('施設種別').length;
const projects = variants('事業').length;
const day0 = Date.UTC(2025, 3, 1) / 86400000; // 2025-04-01
const columns = {
  施設種別: Uint8Array.from({ length: N }, () => rnd(kinds)),
  グループ処方箋受付回数: Int32Array.from({ length: N }, () => rnd(100000)),
  事業: Uint8Array.from({ length: N }, () => rnd(projects)),
  モバイル端末費用: Int32Array.from({ length: N }, () => rnd(2_000_000)),
  レセコン改修費用: Int32Array.from({ length: N }, () => rnd(3_000_000)),
  汎用機器費用: Int32Array.from({ length: N }, () => rnd(1_000_000)),
  申請日: Int32Array.from({ length: N }, () => day0 + rnd(400)),
  補助済事業: Uint8Array.from({ length: N }, () => rnd(1 << projects)),
  義務化対象外: Uint8Array.from({ length: N }, () => rnd(2)),
};

// The same records as JSON facts, for evaluateMany and the check.
const facts = (i) => ({
  施設種別: variants('施設種別')[columns.施設種別[i]],
  グループ処方箋受付回数: columns.グループ処方箋受付回数[i],
  事業: variants('事業')[columns.事業[i]],
  モバイル端末費用: columns.モバイル端末費用[i],
  レセコン改修費用: columns.レセコン改修費用[i],
  汎用機器費用: columns.汎用機器費用[i],
  申請日: isoDate(columns.申請日[i]),
  補助済事業: variants('補助済事業').filter((_, k) => columns.補助済事業[i] & (1 << k)),
  義務化対象外: columns.義務化対象外[i] === 1,
});

policy.evaluateColumns(columns); // warm up
const times = [];
const cpu = [];
let result;
for (let r = 0; r < 5; r++) {
  const s = performance.now();
  const c0 = process.cpuUsage();
  result = policy.evaluateColumns(columns);
  const c = process.cpuUsage(c0);
  times.push(performance.now() - s);
  cpu.push((c.user + c.system) / 1000);
}
const records = Array.from({ length: N }, (_, i) => facts(i));
const s = performance.now();
const many = policy.evaluateMany(records);
const manyMs = performance.now() - s;
const got = recordsOf(result);
for (let i = 0; i < N; i++) {
  if (JSON.stringify(got[i]) !== JSON.stringify(many[i])) {
    throw new Error(`record ${i}: columns ${JSON.stringify(got[i])}, evaluateMany ${JSON.stringify(many[i])}`);
  }
}
const failed = result.errors.length;
console.log(`evaluateColumns r7/subsidy: ${rate(N, median(times))} (${N} generated records as typed arrays, median of 5: ${median(times).toFixed(0)} ms; ${failed} records with an error; every answer equal to evaluateMany's)`);
// On a loaded machine the wall time includes waiting for a core: the process's CPU time per call
// (user + system, all its threads) is what the call costs.
console.log(`evaluateColumns CPU time: median ${median(cpu).toFixed(0)} ms per call (${rate(N, median(cpu))} of CPU time)`);
console.log(`evaluateMany    r7/subsidy: ${rate(N, manyMs)} on the same records (array of facts objects, one run)`);
const target = 2e6;
const achieved = N / (median(times) / 1000);
console.log(`target ≥ 2 M records/s in Node: ${achieved >= target ? 'met' : 'missed'}`);
