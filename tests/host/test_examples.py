"""The examples run as documented: `make run` loads the library as frozen .mpy."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from harness.device import micropython_binary  # noqa: E402


def test_make_run_demo(tmp_path):
    result = subprocess.run(["make", "-s", "run", "MPY_DIR=%s" % (tmp_path / "mpy")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for expected in ("TCP server listening on ('127.0.0.1',",
                     "server received 14 bytes: b'hello over TCP'",
                     "client got the reply: b'HELLO OVER TCP'",
                     "timed out after 250 ms",
                     "UDP: b'ping' from ('127.0.0.1',",
                     "UDP: b'pong' back from ('127.0.0.1',",
                     "done"):
        assert expected in out, "missing %r in:\n%s" % (expected, out)
    # Only compiled modules were on the path, as in frozen firmware.
    assert list((tmp_path / "mpy").glob("*.py")) == []
    assert (tmp_path / "mpy" / "socket.mpy").exists()


def test_micropython_override_env_is_honoured(tmp_path):
    # MICROPYTHON=/path selects the binary (a self-built or newer unix port).
    wrapper = tmp_path / "mp"
    wrapper.write_text("#!/bin/sh\necho wrapped >&2\nexec %s \"$@\"\n" % micropython_binary())
    wrapper.chmod(0o755)
    env = dict(os.environ, MICROPYTHON=str(wrapper))
    result = subprocess.run(["make", "-s", "run", "MPY_DIR=%s" % (tmp_path / "mpy")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "wrapped" in result.stderr
    assert "done" in result.stdout
