"""photolint from Python: the same reports as the command line, every
hostile file its expected outcome, typed errors for bad arguments, and the
same results from many threads as from one."""

import json
import os
import pathlib
import shutil
import subprocess
import tomllib
import zlib
from concurrent.futures import ThreadPoolExecutor

import pytest

import photolint

ROOT = pathlib.Path(__file__).resolve().parents[3]
EXAMPLES = sorted((ROOT / "testdata/examples").glob("*.jpg"))


def cli():
    """The photolint binary: PHOTOLINT_BIN, else the workspace's build."""
    if os.environ.get("PHOTOLINT_BIN"):
        return os.environ["PHOTOLINT_BIN"]
    built = [
        p
        for p in (ROOT / "target/release/photolint", ROOT / "target/debug/photolint")
        if p.is_file()
    ]
    if built:
        # The newest build: the other may be left from older code.
        return str(max(built, key=lambda p: p.stat().st_mtime))
    pytest.skip("SKIPPED: no photolint binary (cargo build -p photolint-cli, or set PHOTOLINT_BIN)")


def canonical(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def test_examples_give_the_same_json_as_the_cli():
    assert len(EXAMPLES) >= 7
    out = subprocess.run(
        [cli(), "check", "--format", "json", *map(str, EXAMPLES)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    from_cli = {entry["path"]: entry["report"] for entry in json.loads(out.stdout)}
    for path in EXAMPLES:
        report = photolint.check(str(path))
        assert canonical(report) == canonical(from_cli[str(path)]), path.name
    # Bytes with their name are judged like the file.
    path = ROOT / "testdata/examples/head-too-low.jpg"
    by_bytes = photolint.check(path.read_bytes(), name=path.name)
    assert canonical(by_bytes) == canonical(from_cli[str(path)])


def test_reports_say_what_fails_and_where():
    r = photolint.check(ROOT / "testdata/examples/head-too-low.jpg")
    assert r["verdict"] == "fail"
    codes = [f["code"] for f in r["findings"]]
    assert codes == ["F002", "F003"]
    assert all(f["message_zh"] and f["region"] for f in r["findings"])
    assert photolint.check(ROOT / "testdata/examples/compliant.jpg")["verdict"] == "pass"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """testdata/bad's committed files and the generated ones, with their cases."""
    if shutil.which("cargo") is None:
        pytest.skip("SKIPPED: cargo is needed to generate the hostile files")
    out = tmp_path_factory.mktemp("bad")
    subprocess.run(
        ["cargo", "run", "-q", "-p", "photolint-testkit", "--", "--bad", str(out)],
        cwd=ROOT,
        check=True,
    )
    cases = tomllib.loads((ROOT / "testdata/bad/expected.toml").read_text())["case"]
    return out, cases


def test_every_hostile_file_gets_its_expected_outcome(hostile):
    out, cases = hostile
    judged = 0
    for case in cases:
        if case.get("skipped") or case["made"] == "filesystem":
            continue
        folder = out if case["made"] == "generated" else ROOT / "testdata/bad"
        path = folder / case["name"]
        assert path.exists(), path
        if "error" in case:
            with pytest.raises(photolint.PhotoError) as err:
                photolint.check(str(path))
            assert err.value.code == case["error"], case["name"]
            assert err.value.message_zh
            # From bytes too: the same code.
            with pytest.raises(photolint.PhotoError) as err:
                photolint.check(path.read_bytes(), name=case["name"])
            assert err.value.code == case["error"], case["name"]
        else:
            r = photolint.check(str(path))
            codes = {f["code"] for f in r["findings"]}
            assert set(case.get("findings", [])) <= codes, (case["name"], codes)
            if case.get("verdict", "any") != "any":
                assert r["verdict"] == case["verdict"], case["name"]
        judged += 1
    assert judged >= 10


def test_bad_arguments_get_typed_errors_never_a_crash():
    with pytest.raises(photolint.PhotoError) as err:
        photolint.check(b"")
    assert err.value.code == "E001-empty"
    jpeg = (ROOT / "testdata/examples/compliant.jpg").read_bytes()
    with pytest.raises(photolint.PhotoError) as err:
        photolint.check(jpeg[: len(jpeg) // 2])
    assert err.value.code == "E008-truncated"
    # A PNG header claiming 100000x100000 pixels: refused before decoding.
    ihdr = b"IHDR" + (100000).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00"
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\r"
        + ihdr
        + zlib.crc32(ihdr).to_bytes(4, "big")
    )
    with pytest.raises(photolint.PhotoError) as err:
        photolint.check(png)
    assert err.value.code == "E003-too-large"
    with pytest.raises(photolint.PhotoError) as err:
        photolint.check("no-such-photo.jpg")
    assert err.value.code == "E005-io"
    for wrong in (None, 42, 3.5, ["a.jpg"]):
        with pytest.raises(TypeError):
            photolint.check(wrong)
    with pytest.raises(ValueError):
        photolint.check(jpeg, profile="chsi-diplome")
    # bytearray and memoryview are bytes too.
    assert photolint.check(bytearray(jpeg))["verdict"] == "pass"
    assert photolint.check(memoryview(jpeg))["verdict"] == "pass"


def test_threads_give_the_same_results_as_one_thread():
    checker = photolint.Checker("chsi-diploma")
    photos = [p.read_bytes() for p in EXAMPLES] * 3
    one = [canonical(checker.check(b)) for b in photos]
    with ThreadPoolExecutor(max_workers=4) as pool:
        many = list(pool.map(lambda b: canonical(checker.check(b)), photos))
    assert many == one


def test_scan_yields_every_photo_in_path_order():
    results = list(photolint.scan(ROOT / "testdata/examples", jobs=2))
    assert [r["path"] for r in results] == [str(p) for p in EXAMPLES]
    for r, path in zip(results, EXAMPLES):
        assert r["status"] in ("pass", "fail")
        assert canonical(r["report"]) == canonical(photolint.check(str(path)))
    with pytest.raises(ValueError):
        photolint.scan(ROOT / "testdata/examples/compliant.jpg")


def test_profiles_explain_and_annotate():
    assert "chsi-diploma" in photolint.profiles()
    assert "icao-passport" in photolint.profiles()
    assert "640" in photolint.explain("F002", lang="zh")
    assert "10-120 px of 531" in photolint.explain("F002", lang="en", profile="icao-passport")
    png = photolint.annotate(ROOT / "testdata/examples/head-too-low.jpg", lang="en")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    assert photolint.Checker("icao-passport").profile == "icao-passport"


def test_fix_gives_the_cli_bytes_and_refuses_with_the_reason(tmp_path):
    low = ROOT / "testdata/examples/head-too-low.jpg"
    done = photolint.fix(low)
    assert done["action"] == "fixed"
    assert done["file_name"] == "head-too-low.jpg"
    assert done["before"]["verdict"] == "fail" and done["after"]["verdict"] == "pass"
    assert done["bytes"].startswith(b"\xff\xd8\xff") and 60 <= done["quality"] <= 95
    # The same photo the command line writes, byte for byte.
    out = subprocess.run(
        [cli(), "fix", str(low), "-o", str(tmp_path)], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert (tmp_path / "head-too-low.jpg").read_bytes() == done["bytes"]
    # Bytes with a name, through a Checker; a passing photo is unchanged.
    compliant = ROOT / "testdata/examples/compliant.jpg"
    same = photolint.Checker().fix(compliant.read_bytes(), name="a.jpg")
    assert same["action"] == "unchanged" and same["bytes"] == compliant.read_bytes()
    with pytest.raises(photolint.FixRefused) as e:
        photolint.fix(ROOT / "testdata/examples/white-background.jpg")
    assert e.value.code == "R003-not-fixable"
    assert "B001" in e.value.message_en and "背景" in e.value.message_zh
    assert e.value.before["verdict"] == "fail"
    with pytest.raises(photolint.PhotoError) as e:
        photolint.fix(b"")
    assert e.value.code == "E001-empty"


def test_scan_finds_photos_as_the_cli_does(tmp_path):
    # A JPEG without an extension is a photo, a note is not, a hidden file
    # is left out: the command line's walk, shared by the library.
    compliant = (ROOT / "testdata/examples/compliant.jpg").read_bytes()
    (tmp_path / "a.jpg").write_bytes(compliant)
    (tmp_path / "upload-without-extension").write_bytes(compliant)
    (tmp_path / "notes.txt").write_text("not a photo")
    (tmp_path / ".hidden.jpg").write_bytes(compliant)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "empty.jpg").write_bytes(b"")
    got = [(r["path"], r["status"]) for r in photolint.scan(tmp_path, jobs=1)]
    out = subprocess.run([cli(), "scan", str(tmp_path), "-f", "jsonl"], capture_output=True, text=True)
    want = [(r["path"], r["status"]) for r in map(json.loads, out.stdout.splitlines())]
    assert got == want
    assert [pathlib.Path(p).name for p, _ in got] == ["a.jpg", "empty.jpg", "upload-without-extension"]
