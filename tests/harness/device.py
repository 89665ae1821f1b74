"""pytest collection of on-device test scripts (tests/device/**/test_*.py).

Each script is plain MicroPython ending in `mptest.main(globals())`. Every test_*
function becomes one pytest item per variant:

    [py]        the library from .py sources, laid out as frozen (build/test-py)
    [mpy]       the library compiled by mpy-cross, the bytecode that gets frozen (build/test-mpy)
    [frozen64]  the library frozen into a 64-bit unix-port firmware (make firmware-unix)
    [frozen32]  the same, 32-bit: objects have an ESP32's sizes

[py] and [mpy] run on $MICROPYTHON with MICROPYPATH = testenv, build/test-<variant>,
tests/lib, .frozen. The frozen variants run on build/firmware-unix/micropython-{64,32}
(built once per session by tools/unix_firmware.py, cached) with MICROPYPATH = testenv,
tests/lib, .frozen: nothing else holds the library, so it can only come from the image.
A firmware that fails to build fails those items; only a 32-bit build this machine
cannot do (no root to install gcc-multilib) skips them, saying so. On a board
(--hw-port) only [py] and [mpy] exist: the board's firmware is what it is.
Scripts see the variant's library kind in the environment variable MPTEST_LIB
(py, mpy or frozen).

A script runs once per variant in a MicroPython unix-port subprocess; its items then
report their own result, and a failure shows the MicroPython traceback.

Script headers (comment lines at the top):
    # mptest: timeout=SECONDS     kill the script after this long (default 300)
    # mptest: hw                  needs a real board: only `make test-hw` runs it
    # mptest: heapsize=512K       run with this MicroPython heap (ESP32-like pressure)
    # mptest: heapsize_py=256K    the heap for the [py] variant, which compiles the library
    # mptest: not-on-board NAMES: REASON
                                  test functions (comma-separated, or *) that cannot run
                                  on a board: `make test-hw` skips them with REASON, e.g.
                                  they read the project's docs from the host's disk or
                                  allocate more than a board's heap

A script that needs a peer of its own defines it in the same file: a top-level
generator `host_peer()`, run in CPython on the host around each run (hostpeer.py).
"""

import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))

import build  # noqa: E402  (tools/build.py)
import unix_firmware  # noqa: E402  (tools/unix_firmware.py)
from peers.servers import PeerSet  # noqa: E402
from harness import hostpeer  # noqa: E402

VARIANTS = ("py", "mpy", "frozen64", "frozen32")
BOARD_VARIANTS = ("py", "mpy")
FROZEN_BITS = {"frozen64": 64, "frozen32": 32}
DEFAULT_TIMEOUT = 300
LINE = re.compile(r"^@@@ (PASS|FAIL|SKIP|DONE|END)\b ?(\S*) ?(.*)$")


def micropython_binary():
    found = os.environ.get("MICROPYTHON") or str(ROOT / ".venv" / "bin" / "micropython")
    if not os.path.exists(found):
        found = shutil.which("micropython")
    if not found:
        raise RuntimeError("no MicroPython unix binary: run `make venv` or set MICROPYTHON=/path")
    return found


NOT_ON_BOARD = re.compile(r"#\s*mptest:\s*not-on-board\s+([\w,*]+):\s*(.+)$")


def script_headers(path):
    headers = {}
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        m = NOT_ON_BOARD.match(line)
        if m:
            for name in m.group(1).split(","):
                headers.setdefault("not-on-board", {})[name] = m.group(2).strip()
            continue
        m = re.match(r"#\s*mptest:\s*(.*)", line)
        if m:
            for word in m.group(1).split():
                key, _, value = word.partition("=")
                headers[key] = value or True
    return headers


class Session:
    """Per-pytest-session state: staged libraries, peers, the testenv module, cached results."""

    def __init__(self, tmpdir):
        self.tmp = Path(tmpdir)
        self._libs = {}
        self._firmware = {}
        self._peers = None
        self._env_dir = None
        self.results = {}

    def lib(self, variant):
        if variant not in self._libs:
            out = ROOT / "build" / ("test-" + variant)
            build.build(out, compile_mpy=(variant == "mpy"))
            self._libs[variant] = out
        return self._libs[variant]

    def firmware(self, variant):
        """The frozen unix binary of a frozen variant, built once per session. Raises
        unix_firmware.FirmwareUnavailable (skip) or BuildError (fail), every time."""
        if variant not in self._firmware:
            try:
                self._firmware[variant] = unix_firmware.build(FROZEN_BITS[variant])
            except (unix_firmware.FirmwareUnavailable, unix_firmware.BuildError) as exc:
                self._firmware[variant] = exc
            except Exception as exc:  # a manifest error, a missing tarball: fail
                self._firmware[variant] = unix_firmware.BuildError("%s: %s" % (type(exc).__name__, exc))
        found = self._firmware[variant]
        if isinstance(found, Exception):
            raise found
        return found

    def command_and_path(self, variant):
        """(MicroPython binary, MICROPYPATH entries) for a variant."""
        # ".frozen" keeps the binary's own frozen modules (asyncio, requests, ssl) importable,
        # as they are on a board.
        if variant in FROZEN_BITS:
            return str(self.firmware(variant)), [str(self.env_dir()), str(ROOT / "tests" / "lib"), ".frozen"]
        return micropython_binary(), [str(self.env_dir()), str(self.lib(variant)),
                                      str(ROOT / "tests" / "lib"), ".frozen"]

    def env_dir(self):
        if self._env_dir is None:
            self._peers = PeerSet()
            self._env_dir = self.tmp / "testenv"
            self._env_dir.mkdir()
            (self._env_dir / "testenv.py").write_text(self._peers.testenv_source())
        return self._env_dir

    def close(self):
        if self._peers:
            self._peers.stop()

    def run_script(self, path, variant):
        key = (path, variant)
        if key in self.results:
            return self.results[key]
        headers = script_headers(path)
        timeout = float(headers.get("timeout", DEFAULT_TIMEOUT))
        binary, mpath = self.command_and_path(variant)
        peer = hostpeer.HostPeer(path) if hostpeer.has_peer(path) else None
        if peer is not None:  # the script's own peer (tests/harness/hostpeer.py)
            env_dir = self.tmp / ("peer-%s-%s" % (path.stem, variant))
            peer.start(env_dir)
            mpath = [str(env_dir)] + mpath
        cmd = [binary]
        # heapsize_py: the .py variant compiles the library in the heap (its qstr pool
        # doubles as names are interned), so it may start from a larger one
        heap = headers.get("heapsize_py") if variant == "py" else None
        heap = heap or headers.get("heapsize")
        if heap:
            cmd += ["-X", "heapsize=" + heap]
        cmd.append(str(path))
        env = dict(os.environ)
        env["MICROPYPATH"] = os.pathsep.join(mpath)
        env["MPTEST_LIB"] = "frozen" if variant in FROZEN_BITS else variant
        start = time.monotonic()
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True,
                                  timeout=timeout, cwd=str(self.tmp))
            output, code, timed_out = proc.stdout + proc.stderr, proc.returncode, False
        except subprocess.TimeoutExpired as exc:
            out = exc.stdout or ""
            if isinstance(out, bytes):
                out = out.decode(errors="replace")
            output, code, timed_out = out, None, True
        finally:
            if peer is not None:
                peer.finish()
        result = ScriptResult(output, code, timed_out, time.monotonic() - start, timeout)
        result.peer_error = peer.error if peer is not None else None
        self.results[key] = result
        return result


class ScriptResult:
    peer_error = None  # what the script's host_peer() reported after the run (hostpeer.py)

    def __init__(self, output, code, timed_out, elapsed, timeout):
        self.output = output
        self.code = code
        self.timed_out = timed_out
        self.elapsed = elapsed
        self.timeout = timeout
        self.outcomes = {}
        self.done = False
        current = None
        for line in output.splitlines():
            m = LINE.match(line)
            if m:
                kind, name, rest = m.groups()
                if kind == "FAIL":
                    current = name
                    self.outcomes[name] = ("FAIL", "")
                elif kind == "END":
                    current = None
                elif kind == "DONE":
                    self.done = True
                else:
                    self.outcomes[name] = (kind, rest)
                    current = None
            elif current:
                kind, text = self.outcomes[current]
                self.outcomes[current] = (kind, text + line + "\n")

    def describe_crash(self):
        if self.timed_out:
            head = "script killed after %.0f s (timeout)" % self.timeout
        else:
            head = "script ended (exit code %s) before reporting this test" % self.code
        return head + "\n--- MicroPython output ---\n" + self.output[-6000:]


class DeviceFailure(Exception):
    pass


class DeviceScript(pytest.File):
    def collect(self):
        tree = ast.parse(self.path.read_text(), filename=str(self.path))
        names = [n.name for n in tree.body
                 if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")]
        headers = script_headers(self.path)
        on_board = self.config.getoption("--hw-port", None)
        if hostpeer.has_peer(self.path):
            names.append(hostpeer.NAME)  # the peer's own checks, after the script
        for variant in BOARD_VARIANTS if on_board else VARIANTS:
            for name in names:
                item = DeviceTest.from_parent(self, name="%s[%s]" % (name, variant))
                item.func_name = name
                item.variant = variant
                if "hw" in headers:
                    item.add_marker(pytest.mark.hw)
                off_board = headers.get("not-on-board", {})
                item.off_board = off_board.get(name) or off_board.get("*")
                yield item


class DeviceTest(pytest.Item):
    func_name = None
    variant = None
    off_board = None  # why it cannot run on a board (# mptest: not-on-board), or None

    def runtest(self):
        if self.get_closest_marker("hw") and not self.config.getoption("--hw-port", None):
            pytest.skip("needs a real board: run `make test-hw PORT=...`")
        if self.off_board and self.config.getoption("--hw-port", None):
            pytest.skip("cannot run on a board: " + self.off_board)
        session = self.config._device_session
        try:
            result = session.run_script(self.path, self.variant)
        except unix_firmware.FirmwareUnavailable as exc:
            pytest.skip("no %s firmware on this machine: %s" % (self.variant, exc))
        except unix_firmware.BuildError as exc:
            raise DeviceFailure("the %s firmware did not build: %s" % (self.variant, exc))
        if self.func_name == hostpeer.NAME:
            if result.peer_error:
                raise DeviceFailure("the script's host_peer() failed after the run:\n" + result.peer_error)
            return
        outcome = result.outcomes.get(self.func_name)
        if outcome is None:
            raise DeviceFailure(result.describe_crash())
        kind, text = outcome
        if kind == "SKIP":
            pytest.skip(text or "skipped on device")
        if kind == "FAIL":
            raise DeviceFailure(text)
        if not result.done and result.code not in (0, None):
            raise DeviceFailure(result.describe_crash())

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, DeviceFailure):
            return "MicroPython (%s variant) %s:\n%s" % (self.variant, self.func_name, excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, "%s::%s[%s]" % (self.path.name, self.func_name, self.variant)


def is_device_script(path):
    return path.suffix == ".py" and path.name.startswith("test_") and "device" in path.parts


def start_session(config):
    config._device_tmp = tempfile.TemporaryDirectory(prefix="mptest-")
    config._device_session = Session(config._device_tmp.name)


def end_session(config):
    session = getattr(config, "_device_session", None)
    if session:
        session.close()
        config._device_tmp.cleanup()
