#!/usr/bin/env bash
# The peers benchmark (bench/peers/README.md): the 令和7年度 subsidy on the same generated records
# with a hand-written Rust function (the baseline), onshi, datalogic-rs, rhai, GoRules ZEN and
# OpenFisca; then `onshi batch` against the hand-written CSV program csv_baseline.
# Usage: bench/peers/run.sh [records]   (default 1,000,000; from anywhere; prints two tables)
# Working files (records, answers, logs, results) go to bench/peers/out/ (git-ignored).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
n="${1:-1000000}"
out="$here/out"
mkdir -p "$out"
rm -f "$out"/*.bin "$out"/*.tsv "$out"/*.mem "$out"/*.log "$out"/batch-*.csv
peers="$here/target/release/peers"
# One core per engine: no BLAS/OpenMP threads behind numpy.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

now() { date +%s.%N; }
# since START [END]: seconds from START to END (default: now), 3 decimals.
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "${2:-$(now)}"; }

echo "== build"
t=$(now); (cd "$here" && cargo build --release -q)
echo "  bench/peers (peers, csv_baseline): $(since "$t") s"
t=$(now); (cd "$root" && cargo build --release -q -p onshi-cli)
echo "  onshi CLI (main workspace):        $(since "$t") s"
t=$(now)
[ -x "$here/.venv/bin/python" ] || python3 -m venv "$here/.venv"
"$here/.venv/bin/pip" install -q --disable-pip-version-check -r "$here/openfisca/requirements.txt"
echo "  OpenFisca venv:                    $(since "$t") s"

echo "== $n records (bench/gen_records.py)"
python3 "$root/bench/gen_records.py" "$n" "$out/records"
records="$out/records.csv"

# run_engine NAME COMMAND… — runs `COMMAND… records answers` under /usr/bin/time, then checks the
# answers against the baseline's on every record. Appends NAME, status, peak KiB to status.tsv.
run_engine() {
  local name="$1"; shift
  local status=ok
  echo "-- $name"
  if ! /usr/bin/time -f "%M" -o "$out/$name.mem" "$@" "$records" "$out/$name.bin" \
      >"$out/$name.tsv" 2>"$out/$name.log"; then
    status="FAILED (exit status; see out/$name.log)"
    tail -n 5 "$out/$name.log" | sed 's/^/   /'
  elif [ "$name" != native ] &&
      ! "$peers" check "$records" "$out/native.bin" "$out/$name.bin" "$name" | sed 's/^/   /'; then
    status="FAILED (answers differ)"
  fi
  [ "$status" = ok ] && sed 's/^/   /' "$out/$name.log"
  printf '%s\t%s\t%s\n' "$name" "$status" "$(tail -n 1 "$out/$name.mem")" >>"$out/status.tsv"
}

echo "== engines (one process each, one thread; every answer checked against the baseline)"
: >"$out/status.tsv"
for engine in native onshi datalogic rhai zen; do
  run_engine "$engine" "$peers" run "$engine"
done
for variant in params select; do
  run_engine "openfisca-$variant" "$here/.venv/bin/python" "$here/openfisca/run.py" "$variant"
done
cat "$out"/native.tsv "$out"/onshi.tsv "$out"/datalogic.tsv "$out"/rhai.tsv "$out"/zen.tsv \
  "$out"/openfisca-params.tsv "$out"/openfisca-select.tsv >"$out/timings.tsv" 2>/dev/null || true

echo "== onshi batch vs csv_baseline (CSV in, CSV out; wall time of the whole process, best of 3)"
: >"$out/batch.tsv"
# run_batch NAME JOBS INPUT EXT COMMAND… — best of three runs of `COMMAND… --input INPUT --output
# out/batch-NAME-JOBS.EXT --jobs JOBS`; appends NAME, JOBS, seconds, peak KiB to batch.tsv.
run_batch() {
  local name="$1" jobs="$2" input="$3" ext="$4"; shift 4
  local dest="$out/batch-$name-$jobs.$ext" best="" mem=""
  for _ in 1 2 3; do
    local t; t=$(now)
    /usr/bin/time -f "%M" -o "$out/batch.mem" "$@" --input "$input" --output "$dest" --jobs "$jobs" \
      2>"$out/batch-$name-$jobs.log" || { echo "   $name --jobs $jobs FAILED"; return 0; }
    local took; took=$(since "$t" "$(now)")
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(not float(sys.argv[1]) < float(sys.argv[2]))" "$took" "$best"; then
      best="$took"; mem=$(tail -n 1 "$out/batch.mem")
    fi
  done
  printf '%s\t%s\t%s\t%s\n' "$name" "$jobs" "$best" "$mem" >>"$out/batch.tsv"
}
for jobs in 1 2; do
  run_batch csv_baseline "$jobs" "$records" csv "$here/target/release/csv_baseline"
  run_batch onshi "$jobs" "$records" csv "$root/target/release/onshi" batch "$root/policies/r7/subsidy.onshi"
  if cmp -s "$out/batch-csv_baseline-$jobs.csv" "$out/batch-onshi-$jobs.csv"; then
    echo "   --jobs $jobs: the two output files are identical"
    echo "same" >"$out/batch-same-$jobs"
  else
    echo "   --jobs $jobs: the output files DIFFER; first difference:"
    diff "$out/batch-csv_baseline-$jobs.csv" "$out/batch-onshi-$jobs.csv" | head -n 4 | sed 's/^/   /'
    echo "differ" >"$out/batch-same-$jobs"
  fi
done

# JSONL in, JSONL out: the same records (bench/gen_records.py writes both forms); no hand-written
# JSONL program, so it is compared with onshi's own CSV run.
for jobs in 1 2; do
  run_batch onshi-jsonl "$jobs" "$out/records.jsonl" jsonl "$root/target/release/onshi" batch "$root/policies/r7/subsidy.onshi"
done
# The JSONL answers must be the CSV answers (which equal csv_baseline's, checked above).
python3 - "$out/batch-onshi-jsonl-1.jsonl" "$out/batch-csv_baseline-1.csv" <<'PY' || echo "   onshi-jsonl: answers DIFFER from the CSV run"
import csv, json, sys
with open(sys.argv[1], encoding="utf-8") as j, open(sys.argv[2], encoding="utf-8", newline="") as c:
    rows = csv.DictReader(c)
    n = 0
    for line, row in zip(j, rows, strict=True):
        out = json.loads(line)["outputs"]
        got = (str(out["補助額"]), "TRUE" if out["申請可"] else "FALSE", out["補助区分"])
        want = (row["補助額"], row["申請可"], row["補助区分"])
        if got != want:
            sys.exit(f"   record {n + 1}: JSONL {got} vs CSV {want}")
        n += 1
print(f"   onshi-jsonl: the {n:,} JSONL answers equal the CSV answers")
PY
wc -c <"$records" >"$out/records.bytes"

python3 "$here/report.py" "$out" "$n"
