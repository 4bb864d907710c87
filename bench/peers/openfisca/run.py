"""Time the OpenFisca model (subsidy.py) on the records CSV and write its answers.

Usage: run.py <params|select> <records.csv> <answers.bin>

The records become numpy input arrays once (untimed). Each pass builds a fresh simulation from them
(untimed: OpenFisca caches what it computed) and times `calculate` of 補助額, 申請可 and 補助区分.
As in the Rust harness: one warm-up pass on the first 100,000 records, then full passes until 3 s
have been timed or 20 passes were made; the best counts. The answers file has the layout of
`src/records.rs`: per record, 補助額 as little-endian i64, then 申請可 and 補助区分 as bytes.
Prints one tab-separated line: engine, records, best seconds, records/s, method.
"""

import csv
import sys
import time

import numpy as np
from openfisca_core.simulation_builder import SimulationBuilder

import subsidy as model

WARMUP_RECORDS = 100_000
MIN_TIMED = 3.0
MAX_RUNS = 20
ANSWER = np.dtype([("amount", "<i8"), ("eligible", "u1"), ("class", "u1")])


def load(path):
    """The CSV as the model's input arrays."""
    kinds = {e.value: i for i, e in enumerate(model.保険医療機関種別)}
    jigyo = {e.value: i for i, e in enumerate(model.事業種別)}
    columns = {name: [] for name in ("kind", "count", "jigyo", "mobile", "rececon", "generic", "date", "done",
                                     "exempt", "failure")}
    flags = {"true": True, "false": False, "": False}  # empty: the policy's default 偽
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader)]
        position = {name: header.index(name) for name in header}
        for row in reader:
            cell = lambda name: row[position[name]].strip()
            columns["kind"].append(kinds[cell("施設種別")])
            columns["count"].append(int(cell("グループ処方箋受付回数") or 0))
            columns["jigyo"].append(jigyo[cell("事業")])
            columns["mobile"].append(int(cell("モバイル端末費用") or 0))
            columns["rececon"].append(int(cell("レセコン改修費用") or 0))
            columns["generic"].append(int(cell("汎用機器費用") or 0))
            columns["date"].append(cell("申請日"))
            done = 0
            for name in filter(None, (s.strip() for s in cell("補助済事業").split(";"))):
                done |= 1 << jigyo[name]
            columns["done"].append(done)
            columns["exempt"].append(flags[cell("義務化対象外")])
            columns["failure"].append(flags[cell("機器故障時")])
    done = np.array(columns["done"], dtype=np.uint8)
    inputs = {
        "施設種別": model.保険医療機関種別.encode(np.array(columns["kind"])),
        "グループ処方箋受付回数": np.array(columns["count"], dtype=np.int32),
        "事業": model.事業種別.encode(np.array(columns["jigyo"])),
        "モバイル端末費用": np.array(columns["mobile"], dtype=np.int32),
        "レセコン改修費用": np.array(columns["rececon"], dtype=np.int32),
        "汎用機器費用": np.array(columns["generic"], dtype=np.int32),
        "申請日": np.array(columns["date"], dtype="datetime64[D]"),
        "義務化対象外": np.array(columns["exempt"], dtype=bool),
        "機器故障時": np.array(columns["failure"], dtype=bool),
    }
    for i, j in enumerate(model.事業種別):
        inputs[f"補助済_{j.name}"] = (done & (1 << i)) != 0
    return inputs


def simulation(system, inputs, count):
    sim = SimulationBuilder().build_default_simulation(system, count)
    for name, values in inputs.items():
        sim.set_input(name, model.PERIOD, values[:count])
    return sim


def evaluate(sim):
    return (
        sim.calculate("補助額", model.PERIOD),
        sim.calculate("申請可", model.PERIOD),
        sim.calculate("補助区分", model.PERIOD),
    )


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    variant, records, answers_path = sys.argv[1:]
    system = model.tax_benefit_system()
    if variant == "select":
        system = model.SelectTable(system)
    elif variant != "params":
        sys.exit(f"unknown variant {variant} (params or select)")
    inputs = load(records)
    n = len(inputs["事業"])
    warmup = min(n, WARMUP_RECORDS)
    evaluate(simulation(system, inputs, warmup))
    best, total, runs = float("inf"), 0.0, 0
    while runs < MAX_RUNS and (runs == 0 or total < MIN_TIMED):
        sim = simulation(system, inputs, n)
        start = time.perf_counter()
        amount, eligible, cls = evaluate(sim)
        took = time.perf_counter() - start
        best, total, runs = min(best, took), total + took, runs + 1
    answers = np.empty(n, dtype=ANSWER)
    answers["amount"] = amount
    answers["eligible"] = eligible
    answers["class"] = np.asarray(cls, dtype=np.int64)  # EnumArray indexes: 病院, 大型チェーン薬局, 診療所・薬局
    answers.tofile(answers_path)
    engine = f"openfisca-{variant}"
    method = f"best of {runs} (warm-up {warmup})"
    print(f"{engine}\t{n}\t{best:.6f}\t{n / best:.0f}\t{method}")
    print(f"{engine}: {n / best:.0f} records/s ({n} records, best {best:.3f} s; {method})", file=sys.stderr)


if __name__ == "__main__":
    main()
