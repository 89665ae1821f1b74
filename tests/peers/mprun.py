"""Run a MicroPython mptest script from a host test, against peers the host test
started itself (their addresses go in as sys.argv). Reuses the device harness: the
same binary, the same frozen layout (built privately here, so parallel pytest runs do
not race on build/), the same @@@ output protocol.

    res = mprun.run(SCRIPTS / "http_peers.py", ["127.0.0.1", "8080"], variant="mpy")
    mprun.check(res, "test_chunked")      # fails the pytest test with the MicroPython traceback
"""

import ast
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for p in (ROOT / "tools", ROOT / "tests"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import build  # noqa: E402  (tools/build.py)
import unix_firmware  # noqa: E402  (tools/unix_firmware.py)
from harness.device import (  # noqa: E402
    FROZEN_BITS, VARIANTS, ScriptResult, micropython_binary, script_headers,
)

SCRIPTS = Path(__file__).resolve().parent / "mpscripts"
_tmp = None
_libs = {}
_cache = {}


def lib(variant):
    global _tmp
    if variant not in _libs:
        if _tmp is None:
            _tmp = tempfile.TemporaryDirectory(prefix="mprun-")
        out = Path(_tmp.name) / variant
        build.build(out, compile_mpy=(variant == "mpy"))
        _libs[variant] = out
    return _libs[variant]


def binary_and_lib(variant):
    """(MicroPython binary, the library's MICROPYPATH entries) for a variant: the frozen
    variants run the firmware image with nothing else on the path that holds the
    library, so it can only come from the image (as in tests/harness/device.py)."""
    if variant in FROZEN_BITS:
        try:
            return str(unix_firmware.build(FROZEN_BITS[variant])), []
        except unix_firmware.FirmwareUnavailable as exc:
            import pytest

            pytest.skip("no %s firmware on this machine: %s" % (variant, exc))
    return micropython_binary(), [str(lib(variant))]


def script_tests(script):
    tree = ast.parse(Path(script).read_text())
    return [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")]


def run(script, args=(), variant="py", timeout=None, cwd=None, path=()):
    """Run the script once per (script, args, variant); later calls get the cached result.
    `path`: more directories for MICROPYPATH (stock libraries), searched after ours and
    before the binary's frozen modules."""
    key = (str(script), tuple(args), variant, tuple(map(str, path)))
    if key in _cache:
        return _cache[key]
    headers = script_headers(Path(script))
    timeout = timeout or float(headers.get("timeout", 120))
    binary, libpath = binary_and_lib(variant)
    cmd = [binary]
    # heapsize_py= (optional): the .py variant compiles the library's source in the
    # same heap, which leaves it fragmented; the .mpy variant is what a board runs
    heap = headers.get("heapsize_py") if variant == "py" else None
    heap = heap or headers.get("heapsize")
    if heap:
        cmd += ["-X", "heapsize=" + heap]
    cmd += [str(script)] + [str(a) for a in args]
    env = dict(os.environ)
    extra = [str(p) for p in path] + [".frozen"]
    env["MICROPYPATH"] = os.pathsep.join(libpath + [str(ROOT / "tests" / "lib")] + extra)
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout,
                              cwd=cwd or tempfile.gettempdir())
        res = ScriptResult(proc.stdout + proc.stderr, proc.returncode, False, time.monotonic() - start, timeout)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or ""
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
        res = ScriptResult(out, None, True, time.monotonic() - start, timeout)
    _cache[key] = res
    return res


def doc_examples(md_path):
    """The ```python blocks of a docs page, in order."""
    blocks = []
    current = None
    for line in Path(md_path).read_text().splitlines():
        if current is None and line.strip() == "```python":
            current = []
        elif current is not None and line.strip() == "```":
            blocks.append("\n".join(current) + "\n")
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def run_source(source, variant, cwd, timeout=60):
    """Run MicroPython source (a docs example) with the library; (exit code, output)."""
    path = Path(cwd) / "example.py"
    path.write_text(source)
    env = dict(os.environ)
    binary, libpath = binary_and_lib(variant)
    env["MICROPYPATH"] = os.pathsep.join(libpath + [str(ROOT / "tests" / "lib"), ".frozen"])
    proc = subprocess.run([binary, str(path)], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=str(cwd))
    return proc.returncode, proc.stdout + proc.stderr


def check(res, name):
    """Raise AssertionError with MicroPython's output unless test `name` passed."""
    outcome = res.outcomes.get(name)
    if outcome is None:
        raise AssertionError(res.describe_crash())
    kind, text = outcome
    if kind == "SKIP":
        import pytest

        pytest.skip(text or "skipped on device")
    if kind != "PASS":
        raise AssertionError("MicroPython %s failed:\n%s" % (name, text))


def params(script):
    """pytest parameters (variant, test name) for every test in a script."""
    return [(v, n) for v in VARIANTS for n in script_tests(script)]
