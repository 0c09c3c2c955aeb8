"""The Spark audit job (examples/spark/audit.py) on local[2]: the test
kit's fixtures and the hostile files, every photo a Parquet row that agrees
with `photolint scan --format jsonl` on the same files."""

import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from test_photolint import ROOT, cli


def test_spark_audit_agrees_with_the_cli(tmp_path):
    pytest.importorskip("pyspark", reason="SKIPPED: pyspark is not installed (.ci/run installs it)")
    pq = pytest.importorskip("pyarrow.parquet", reason="SKIPPED: pyarrow is not installed")
    if shutil.which("java") is None:
        pytest.skip("SKIPPED: Spark needs Java 17 (.ci/run installs it)")
    photos = tmp_path / "in"
    for flag, sub in (([], "fixtures"), (["--bad"], "bad")):
        subprocess.run(
            ["cargo", "run", "-q", "-p", "photolint-testkit", "--", *flag, str(photos / sub)],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    out = tmp_path / "out"
    submit = pathlib.Path(sys.executable).parent / "spark-submit"
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    job = subprocess.run(
        [str(submit), "--master", "local[2]", str(ROOT / "examples/spark/audit.py"), str(photos), str(out)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert job.returncode == 0, job.stderr[-3000:]
    assert "photos:" in job.stdout

    scanned = subprocess.run([cli(), "scan", str(photos), "-f", "jsonl"], capture_output=True, text=True)
    expected = {}
    for line in scanned.stdout.splitlines():
        r = json.loads(line)
        if r["status"] == "error":
            expected[r["path"]] = ("error", r["error"]["code"], [])
        else:
            expected[r["path"]] = (r["status"], None, sorted(f["code"] for f in r["report"]["findings"]))

    rows = pq.read_table(out / "photos").to_pylist()
    findings = {}
    for f in pq.read_table(out / "findings").to_pylist():
        findings.setdefault(f["path"], []).append(f["code"])
    got = {r["path"]: (r["status"], r["error_code"], sorted(findings.get(r["path"], []))) for r in rows}
    assert len(got) >= 150
    assert got == expected
    # A file that cannot be judged is a row with its E-code, and its message.
    errors = [r for r in rows if r["status"] == "error"]
    assert errors and all(r["error_code"].startswith("E") and r["error_zh"] for r in errors)
    judged = [r for r in rows if r["status"] != "error"]
    assert all(json.loads(r["report"])["profile"] == "chsi-diploma" for r in judged)
