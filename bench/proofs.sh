#!/usr/bin/env bash
# The proof timings of issue 25, item 6 (target: each under 5 s on this machine): `onshi diff` of
# each shipped policy against a copy with one edit (the first `<=` of a rule made `<`, else the first
# `>=` made `>`, else the first `と` made `または`, else a table's 1/2 made 1/3), `onshi check
# policies/` with the proofs (z3, then cvc5, then none), and the language server's extra latency
# (`cargo bench -p onshi-lsp --bench proofs`: didChange → fast diagnostics, → proofs done). Release builds; wall times of the whole
# process, best of three. Needs z3 and cvc5 (`cargo xtask solvers`). Not part of CI.
# Usage: bench/proofs.sh   (from anywhere; results are printed)
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release -q -p onshi-cli
onshi="$target/release/onshi"

# Best of three wall times of a command, in seconds, and the CPU time (user + system, the solver
# processes included) of that run: on a machine shared with other work the CPU time is what the
# command would take alone (the proofs run one query at a time). Its output goes to $work/out.
best() {
  local b="" cpu=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >"$work/out" 2>&1 || true
    local t c
    t=$(tail -1 "$work/time" | cut -d' ' -f1)
    c=$(tail -1 "$work/time" | python3 -c "import sys; e, u, s = sys.stdin.read().split(); print(f'{float(u) + float(s):.2f}')")
    if [ -z "$b" ] || python3 -c "import sys; sys.exit(not float(sys.argv[1]) < float(sys.argv[2]))" "$t" "$b"; then b="$t"; cpu="$c"; fi
  done
  echo "$b s (CPU $cpu s)"
}
# Met when the wall time is under 5 s; else whether the CPU time is (the machine was busy).
verdict() {
  python3 - "$1" <<'PY'
import re, sys
wall, cpu = (float(x) for x in re.findall(r"[0-9.]+", sys.argv[1])[:2])
print("met" if wall < 5 else ("MISSED on the wall clock; CPU time under 5 s" if cpu < 5 else "MISSED"))
PY
}

echo "== $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== onshi diff: each shipped policy against a copy with one edit (z3 first)"
cp -r policies "$work/edited"
for p in r2/subsidy r7/consent r7/front_desk r7/introduction r7/obligation r7/subsidy; do
  edit=$(python3 - "$work/edited/$p.onshi" <<'PY'
import re, sys
path = sys.argv[1]
lines = open(path, encoding="utf-8").read().split("\n")
for old, new in (("<=", "<"), (">=", ">"), (" と ", " または "), (" 1/2 ", " 1/3 ")):
    for i, l in enumerate(lines):
        s = l.lstrip()
        if s.startswith("#") or old not in l:
            continue
        if not (s.startswith(("原則", "例外", "出力", "定義", "もし", "かつ", "または", "|")) or l.startswith("  ")):
            continue
        lines[i] = l.replace(old, new, 1)
        open(path, "w", encoding="utf-8").write("\n".join(lines))
        print(f"line {i + 1}: {old.strip()} → {new.strip()}")
        sys.exit(0)
print("no edit")
PY
)
  t=$(best "$onshi" diff "policies/$p.onshi" "$work/edited/$p.onshi")
  summary=$(grep -cE "証明済み" "$work/out" || true)
  changed=$(grep -cE "が変わる" "$work/out" || true)
  searched=$(grep -cE "探索のみ" "$work/out" || true)
  printf '  %-16s %-24s %s  %s (changed %s, proved equal %s, searched only %s)\n' \
    "$p" "$edit" "$t" "$(verdict "$t")" "$changed" "$summary" "$searched"
  cp "policies/$p.onshi" "$work/edited/$p.onshi"
done

echo "== onshi check policies/ with the proofs"
for s in z3 cvc5 none; do
  t=$(best env ONSHI_SOLVER=$s "$onshi" check policies/)
  printf '  ONSHI_SOLVER=%-5s %s  %s\n' "$s" "$t" "$(verdict "$t")"
  grep -E "（(z3|cvc5)）|探索も証明も" "$work/out" | sed 's/^/      /' | head -4 || true
done

echo "== onshi lsp: didChange → fast diagnostics / → proofs done (cargo bench -p onshi-lsp --bench proofs)"
cargo bench -q -p onshi-lsp --bench proofs 2>/dev/null
