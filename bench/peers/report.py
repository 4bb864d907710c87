"""Print the two tables of bench/peers/run.sh from its working directory (out/).

Usage: report.py <out-dir> <records>
Engines table: records/s of the best timed pass, time relative to the baseline (how many times
slower), peak resident memory of the engine's process (/usr/bin/time %M, which includes the loaded
records and the engine's input form). An engine whose answers differ from the baseline's on any
record, or that failed, gets no time.
Batch table: wall time of the whole process (best of 3), CSV in and CSV out, then onshi with JSONL
in and out. After each table, the issue 17 targets it measures, met or missed and by how much.
"""

import os
import sys


def read_tsv(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def mib(kib):
    try:
        return f"{int(kib) / 1024:,.0f} MiB"
    except ValueError:
        return "?"


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    timings = {row[0]: row for row in read_tsv(os.path.join(out, "timings.tsv"))}
    status = read_tsv(os.path.join(out, "status.tsv"))
    baseline = timings.get("native")
    base_rps = float(baseline[3]) if baseline else None

    print(f"\n== engines: {n:,} records, one thread each")
    print(f"| {'engine':<17} | {'records/s':>13} | {'× baseline time':>15} | {'peak memory':>11} | timing (passes) |")
    print(f"|{'-' * 19}|{'-' * 14}:|{'-' * 16}:|{'-' * 12}:|{'-' * 17}|")
    for name, state, kib in status:
        row = timings.get(name)
        if state != "ok" or row is None:
            print(f"| {name:<17} | {state} | | {mib(kib):>11} | |")
            continue
        rps = float(row[3])
        ratio = f"{base_rps / rps:,.1f}×" if base_rps else "?"
        if name == "native":
            ratio = "1× (baseline)"
        print(f"| {name:<17} | {rps:>13,.0f} | {ratio:>15} | {mib(kib):>11} | {row[4]:<15} |")
    engine_targets(out, timings, status)

    batch = read_tsv(os.path.join(out, "batch.tsv"))
    if not batch:
        return
    print(f"\n== onshi batch vs csv_baseline: {n:,} records, CSV in and CSV out, then JSONL (wall time, best of 3)")
    print(f"| {'program':<13} | jobs | {'records/s':>11} | {'seconds':>7} | {'time vs':>18} | {'peak memory':>11} | {'output':<9} |")
    print(f"|{'-' * 15}|{'-' * 5}:|{'-' * 12}:|{'-' * 8}:|{'-' * 19}:|{'-' * 12}:|{'-' * 11}|")
    seconds = {(name, jobs): float(s) for name, jobs, s, _ in batch}
    for name, jobs, s, kib in batch:
        s = float(s)
        ref_name = "onshi" if name == "onshi-jsonl" else "csv_baseline"
        ref = seconds.get((ref_name, jobs))
        ratio = f"{s / ref:.2f}× {ref_name}" if ref and name != "csv_baseline" else "reference"
        same_file = os.path.join(out, f"batch-same-{jobs}")
        same = open(same_file).read().strip() if os.path.exists(same_file) else "?"
        if name == "csv_baseline":
            output = "reference"
        elif name == "onshi-jsonl":
            output = "JSONL"
        else:
            output = "identical" if same == "same" else "DIFFERS"
        print(f"| {name:<13} | {jobs:>4} | {n / s:>11,.0f} | {s:>7.2f} | {ratio:>18} | {mib(kib):>11} | {output:<9} |")
    batch_targets(seconds)


def verdict(ok):
    return "met" if ok else "MISSED"


def engine_targets(out, timings, status):
    """Issue 17, targets 1 and 4, from the engines' table."""
    rps = {name: float(row[3]) for name, row in timings.items()}
    ok = {name for name, state, _ in status if state == "ok"}
    peak = {name: int(kib) for name, _, kib in status if kib.isdigit()}
    onshi, native = rps.get("onshi"), rps.get("native")
    if "onshi" not in ok or not onshi or not native:
        return
    peers = [v for k, v in rps.items() if k not in ("native", "onshi") and k in ok]
    print("\nissue 17 targets:")
    print(f"- onshi ≥ 24 M records/s: {onshi / 1e6:.1f} M, {verdict(onshi >= 24e6)}")
    print(f"- within 3× of the hand-written time: {native / onshi:.1f}×, {verdict(native / onshi <= 3)}")
    if peers:
        fastest = max(peers)
        print(f"- ≥ 3× the fastest peer: {onshi / fastest:.1f}×, {verdict(onshi >= 3 * fastest)}")
    size_file = os.path.join(out, "records.bytes")
    if "onshi" in peak and "native" in peak and os.path.exists(size_file):
        size = int(open(size_file).read().strip()) / 1024
        limit = peak["native"] + size
        print(f"- peak memory ≤ hand-written + the input ({mib(peak['native'])} + {mib(size)} CSV = "
              f"{mib(limit)}): {mib(peak['onshi'])}, {verdict(peak['onshi'] <= limit)}")


def batch_targets(seconds):
    """Issue 17, target 2, from the batch table."""
    print("\nissue 17 targets:")
    for jobs in ("1", "2"):
        o, b = seconds.get(("onshi", jobs)), seconds.get(("csv_baseline", jobs))
        if o and b:
            limit = " (target at --jobs 1: ≤ 1.5×)" if jobs == "1" else ""
            ok = o / b <= 1.5 if jobs == "1" else True
            print(f"- CSV --jobs {jobs}: {o / b:.2f}× csv_baseline's time{limit}"
                  + (f", {verdict(ok)}" if jobs == "1" else ""))
    o1, o2 = seconds.get(("onshi", "1")), seconds.get(("onshi", "2"))
    if o1 and o2:
        print(f"- --jobs 2 vs --jobs 1: {o1 / o2:.2f}× faster (target ≥ 1.6×), {verdict(o1 / o2 >= 1.6)}")
    for jobs in ("1", "2"):
        j, c = seconds.get(("onshi-jsonl", jobs)), seconds.get(("onshi", jobs))
        if j and c:
            print(f"- JSONL --jobs {jobs}: {j / c:.2f}× the CSV time (target ≤ 2×), {verdict(j / c <= 2)}")


if __name__ == "__main__":
    main()
