"""firmware/manifest.py and every board manifest: evaluated with the manifest API
(tools/manifest.py), every file exists and compiles with mpy-cross, the frozen set is
exactly the library, and every version agrees (manifest, package files)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import build  # noqa: E402
import manifest  # noqa: E402
import packages  # noqa: E402

BOARD_MANIFESTS = sorted(ROOT.glob("boards/*/manifest.py"))
UNIX_MANIFEST = ROOT / "firmware" / "unix" / "manifest.py"
HOST_DRIVER = "drivers/host.py"
UNIX_ONLY = {HOST_DRIVER, "_port_unix.py"}  # the unix port's pieces: frozen for it only


def frozen_library():
    return {rel.as_posix() for _, rel in build.sources()}


def assert_freezes_exactly(m, wanted):
    targets = [f.target_path for f in m.files]
    assert len(targets) == len(set(targets)), "a file is frozen twice"
    missing = wanted - set(targets)
    assert not missing, "in modules/ or drivers/ but not frozen: %s" % sorted(missing)
    extra = set(targets) - wanted
    assert not extra, "frozen but not wanted: %s" % sorted(extra)


def test_firmware_manifest_freezes_the_library_without_the_host_driver():
    m = manifest.load(ROOT / "firmware" / "manifest.py")
    assert_freezes_exactly(m, frozen_library() - UNIX_ONLY)
    assert m.external == []


def test_unix_manifest_is_board_style_and_freezes_the_whole_library():
    # make firmware-unix: the port's own manifest first, then the library with the host driver
    m = manifest.load(UNIX_MANIFEST)
    assert m.external == [("include", "$(PORT_DIR)/variants/standard/manifest.py")]
    assert_freezes_exactly(m, frozen_library())
    assert m.version == manifest.load(ROOT / "firmware" / "manifest.py").version


def test_firmware_manifest_metadata_has_a_version():
    meta = manifest.load(ROOT / "firmware" / "manifest.py").meta
    assert meta["version"] and meta["description"]
    parts = meta["version"].split(".")
    assert len(parts) == 3 and all(p.isdigit() for p in parts), meta["version"]


@pytest.mark.parametrize("path", BOARD_MANIFESTS, ids=lambda p: p.parent.name)
def test_board_manifest(path):
    m = manifest.load(path)
    # the port's own frozen modules first, then ours, then the board's name
    assert m.external == [("include", "$(PORT_DIR)/boards/manifest.py")]
    assert str(ROOT / "firmware" / "manifest.py") in m.included
    targets = {f.target_path for f in m.files}
    assert frozen_library() - UNIX_ONLY <= targets
    assert not UNIX_ONLY & targets, "an ESP32 board cannot use the unix port's pieces"
    assert "_board.py" in targets
    assert m.version == manifest.load(ROOT / "firmware" / "manifest.py").version


def test_every_manifest_file_compiles_with_mpy_cross(tmp_path):
    mpy_cross = build.find_mpy_cross()
    seen = set()
    for path in [ROOT / "firmware" / "manifest.py", UNIX_MANIFEST] + BOARD_MANIFESTS:
        for f in manifest.load(path).files:
            if f.full_path in seen:
                continue
            seen.add(f.full_path)
            out = tmp_path / (str(len(seen)) + ".mpy")
            r = subprocess.run([mpy_cross, "-o", str(out), "-s", f.target_path, f.full_path],
                               capture_output=True, text=True)
            assert r.returncode == 0, "%s: %s" % (f.full_path, r.stderr)
    assert len(seen) > len(frozen_library())  # the library plus each _board.py


def test_package_files_are_current_and_versions_agree():
    version = manifest.load(ROOT / "firmware" / "manifest.py").version
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "packages.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    files = sorted(ROOT.glob("package*.json"))
    assert {f.name for f in files} == {"package.json"} | {"package-%s.json" % p for p in packages.PARTS}
    for f in files:
        pj = json.loads(f.read_text())
        assert pj["version"] == version, f.name
        for target, url in pj["urls"]:
            assert (ROOT / url).is_file(), "%s: %s does not exist" % (f.name, url)
            assert not url.startswith(("/", "..")), url


def test_whole_package_lists_the_library():
    pj = json.loads((ROOT / "package.json").read_text())
    assert {t for t, _ in pj["urls"]} == frozen_library()


def test_part_packages_carry_what_they_import():
    tops = packages.library()
    need = packages.closure("sfnet", tops)
    assert need[0] == "sfnet" and "socket" in need
    assert "socket" in packages.closure("wireless", tops)
    pj = json.loads((ROOT / "package-socket.json").read_text())
    assert sorted(pj["urls"]) == sorted(
        [[n, "modules/" + n] for n in ("socket.py", "_socket_units.py", "_socket_ms.py", "_socket_s.py",
                                       "_dnsclient.py", "_netcore.py", "_bytesbuf.py",
                                       "_port_unix.py", "_port_lwip.py")])
    # the router, both views, the resolver, the read buffer, both port adapters


# -- the evaluator itself --------------------------------------------------------------

def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_evaluator_rules(tmp_path):
    write(tmp_path / "lib" / "a.py", "x = 1\n")
    write(tmp_path / "lib" / "pkg" / "__init__.py", "")
    write(tmp_path / "lib" / "pkg" / "b.py", "")
    write(tmp_path / "sub" / "manifest.py",
          'metadata(version="1.2.3")\nmodule("a.py", base_path="../lib")\n'
          'package("pkg", base_path="../lib")\nrequire("ssl")\n')
    top = write(tmp_path / "manifest.py",
                'include("sub")\ninclude("$(PORT_DIR)/boards/manifest.py")\n'
                'if options.extra:\n    module("nope.py")\n')
    m = manifest.load(top)
    assert [f.target_path for f in m.files] == ["a.py", "pkg/__init__.py", "pkg/b.py"]
    assert m.version == "1.2.3"
    assert ("require", "ssl") in m.external
    assert ("include", "$(PORT_DIR)/boards/manifest.py") in m.external


@pytest.mark.parametrize("text, message", [
    ('metadata(version="1")\nmetadata(version="2")\n', "duplicate call to metadata()"),
    ('module("missing.py")\n', "no such file"),
    ('package("missing")\n', "no such directory"),
    ('module("data.txt")\n', "needs a .py file"),
    ('include("nowhere")\n', "include of missing manifest"),
    ('freeze_all()\n', "NameError"),
])
def test_evaluator_errors(tmp_path, text, message):
    write(tmp_path / "data.txt", "")
    with pytest.raises(manifest.ManifestError, match=message.replace("(", r"\(").replace(")", r"\)")):
        manifest.load(write(tmp_path / "manifest.py", text))
