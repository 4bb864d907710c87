"""Print the two tables of bench/peers/run.sh from its working directory (out/).

Usage: report.py <out-dir> <records>
Engines table: records/s of the best timed pass, time relative to the baseline (how many times
slower), peak resident memory of the engine's process (/usr/bin/time %M, which includes the loaded
records and the engine's input form). An engine whose answers differ from the baseline's on any
record, or that failed, gets no time.
Batch table: wall time of the whole process (best of 3), CSV in and CSV out.
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

    batch = read_tsv(os.path.join(out, "batch.tsv"))
    if not batch:
        return
    print(f"\n== onshi batch vs csv_baseline: {n:,} records, CSV in and CSV out (wall time, best of 3)")
    print(f"| {'program':<13} | jobs | {'records/s':>11} | {'seconds':>7} | {'vs csv_baseline':>15} | {'peak memory':>11} | {'output':<9} |")
    print(f"|{'-' * 15}|{'-' * 5}:|{'-' * 12}:|{'-' * 8}:|{'-' * 16}:|{'-' * 12}:|{'-' * 11}|")
    seconds = {(name, jobs): float(s) for name, jobs, s, _ in batch}
    for name, jobs, s, kib in batch:
        s = float(s)
        ref = seconds.get(("csv_baseline", jobs))
        ratio = f"{s / ref:.1f}× slower" if ref and name != "csv_baseline" else "reference"
        same_file = os.path.join(out, f"batch-same-{jobs}")
        same = open(same_file).read().strip() if os.path.exists(same_file) else "?"
        output = "reference" if name == "csv_baseline" else ("identical" if same == "same" else "DIFFERS")
        print(f"| {name:<13} | {jobs:>4} | {n / s:>11,.0f} | {s:>7.2f} | {ratio:>15} | {mib(kib):>11} | {output:<9} |")


if __name__ == "__main__":
    main()
