#!/usr/bin/env bash
# The bench command: criterion benchmarks of the interpreter (per record and by chunk), then
# `onshi batch` throughput and peak memory on 1,000,000 generated records (JSONL and CSV, 1 and 2
# jobs), then the WASM package in Node (size, compile, evaluate). Not part of CI.
# The side-by-side with other engines is bench/peers/run.sh (its own workspace).
# Usage: bench/run.sh [records]   (from anywhere; results are printed)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== criterion: parse+check, compile, eval per policy"
cargo bench -p onshi --bench eval -- --warm-up-time 1 --measurement-time 3 2>&1 | grep -E "^(parse|compile|eval)|time:|thrpt:" || true

echo "== onshi batch on $n generated records (policies/r7/subsidy.onshi)"
python3 bench/gen_records.py "$n" "$work/records"
cargo build --release -q -p onshi-cli
# Wall time of the whole process, best of three (the machine may be busy); the outputs of
# --jobs 1 and --jobs 2 must be the same bytes (blocks are written in input order).
for fmt in jsonl csv; do
  for jobs in 1 2; do
    best=""
    for _ in 1 2 3; do
      start=$(date +%s.%N)
      /usr/bin/time -f "%M" -o "$work/mem" target/release/onshi batch policies/r7/subsidy.onshi \
        --input "$work/records.$fmt" --output "$work/out-$jobs.$fmt" --jobs "$jobs" 2>/dev/null || true
      end=$(date +%s.%N)
      took=$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$end")
      if [ -z "$best" ] || python3 -c "import sys; sys.exit(not float(sys.argv[1]) < float(sys.argv[2]))" "$took" "$best"; then
        best="$took"; mem=$(cat "$work/mem")
      fi
    done
    python3 - "$n" "$best" "$mem" "$fmt" "$jobs" <<'PY'
import sys
n, t, mem, fmt, jobs = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
print(f"  {fmt:5} --jobs {jobs}: {n/t:>12,.0f} records/s  ({t:.2f} s, peak {mem/1024:.0f} MiB)")
PY
  done
  if ! cmp -s "$work/out-1.$fmt" "$work/out-2.$fmt"; then
    echo "  $fmt: the outputs of --jobs 1 and --jobs 2 DIFFER"
  fi
done

echo "== WASM in Node (cargo xtask bench-wasm)"
cargo xtask bench-wasm
