import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _onshi_bin() -> str:
    env = os.environ.get("ONSHI_BIN")
    if env:
        return env
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    for profile in ("debug", "release"):
        p = target / profile / "onshi"
        if p.exists():
            return str(p)
    found = shutil.which("onshi")
    if found:
        return found
    pytest.exit("the onshi binary is needed: set ONSHI_BIN or cargo build -p onshi-cli", 2)


@pytest.fixture(scope="session")
def onshi_bin() -> str:
    return _onshi_bin()


@pytest.fixture(scope="session")
def batch(onshi_bin, tmp_path_factory):
    """Runs `onshi batch <policy> --input <records.jsonl>` and returns its JSONL records."""
    import json

    def run(policy: str, jsonl: str):
        d = tmp_path_factory.mktemp("batch")
        src = d / "in.jsonl"
        src.write_text(jsonl, encoding="utf-8")
        out = d / "out.jsonl"
        p = subprocess.run(
            [onshi_bin, "batch", str(ROOT / "policies" / f"{policy}.onshi"), "--input", str(src), "--output", str(out)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert out.exists(), p.stderr
        return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line]

    return run
