#!/usr/bin/env python3
"""Generate N deterministic facts records for policies/r7/subsidy.onshi as JSONL and CSV."""
import json, random, sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
out = sys.argv[2] if len(sys.argv) > 2 else "records"
random.seed(7)
kinds = ["病院", "診療所", "歯科診療所", "薬局"]
jigyo = ["訪問診療等", "オンライン診療等", "外来診療等", "資格確認限定型"]
days = ["2025-10-01", "2026-01-15", "2026-01-16", "2025-07-01", "2025-06-29", "2025-06-30"]
cols = ["施設種別", "グループ処方箋受付回数", "事業", "モバイル端末費用", "レセコン改修費用", "汎用機器費用", "申請日", "補助済事業", "義務化対象外", "機器故障時"]
with open(out + ".jsonl", "w") as j, open(out + ".csv", "w") as c:
    c.write(",".join(cols) + "\n")
    for _ in range(n):
        r = {
            "施設種別": random.choice(kinds),
            "グループ処方箋受付回数": random.choice([0, 39999, 40000, 120000]),
            "事業": random.choice(jigyo),
            "モバイル端末費用": random.randrange(0, 60000),
            "レセコン改修費用": random.randrange(0, 900000),
            "汎用機器費用": random.randrange(0, 60000),
            "申請日": random.choice(days),
            "補助済事業": random.choice([[], [], ["オンライン診療等"], ["訪問診療等"]]),
            "義務化対象外": random.random() < 0.25,
            "機器故障時": random.random() < 0.5,
        }
        j.write(json.dumps(r, ensure_ascii=False) + "\n")
        cell = lambda v: ";".join(v) if isinstance(v, list) else json.dumps(v) if isinstance(v, bool) else str(v)
        c.write(",".join(cell(v) for v in r.values()) + "\n")
