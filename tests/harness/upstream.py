"""MicroPython's own network test suites (the pinned copy in ../shared/vendor), run
against the stock built-in socket and against this library's override.

Single-instance scripts (tests/net_hosted, and the socket/select/ssl/tls scripts of
tests/extmod) run the way tests/run-tests.py runs them on the unix port: in their own
directory, `ulimit -n 1024` as MicroPython's CI sets it, unittest from micropython-lib
on the path, the output compared with the .exp file or else with CPython's output
(a unittest script passes on its own "OK"). Two-instance scripts (tests/multi_net) run
through the vendored tests/run-multitests.py itself: two unix-port instances, CPython
for the expected output, everything on 127.0.0.1. Each run has a network namespace of
its own (the scripts bind fixed ports).

Variants: "stock" (the binary's own modules only), "py" and "mpy" (our library from
.py sources or from mpy-cross output, first on the path), and "frozen" (the 64-bit
firmware of `make firmware-unix`: the library frozen in, with its `_netfast` C helpers,
as users flash it). These scripts are stock code,
so over the override they get the seconds view (issue 10) before they run: the
script is not modified, a prelude asks the socket router for it and then runs the
script in `__main__`'s globals.
"""

import os
import re
import resource
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import build  # noqa: E402  (tools/build.py)
import unix_firmware  # noqa: E402  (tools/unix_firmware.py)

VENDOR_TARBALL = ROOT.parent / "shared" / "vendor" / "micropython-1c3c2011.tar.xz"
UNPACKED = ROOT / "build" / "vendor"
TESTS = UNPACKED / "micropython" / "tests"
UNITTEST = UNPACKED / "micropython" / "lib" / "micropython-lib" / "python-stdlib" / "unittest"
# Only what the runs need: the tests, run-multitests' pyboard import, unittest.
WANTED = ("micropython/tests/", "micropython/tools/pyboard.py",
          "micropython/lib/micropython-lib/python-stdlib/unittest/")
SCRIPT_TIMEOUT = 60
VARIANTS = ("stock", "py", "mpy", "frozen")

# The scripts are stock code run as __main__: they get the seconds view (docs/socket.md).
SECONDS_PRELUDE = 'import socket; socket.seconds_for("__main__")'
# Runs the script named by argv[1] as __main__ (MicroPython's sys.argv is not assignable).
RUN_SCRIPT = ("import sys\n_f = sys.argv[1]\ndel sys.argv[0]\n"
              "exec(compile(open(_f).read(), _f, 'exec'), globals())\n")

# net_hosted scripts that connect to micropython.org: they need the internet.
NEEDS_INTERNET = ("connect_nonblock.py", "connect_nonblock_xfer.py", "connect_poll.py",
                  "ssl_getpeercert.py", "ssl_verify_callback.py")
EXTMOD_NAMES = re.compile(r"^(socket|select|ssl|tls)_.*\.py$")
UNITTEST_RAN = re.compile(rb"Ran \d+ tests$")
UNITTEST_OK = re.compile(rb"OK( \(skipped=\d+\))?$")


def micropython_binary():
    found = os.environ.get("MICROPYTHON") or str(ROOT / ".venv" / "bin" / "micropython")
    if not os.path.exists(found):
        raise RuntimeError("no MicroPython unix binary: run `make venv` or set MICROPYTHON=/path")
    return found


def binary(variant):
    """The unix port a variant runs on: for "frozen", the firmware with the library
    frozen in (built once, cached; unix_firmware.FirmwareUnavailable where it cannot be)."""
    if variant == "frozen":
        return str(unix_firmware.build(64))
    return micropython_binary()


def unpack():
    """Unpack the needed part of the vendored MicroPython under build/vendor (once)."""
    if not (TESTS / "run-multitests.py").exists() or not UNITTEST.exists():
        UNPACKED.mkdir(parents=True, exist_ok=True)
        with tarfile.open(VENDOR_TARBALL) as tar:
            members = [m for m in tar.getmembers() if m.name.startswith(WANTED)]
            tar.extractall(UNPACKED, members=members)
    return TESTS


def single_scripts():
    """[(script path, skip reason or None)] for the single-instance suites."""
    tests = unpack()
    out = [(p, "needs the internet: connects to micropython.org" if p.name in NEEDS_INTERNET
            else None) for p in sorted((tests / "net_hosted").glob("*.py"))]
    out += [(p, None) for p in sorted((tests / "extmod").glob("*.py"))
            if EXTMOD_NAMES.match(p.name)]
    out += [(p, "net_inet: needs the internet") for p in sorted((tests / "net_inet").glob("*.py"))]
    return out


def multi_scripts():
    return sorted((unpack() / "multi_net").glob("*.py"))


def lib_dir(variant):
    out = ROOT / "build" / ("upstream-" + variant)
    build.build(out, compile_mpy=(variant == "mpy"))
    return out


def micropypath(variant):
    """stock and frozen: the binary's frozen modules (and unittest); py/mpy: our library
    first."""
    parts = [".frozen", str(UNITTEST)]
    if variant not in ("stock", "frozen"):
        parts.insert(0, str(lib_dir(variant)))
    return os.pathsep.join(parts)


_NETNS = ["unshare", "-rn", "sh", "-c", 'ip link set lo up && exec "$0" "$@"']
_isolated = None


def isolated(cmd):
    """cmd in a network namespace of its own (a private loopback): the suites bind fixed
    ports (8000), which must not meet other runs on this machine. Plain cmd where
    namespaces are not allowed."""
    global _isolated
    if _isolated is None:
        try:
            _isolated = subprocess.run(_NETNS + ["true"], capture_output=True,
                                       timeout=30).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            _isolated = False
    return _NETNS + cmd if _isolated else cmd


def _ci_limits():
    # MicroPython's CI runs the suites under `ulimit -n 1024` (select_poll_fd relies on it).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(1024, hard), hard))


def _run(cmd, cwd, env=None):
    try:
        proc = subprocess.run(isolated(cmd), cwd=str(cwd), env=env, capture_output=True,
                              timeout=SCRIPT_TIMEOUT, preexec_fn=_ci_limits)
        return proc.stdout + proc.stderr, False
    except subprocess.TimeoutExpired as exc:
        return (exc.stdout or b"") + (exc.stderr or b""), True


_expected = {}


def expected_output(script):
    if script not in _expected:
        exp = Path(str(script) + ".exp")
        if exp.exists():
            _expected[script] = exp.read_bytes()
        else:
            _expected[script] = _run([sys.executable, script.name], script.parent)[0]
    return _expected[script].replace(b"\r\n", b"\n")


def run_single(script, variant):
    """-> (outcome, output): outcome is pass, fail, timeout or skip."""
    env = dict(os.environ, MICROPYPATH=micropypath(variant))
    if variant == "stock":
        cmd = [micropython_binary(), script.name]
    else:
        cmd = [binary(variant), "-c", SECONDS_PRELUDE + "\n" + RUN_SCRIPT, script.name]
    out, timed_out = _run(cmd, script.parent, env)
    if timed_out:
        return "timeout", out
    if out.strip() == b"SKIP":
        return "skip", out
    lines = out.splitlines()
    if len(lines) > 4 and lines[-4] == b"-" * 70 and UNITTEST_RAN.match(lines[-3]):
        return ("pass" if UNITTEST_OK.match(lines[-1]) else "fail"), out
    return ("pass" if out.replace(b"\r\n", b"\n") == expected_output(script) else "fail"), out


def launcher(variant, workdir):
    """An executable for run-multitests' `-t exec:PATH`: it is called as `PATH -c SCRIPT`
    and runs the unix port with this variant's path (and, over the override, the
    seconds prelude in front of the script)."""
    path = Path(workdir) / ("mp-" + variant)
    prelude = SECONDS_PRELUDE + "\n" if variant != "stock" else ""
    path.write_text(
        "#!/bin/sh\n"
        "MICROPYPATH='%s' exec '%s' \"$1\" '%s'\"$2\"\n"
        % (micropypath(variant), binary(variant), prelude.replace("'", "'\\''"))
    )
    path.chmod(0o755)
    return path


def run_multi(scripts, variant, workdir):
    """Run multi_net scripts through run-multitests.py -> ({name: outcome}, its output)."""
    unpack()
    exe = launcher(variant, workdir)
    results = Path(workdir) / ("results-" + variant)
    cmd = [sys.executable, str(Path(__file__).with_name("multitests_loopback.py")),
           str(TESTS / "run-multitests.py"), "-r", str(results),
           "-t", "exec:%s" % exe, "-t", "exec:%s" % exe] + [str(s) for s in scripts]
    env = dict(os.environ, MICROPY_CPYTHON3=sys.executable,
               MICROPY_MICROPYTHON=micropython_binary())
    proc = subprocess.run(isolated(cmd), cwd=str(TESTS), env=env, capture_output=True,
                          text=True, timeout=SCRIPT_TIMEOUT * len(scripts))
    outcomes = {}
    for line in proc.stdout.splitlines():
        m = re.match(r"^(\S+) on \S+: (pass|FAIL|skip)", line.strip())
        if m:
            outcomes[Path(m.group(1)).name] = m.group(2).lower()
    return outcomes, proc.stdout + proc.stderr


def test_report(variants=VARIANTS):
    """{variant: {suite/name: outcome}} for every suite (used by __main__)."""
    import tempfile

    report = {}
    for v in variants:
        res = {}
        for s, skip in single_scripts():
            res[s.parent.name + "/" + s.name] = "skip" if skip else run_single(s, v)[0]
        with tempfile.TemporaryDirectory() as d:
            for name, o in run_multi(multi_scripts(), v, d)[0].items():
                res["multi_net/" + name] = o
        report[v] = res
    return report


if __name__ == "__main__":
    # python tests/harness/upstream.py [stock py mpy]: a pass/fail table per variant.
    rep = test_report(sys.argv[1:] or VARIANTS)
    for v, res in rep.items():
        print("%s: %d pass of %d" % (v, sum(o == "pass" for o in res.values()), len(res)))
        for k in sorted(res):
            if res[k] != "pass":
                print("   %-8s %s" % (res[k], k))
