"""Shared plumbing for the sfnet interop tests against real SFML peers (pySFML and
C++ SFML): a private network namespace, and a MicroPython mptest script run inside it
with the library laid out as frozen (tests/peers/mprun.py's build, the harness binary).
"""

import contextlib
import os
import shutil
import subprocess
import time
import uuid

from peers import mprun
from harness.device import ScriptResult, micropython_binary

PYSFML_PYTHON = "/usr/bin/python3"


def pysfml_missing():
    """Why pySFML cannot run here, or None."""
    if not os.path.exists(PYSFML_PYTHON):
        return "no /usr/bin/python3 for Debian's python3-sfml"
    r = subprocess.run([PYSFML_PYTHON, "-c", "import sfml.network"], capture_output=True, text=True)
    if r.returncode:
        return "python3-sfml is not installed (tools/install_peers.py installs it as root)"
    return None


@contextlib.contextmanager
def netns():
    """Yield a command prefix that runs a process in a fresh network namespace with
    only loopback up (so peers that bind the wildcard address expose nothing), or []
    when namespaces are unavailable (not root): then everything runs on the host's
    loopback as usual."""
    if os.geteuid() != 0 or not shutil.which("ip"):
        yield []
        return
    name = "sfnet-%s" % uuid.uuid4().hex[:8]
    r = subprocess.run(["ip", "netns", "add", name], capture_output=True)
    if r.returncode:
        yield []
        return
    try:
        subprocess.run(["ip", "-n", name, "link", "set", "lo", "up"], check=True)
        yield ["ip", "netns", "exec", name]
    finally:
        subprocess.run(["ip", "netns", "del", name], capture_output=True)


def start_peer(cmd, timeout=10):
    """Start a peer that prints one READY line; return (process, words after READY)."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + timeout
    line = ""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("READY") or not line:
            break
    if not line.startswith("READY"):
        proc.kill()
        raise RuntimeError("peer %s did not start: %r %s" % (cmd, line, proc.stderr.read()))
    return proc, line.split()[1:]


def stop_peer(proc):
    proc.kill()
    proc.wait(5)
    for f in (proc.stdout, proc.stderr):
        f.close()


def run_mp(script, args=(), variant="py", prefix=(), timeout=60):
    """Run a MicroPython mptest script (inside `prefix`, e.g. a namespace); ScriptResult."""
    cmd = list(prefix) + [micropython_binary(), str(script)] + [str(a) for a in args]
    env = dict(os.environ)
    env["MICROPYPATH"] = os.pathsep.join([str(mprun.lib(variant)), str(mprun.ROOT / "tests" / "lib")])
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout,
                              cwd=str(mprun.ROOT))
        return ScriptResult(proc.stdout + proc.stderr, proc.returncode, False,
                            time.monotonic() - start, timeout)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or ""
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
        return ScriptResult(out, None, True, time.monotonic() - start, timeout)
