#!/usr/bin/env bash
# Capture everything the CLI prints that a refactoring must leave byte-identical, into one folder:
#   tests/capture.sh OUT [ONSHI]
# ONSHI defaults to the debug binary ($CARGO_TARGET_DIR or target/)/debug/onshi (build it first:
# `cargo build -p onshi-cli`). Run it before and after a change and `diff -r` the two folders.
# It covers `onshi check` (with --sources) and `onshi test --coverage` on the shipped policies,
# `onshi doc` of all of them (and --compare r2 r7), `onshi explain-error` (the list and every code),
# and the diagnostics of every case in tests/corpus/ and of the CLI's fixtures — each in ja and en,
# with its exit status.
set -u
# The day a document is made is in its stamp: fix it.
export SOURCE_DATE_EPOCH=1764547200
cd "$(dirname "$0")/.."
out=${1:?usage: tests/capture.sh OUT [ONSHI]}
onshi=${2:-${CARGO_TARGET_DIR:-target}/debug/onshi}
[ -x "$onshi" ] || { echo "no binary $onshi (cargo build -p onshi-cli)" >&2; exit 2; }
onshi=$(cd "$(dirname "$onshi")" && pwd)/$(basename "$onshi")
rm -rf "$out" && mkdir -p "$out"
out=$(cd "$out" && pwd)
# Cases are compiled beside the shipped policies (as tests/tests/corpus.rs does) in a fixed folder,
# so the paths printed are the same in every capture.
work=/tmp/onshi-capture-work
# One command: its stdout, stderr and exit status in $out/<name>.<lang>.
run() {
    local name=$1; shift
    for lang in ja en; do
        "$onshi" --lang "$lang" "$@" >"$out/$name.$lang.out" 2>"$out/$name.$lang.err"
        echo "exit $?" >>"$out/$name.$lang.err"
    done
}
# `# limits: {"maxSteps": 20}` on a policy's second line → `--max-steps 20`.
limits_of() {
    sed -n '2s/^# limits: //p' "$1" | tr -d '{} ' | tr ',' '\n' | while IFS=: read -r k v; do
        [ -n "$k" ] || continue
        k=$(echo "$k" | tr -d '"' | sed 's/\([A-Z]\)/-\L\1/g')
        printf -- '--%s %s ' "$k" "$v"
    done
}

run check-policies check --sources ../shared/seeds policies/
run test-policies test --coverage policies/
for lang in ja en; do
    "$onshi" --lang $lang doc --out "$out/doc-$lang" policies/ >"$out/doc.$lang.out" 2>&1
    echo "exit $?" >>"$out/doc.$lang.out"
    "$onshi" --lang $lang doc --out "$out/doc-compare-$lang" --compare policies/r2/subsidy.onshi \
        policies/r7/subsidy.onshi >"$out/doc-compare.$lang.out" 2>&1
    echo "exit $?" >>"$out/doc-compare.$lang.out"
    sed -i "s|$out/|OUT/|" "$out/doc.$lang.out" "$out/doc-compare.$lang.out"
done

run explain-error-list explain-error
codes=$(ls docs/errors | sed -n 's/^onshi-\(.*\)-\(.*\)\.md$/onshi::\1::\2/p')
for code in $codes nonsense::code type::mismach; do
    run "explain-error-$code" explain-error "$code"
done

rm -rf "$work" && mkdir -p "$work" && cp -r policies "$work/"
for f in tests/corpus/policies/*.onshi; do
    name=$(basename "$f" .onshi)
    cp "$f" "$work/policies/r7/$name.onshi"
    # shellcheck disable=SC2046
    (cd "$work" && run "corpus-policies-$name" check $(limits_of "policies/r7/$name.onshi") \
        "policies/r7/$name.onshi")
    rm "$work/policies/r7/$name.onshi"
done
for f in tests/corpus/eval/*.onshi; do
    name=$(basename "$f" .onshi)
    cp "$f" "$work/policies/r7/$name.onshi"
    # shellcheck disable=SC2046
    (cd "$work" && run "corpus-eval-$name" eval $(limits_of "policies/r7/$name.onshi") \
        "policies/r7/$name.onshi" --input "$OLDPWD/tests/corpus/eval/$name.json")
    rm "$work/policies/r7/$name.onshi"
done
for f in tests/corpus/facts/*.json; do
    name=$(basename "$f" .json)
    policy=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "tests/corpus/facts/$name.code")
    run "corpus-facts-$name" eval "${policy:-policies/r7/subsidy.onshi}" --input "$f"
done
for f in cli/tests/fixtures/*.onshi cli/tests/fixtures/r8/*.onshi; do
    name=$(echo "$f" | tr '/' '-')
    run "fixture-check-$name" check "$f"
    run "fixture-test-$name" test "$f"
done
rm -rf "$work"
echo "captured $(ls "$out" | wc -l) files in $out"
