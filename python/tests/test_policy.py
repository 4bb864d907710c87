"""The package's per-record API against the CLI: bundled policies, compile diagnostics as
exceptions, the schema, evaluate and explain as `onshi eval --format json [--explain]`."""

import datetime as dt
import json
import subprocess
from decimal import Decimal

import pytest

import onshi
from conftest import ROOT
from records import MISSING, generate

HOSPITAL = json.loads((ROOT / "policies/examples/r7-subsidy-hospital.json").read_text(encoding="utf-8"))


def cli_eval(onshi_bin, policy, facts, explain=False):
    args = [onshi_bin, "eval", f"policies/{policy}.onshi", "--input", "-", "--format", "json"]
    if explain:
        args.append("--explain")
    p = subprocess.run(args, input=json.dumps(facts, ensure_ascii=False), capture_output=True, text=True, cwd=ROOT)
    return p.returncode, p.stdout


def test_bundled_names():
    names = onshi.Policy.bundled_names()
    assert "r7/subsidy" in names and "r7/front_desk" in names
    assert len(onshi.Policy.bundled_digest("r7/subsidy")) == 64
    assert onshi.Policy.bundled_digest("nope") is None
    assert "policies/r7/subsidy.onshi" in onshi.Policy.bundled_files()


def test_unknown_bundled_policy():
    with pytest.raises(onshi.OnshiError) as e:
        onshi.Policy.bundled("r7/nope")
    assert e.value.code == "onshi::python::unknown_policy"
    assert "r7/subsidy" in e.value.diagnostics[0]["help"]["en"]


def test_evaluate_matches_cli(onshi_bin):
    p = onshi.Policy.bundled("r7/subsidy")
    code, out = cli_eval(onshi_bin, "r7/subsidy", HOSPITAL)
    assert code == 0
    assert p.evaluate(HOSPITAL) == json.loads(out)
    assert p.evaluate(HOSPITAL)["outputs"]["補助額"] == 411000


def test_explain_matches_cli(onshi_bin):
    p = onshi.Policy.bundled("r7/subsidy")
    code, out = cli_eval(onshi_bin, "r7/subsidy", HOSPITAL, explain=True)
    assert code == 0
    got = p.explain(HOSPITAL)
    assert got == json.loads(out)
    assert "trace" in got


@pytest.mark.parametrize("policy", ["r7/subsidy", "r7/front_desk"])
def test_evaluate_many_records_matches_cli(policy, batch):
    """evaluate(dict) on generated records (Python dates, omitted keys, bad values) answers as
    `onshi batch`: the same outputs, or an OnshiError with the same code and message."""
    p = onshi.Policy.bundled(policy)
    records = generate(p, 300, seed=11, typed=True)
    facts = [{k: v for k, v in r.items() if v is not MISSING} for r in records]
    jsonl = "\n".join(
        json.dumps({k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in f.items()}, ensure_ascii=False)
        for f in facts
    )
    expected = batch(policy, jsonl + "\n")
    assert len(expected) == len(facts)
    for f, want in zip(facts, expected):
        if "error" in want:
            with pytest.raises(onshi.OnshiError) as e:
                p.evaluate(f)
            assert e.value.code == want["error"]["code"]
            assert e.value.message == want["error"]["message"]
        else:
            assert p.evaluate(f) == want


def test_compile_error_carries_code_file_line():
    src = '政策 "x"\n入力 a: 整数\n出力 b: 整数 = a + 未定義\n'
    with pytest.raises(onshi.OnshiError) as e:
        onshi.Policy.compile({"x.onshi": src}, "x.onshi")
    err = e.value
    assert err.code.startswith("onshi::")
    assert err.file == "x.onshi"
    assert err.line == 3
    assert err.message and str(err) == err.message
    assert err.diagnostics and err.diagnostics[0]["code"] == err.code
    with pytest.raises(onshi.OnshiError) as e:
        onshi.Policy.compile({"x.onshi": src}, "x.onshi", lang="en")
    assert e.value.message.isascii() or "`" in e.value.message


def test_compile_and_evaluate_sources():
    src = '政策 "x"\n入力 a: 金額\n入力 d: 日付\n出力 b: 金額 = a + 1000円\n出力 e: 日付 = 翌日(d)\n'
    p = onshi.Policy.compile({"x.onshi": src}, "x.onshi")
    assert [i["name"] for i in p.inputs] == ["a", "d"]
    assert p.inputs[0]["type"]["kind"] == "money"
    assert [o["name"] for o in p.outputs] == ["b", "e"]
    assert p.evaluate({"a": 1, "d": dt.date(2025, 12, 31)}) == {"outputs": {"b": 1001, "e": "2026-01-01"}}
    assert p.evaluate({"a": Decimal("0.5"), "d": "令和7年1月1日"})["outputs"]["b"] == 1000.5
    with pytest.raises(TypeError):
        p.evaluate({"a": 1.5, "d": "2025-01-01"})


def test_bad_facts_raise_with_path():
    p = onshi.Policy.bundled("r7/subsidy")
    bad = dict(HOSPITAL, 施設種別="病棟")
    with pytest.raises(onshi.OnshiError) as e:
        p.evaluate(bad)
    assert e.value.code == "onshi::facts::variant"
    assert e.value.path == "$.施設種別"


def test_schema_is_the_cli_json():
    p = onshi.Policy.bundled("r7/front_desk")
    names = [i["name"] for i in p.inputs]
    assert names and all(isinstance(n, str) for n in names)
    for o in p.outputs:
        assert {"name", "type"} <= set(o)
    types = p.arrow_output_types
    assert list(types) == [o["name"] for o in p.outputs] + ["error_code", "error_message"]
