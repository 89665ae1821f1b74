"""tools/firmware.py: what it checks before building, and the build it would run.
(A real ESP-IDF build is not possible on this machine; docs/testing.md says so.)"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import firmware  # noqa: E402
import unix_firmware  # noqa: E402


def checkout(tmp_path, submodules=True, mpy_cross=True):
    mp = tmp_path / "micropython"
    (mp / "ports" / "esp32").mkdir(parents=True)
    (mp / "ports" / "esp32" / "Makefile").write_text("all:\n")
    (mp / "py").mkdir()
    (mp / "py" / "persistentcode.h").write_text("#define MPY_VERSION 6\n#define MPY_SUB_VERSION 3\n")
    if submodules:
        (mp / "lib" / "micropython-lib" / "micropython").mkdir(parents=True)
    if mpy_cross:
        (mp / "mpy-cross" / "build").mkdir(parents=True)
        (mp / "mpy-cross" / "build" / "mpy-cross").write_text("")
    return mp


def idf(tmp_path):
    d = tmp_path / "esp-idf"
    d.mkdir()
    return d


def found(name, path=None):
    return "/opt/bin/idf.py"


def missing(name, path=None):
    return None


def test_ready(tmp_path):
    mp = checkout(tmp_path)
    assert firmware.check(mp, {"IDF_PATH": str(idf(tmp_path))}, which=found) == []
    assert firmware.mpy_version_of_checkout(mp) == (6, 3)


def test_nothing_given():
    problems = firmware.check(None, {}, which=missing)
    assert len(problems) == 2
    assert "MICROPY_DIR is not set" in problems[0]
    assert "IDF_PATH is not set" in problems[1]


def test_not_a_checkout(tmp_path):
    (problem,) = firmware.check(tmp_path, {"IDF_PATH": str(idf(tmp_path))}, which=found)
    assert "is not a MicroPython checkout: ports/esp32/Makefile is missing" in problem


def test_submodules_and_mpy_cross(tmp_path):
    mp = checkout(tmp_path, submodules=False, mpy_cross=False)
    problems = firmware.check(mp, {"IDF_PATH": str(idf(tmp_path))}, which=found)
    assert "make -C %s/ports/esp32 submodules" % mp in problems[0]
    assert "make -C %s/mpy-cross" % mp in problems[1]


def test_idf_not_activated(tmp_path):
    mp = checkout(tmp_path)
    d = idf(tmp_path)
    (problem,) = firmware.check(mp, {"IDF_PATH": str(d)}, which=missing)
    assert "idf.py is not on PATH: run `. %s/export.sh`" % d in problem
    (problem,) = firmware.check(mp, {"IDF_PATH": str(tmp_path / "gone")}, which=found)
    assert "does not exist" in problem


def test_build_command_is_an_out_of_tree_board(tmp_path):
    cmd = firmware.make_command("WT32_ETH01", tmp_path / "mp", jobs=2)
    assert cmd == ["make", "-C", str(tmp_path / "mp" / "ports" / "esp32"),
                   "BOARD_DIR=%s" % (ROOT / "boards" / "WT32_ETH01"), "-j2"]
    assert firmware.built_image("WT32_ETH01", tmp_path / "mp") == \
        tmp_path / "mp" / "ports" / "esp32" / "build-WT32_ETH01" / "firmware.bin"


def test_cli_names_everything_missing(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "firmware.py"), "--board",
                        "WT32_ETH01", "--micropy-dir", str(tmp_path)],
                       capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert r.returncode == 2
    assert "cannot build firmware for WT32_ETH01 yet" in r.stderr
    assert "ports/esp32/Makefile is missing" in r.stderr
    assert "IDF_PATH is not set" in r.stderr


def ready_env(tmp_path):
    """An environment with ESP-IDF "activated": IDF_PATH and an idf.py on PATH."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "idf.py").write_text("#!/bin/sh\n")
    (bindir / "idf.py").chmod(0o755)
    return {"PATH": "%s:/usr/bin:/bin" % bindir, "IDF_PATH": str(idf(tmp_path))}


def test_cli_dry_run_when_ready(tmp_path):
    mp = checkout(tmp_path)
    env = ready_env(tmp_path)
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "firmware.py"), "--board",
                        "ESP32_GENERIC_S3", "--micropy-dir", str(mp), "--dry-run"],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "$ make -C %s BOARD_DIR=%s" % (
        mp / "ports" / "esp32", ROOT / "boards" / "ESP32_GENERIC_S3")


def test_make_firmware_without_a_checkout():
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    r = subprocess.run(["make", "-s", "firmware", "BOARD=WT32_ETH01"], cwd=ROOT,
                       capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode != 0
    assert "MICROPY_DIR is not set" in r.stderr
    assert "IDF_PATH is not set" in r.stderr
    r = subprocess.run(["make", "-s", "firmware", "BOARD=NOPE", "MICROPY_DIR=/tmp"], cwd=ROOT,
                       capture_output=True, text=True, env=env, timeout=60)
    assert "unknown board 'NOPE'" in r.stderr


# -- the manifest a build would use: never one that drops the port's own ----------------

def test_board_manifests_are_accepted():
    for board in ("WT32_ETH01", "ESP32_GENERIC", "ESP32_GENERIC_S3"):
        assert firmware.manifest_problems(ROOT / "boards" / board / "manifest.py") == []


def test_the_library_manifest_alone_is_refused():
    (problem,) = firmware.manifest_problems(ROOT / "firmware" / "manifest.py")
    assert "does not include the port's own manifest" in problem
    assert "_boot.py" in problem and "mip" in problem


def test_a_manifest_with_the_host_driver_is_refused(tmp_path):
    m = tmp_path / "manifest.py"
    m.write_text('include("$(PORT_DIR)/boards/manifest.py")\n'
                 'include(%r, host_driver=True)\n' % str(ROOT / "firmware"))
    (problem,) = firmware.manifest_problems(m)
    assert "freezes drivers/host.py" in problem


def test_cli_refuses_firmware_manifest_alone(tmp_path):
    mp = checkout(tmp_path)
    env = {"PATH": "/usr/bin:/bin", "IDF_PATH": str(idf(tmp_path))}
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "firmware.py"), "--board",
                        "ESP32_GENERIC", "--micropy-dir", str(mp), "--dry-run",
                        "--manifest", str(ROOT / "firmware" / "manifest.py")],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 2
    assert "refusing to build ESP32_GENERIC" in r.stderr
    assert "does not include the port's own manifest" in r.stderr
    assert "$ make" not in r.stdout
    # the same through make's FROZEN_MANIFEST=
    r = subprocess.run(["make", "-s", "firmware", "BOARD=ESP32_GENERIC", "MICROPY_DIR=%s" % mp,
                        "FROZEN_MANIFEST=firmware/manifest.py"], cwd=ROOT, capture_output=True,
                       text=True, env=dict(env, HOME="/tmp"), timeout=60)
    assert r.returncode != 0 and "does not include the port's own manifest" in r.stderr


def test_cli_passes_an_accepted_manifest_on(tmp_path):
    mp = checkout(tmp_path)
    mine = ROOT / "boards" / "ESP32_GENERIC" / "manifest.py"
    env = ready_env(tmp_path)
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "firmware.py"), "--board",
                        "ESP32_GENERIC", "--micropy-dir", str(mp), "--dry-run", "--manifest", str(mine)],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith("FROZEN_MANIFEST=%s" % mine)


def test_library_manifest_header_never_recommends_itself_alone():
    header = (ROOT / "firmware" / "manifest.py").read_text()
    assert "FROZEN_MANIFEST=$(pwd)/firmware/manifest.py" not in header
    assert "Do NOT pass this file alone as FROZEN_MANIFEST" in header


# -- make firmware-unix: the unix port with the library frozen in (tools/unix_firmware.py) --


def test_unix_cache_key_follows_manifest_inputs_and_flags(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "a.py").write_text("A = 1\n")
    m = tmp_path / "manifest.py"
    m.write_text('include("$(PORT_DIR)/variants/standard/manifest.py")\nmodule("a.py", base_path="lib")\n')
    key = unix_firmware.cache_key("t" * 64, ["X=1"], m)
    assert unix_firmware.cache_key("t" * 64, ["X=1"], m) == key
    (lib / "a.py").write_text("A = 2\n")  # a frozen source changed
    assert unix_firmware.cache_key("t" * 64, ["X=1"], m) != key
    key = unix_firmware.cache_key("t" * 64, ["X=1"], m)
    assert unix_firmware.cache_key("u" * 64, ["X=1"], m) != key  # another tarball
    assert unix_firmware.cache_key("t" * 64, ["X=2"], m) != key  # other flags
    m.write_text(m.read_text() + "# comment\n")  # the manifest itself
    assert unix_firmware.cache_key("t" * 64, ["X=1"], m) != key


def test_unix_32bit_flags():
    assert "CC=gcc -m32" in unix_firmware.make_flags(32, have_ffi=True)
    assert "MICROPY_PY_FFI=0" in unix_firmware.make_flags(32, have_ffi=True)
    assert "MICROPY_PY_FFI=0" not in unix_firmware.make_flags(64, have_ffi=True)
    assert "FROZEN_MANIFEST=%s" % unix_firmware.UNIX_MANIFEST in unix_firmware.make_flags(64, True)
    for bits in (64, 32):
        assert "-DMICROPY_PY_WEBREPL=1" in " ".join(unix_firmware.make_flags(bits, True))


def test_unix_32bit_without_multilib_skips_only_when_it_cannot_be_installed(monkeypatch):
    monkeypatch.setattr(unix_firmware, "can_compile", lambda args: False)
    with pytest.raises(unix_firmware.FirmwareUnavailable, match="gcc-multilib, which only root"):
        unix_firmware.check_compiler(32, is_root=False)
    with pytest.raises(unix_firmware.BuildError, match="should have installed"):
        unix_firmware.check_compiler(32, is_root=True)
    unix_firmware.check_compiler(64, is_root=False)  # 64-bit needs no multilib


def test_unix_missing_tarball_is_an_error(tmp_path):
    with pytest.raises(unix_firmware.BuildError, match="no micropython-.*tar.xz in"):
        unix_firmware.tarball(tmp_path)


def frozen_binary(bits):
    try:
        return str(unix_firmware.build(bits))
    except unix_firmware.FirmwareUnavailable as exc:
        pytest.skip(str(exc))


@pytest.mark.parametrize("bits", [64, 32])
def test_unix_firmware_freezes_the_library_next_to_the_ports_modules(bits, tmp_path):
    code = ("import sys, socket, sfnet.tcp, drivers.host, asyncio, requests, mip\n"
            "import os, _webrepl, websocket\n"  # what an ESP32 image has for WebREPL
            "assert os.dupterm\n"
            "print(sys.maxsize, socket.__file__, sfnet.tcp.__file__)\n")
    r = subprocess.run([frozen_binary(bits), "-c", code], capture_output=True, text=True,
                       env={"MICROPYPATH": ".frozen"}, cwd=str(tmp_path), timeout=60)
    assert r.returncode == 0, r.stderr
    maxsize, sock, tcp = r.stdout.split()
    assert int(maxsize) == (2 ** 63 - 1 if bits == 64 else 2 ** 31 - 1)
    assert (sock, tcp) == ("socket.py", "sfnet/tcp.py")  # names in the image, not files


def test_make_firmware_unix_is_cached():
    frozen_binary(64)
    r = subprocess.run(["make", "-s", "firmware-unix"], cwd=ROOT, capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr
    assert "build/firmware-unix/micropython-64" in r.stdout
    assert "building" not in r.stderr  # nothing changed since the build above


def test_flash_cost_of_each_frozen_file():
    sys.path.insert(0, str(ROOT / "bench"))
    import manifest
    import ram_budget

    frozen_binary(32)
    files = [f.target_path for f in manifest.load(ROOT / "firmware" / "manifest.py").files]
    rows = dict(ram_budget.flash_costs(unix_firmware.build_dir(32), files))
    assert set(rows) == set(files) | {"(qstrs shared by several library modules)"}
    assert all(b > 0 for b in rows.values()), rows
    assert rows["_socket_ms.py"] > rows["sfnet/__init__.py"] > rows["socket.py"]  # the router is tiny
    assert 30_000 < sum(rows.values()) < 200_000


def test_frozen_items_fail_when_the_firmware_does_not_build(tmp_path):
    # a harness that skipped here would turn a broken firmware build into a green CI
    (tmp_path / "conftest.py").write_text(
        "import sys\nsys.path.insert(0, %r)\nexec(open(%r).read())\n"
        % (str(ROOT / "tests"), str(ROOT / "tests" / "conftest.py")))
    (tmp_path / "device").mkdir()
    (tmp_path / "device" / "test_one.py").write_text(
        "import mptest\n\ndef test_ok():\n    pass\n\nmptest.main(globals())\n")
    env = dict(os.environ, VENDOR_DIR=str(tmp_path / "no-vendor"))
    r = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA",
                        "--rootdir", str(tmp_path), str(tmp_path)],
                       cwd=str(tmp_path), capture_output=True, text=True, timeout=300, env=env)
    out = r.stdout
    assert r.returncode == 1, out + r.stderr
    assert "PASSED device/test_one.py::test_ok[py]" in out
    assert "PASSED device/test_one.py::test_ok[mpy]" in out
    assert "FAILED device/test_one.py::test_ok[frozen64]" in out
    assert "FAILED device/test_one.py::test_ok[frozen32]" in out
    assert "the frozen64 firmware did not build" in out and "no micropython-*.tar.xz" in out
