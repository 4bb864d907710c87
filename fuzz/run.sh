#!/usr/bin/env bash
# Build the onshi fuzz targets and run each for a bounded time.
#
#   fuzz/run.sh [SECONDS] [TARGET…]      (default: 60 seconds each; targets: policy facts literals)
#   fuzz/run.sh --build                  (only build, as CI does)
#
# Works on stable Rust: without a sanitizer (`-s none`) cargo-fuzz passes only stable rustc flags
# (onshi has no unsafe code; libFuzzer still catches panics, stack overflows, timeouts and memory
# blow-ups). Debug assertions are on (`-a`), so integer overflow panics. AddressSanitizer
# (`-s address`) needs nightly flags: RUSTC_BOOTSTRAP=1 lets stable rustc accept them.
# Each run starts from the seed corpus (the shipped policies, the bad-input corpus under
# tests/corpus/, example facts, literal seeds) plus what earlier runs kept in fuzz/corpus/<target>.
# Crashes land in fuzz/artifacts/<target>/; reproduce one (from fuzz/) with
#   cargo fuzz run -s none -a <target> artifacts/<target>/<file>
set -euo pipefail
cd "$(dirname "$0")"
FUZZ_DIR="$(pwd)"
ROOT="$(cd .. && pwd)"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
FLAGS=(-s none -a)

echo "== build fuzz targets"
cargo fuzz build "${FLAGS[@]}"
if [ "${1:-}" = "--build" ]; then
  exit 0
fi

SECS="${1:-60}"
shift || true
if [ "$#" -gt 0 ]; then TARGETS=("$@"); else TARGETS=(policy facts literals); fi

# ---- seed corpora (regenerated each run, kept out of git)
SEEDS="$FUZZ_DIR/corpus/seeds"
rm -rf "$SEEDS"
mkdir -p "$SEEDS/policy" "$SEEDS/facts" "$SEEDS/literals"
FACTS_FILES=("$ROOT"/policies/examples/*.json "$FUZZ_DIR/seeds/facts.json")
while IFS= read -r -d '' f; do FACTS_FILES+=("$f"); done \
  < <(find "$ROOT/tests/corpus" -name '*.json' -size -64k -print0 2>/dev/null)
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  # policy text, 0xFF, facts
  { cat "$f"; printf '\377'; cat "${FACTS_FILES[0]}"; } > "$SEEDS/policy/p$n"
done < <(find "$ROOT/policies" "$ROOT/tests/corpus" -name '*.onshi' -size -64k -print0 2>/dev/null)
n=0
for f in "${FACTS_FILES[@]}"; do
  for i in 0 1 2 3 4 5 6 7; do
    n=$((n + 1))
    { printf "\\$(printf '%03o' "$i")"; cat "$f"; } > "$SEEDS/facts/f$n"
  done
done
n=0
while IFS= read -r line; do
  n=$((n + 1))
  printf '%s' "$line" > "$SEEDS/literals/l$n"
done < "$FUZZ_DIR/seeds/literals.txt"

max_len() {
  case "$1" in
    policy) echo 8192 ;;
    facts) echo 8192 ;;
    *) echo 256 ;;
  esac
}

mkdir -p logs
status=0
summary=()
for t in "${TARGETS[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  before=$(find "artifacts/$t" -type f | wc -l)
  echo "== fuzz $t for ${SECS}s"
  log="logs/$t.log"
  set +e
  cargo fuzz run "${FLAGS[@]}" "$t" "corpus/$t" "$SEEDS/$t" -- \
    -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$t")" \
    -print_final_stats=1 > "$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | awk '{ print $2 }')
  cov=$(grep -oE '(INITED|DONE|pulse|NEW|REDUCE) +cov: [0-9]+' "$log" | tail -1 | awk '{ print $3 }')
  after=$(find "artifacts/$t" -type f | wc -l)
  found=$((after - before))
  line="$t: ${execs:-?} executions in ${SECS}s, coverage ${cov:-?}, corpus $(find "corpus/$t" -type f | wc -l) files, new findings $found (exit $rc)"
  summary+=("$line")
  if [ "$rc" != 0 ] || [ "$found" != 0 ]; then
    status=1
    grep -E 'panicked|ERROR: libFuzzer|SUMMARY|Test unit written' "$log" | head -20 || true
  fi
done

echo "== summary"
for line in "${summary[@]}"; do echo "$line"; done
echo "findings so far: $(find artifacts -type f | wc -l) file(s) under fuzz/artifacts/"
exit "$status"
