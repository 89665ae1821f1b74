"""Faults on a real network path: two network namespaces joined by a veth pair, the
library (MicroPython unix port) in one, a CPython peer (tests/peers/fault_peers.py) in
the other, and the path broken mid-transfer from here: link down/up
(`ip link set`), 100% packet loss (netem where the kernel has it, else a tbf qdisc
whose bucket is smaller than any packet, which drops every packet), a peer that stops
reading, a peer that resets, a peer that half-closes.

The MicroPython script (tests/peers/mpscripts/fault_netns.py) asks for each fault by
printing "FAULT <action>" and waits for "ok" on stdin, so faults land at exact points.
Addresses are 10.77.1.1/24 and 10.77.1.2/24, only inside the namespaces made here;
everything is deleted afterwards, also on failure. Needs root (CI and this machine
are): elsewhere the tests skip with the reason.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest

from peers import mprun, sfnet_interop
from harness.device import ScriptResult, micropython_binary

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "peers" / "mpscripts" / "fault_netns.py"
PEER = ROOT / "tests" / "peers" / "fault_peers.py"
A_IP, B_IP = "10.77.1.1", "10.77.1.2"
TIMEOUT = 120


def _ip(*args, check=True):
    return subprocess.run(["ip"] + list(args), capture_output=True, text=True, check=check)


class Path2:
    """Namespaces a (library) and b (peer) joined by veth va <-> vb."""

    def __init__(self):
        tag = uuid.uuid4().hex[:6]
        self.a, self.b = "h7f-a-" + tag, "h7f-b-" + tag
        self.va, self.vb = "h7fa" + tag, "h7fb" + tag
        self.made = []
        self.loss_kind = None

    def create(self):
        for ns in (self.a, self.b):
            r = _ip("netns", "add", ns, check=False)
            if r.returncode:
                raise PermissionError("ip netns add failed: " + r.stderr.strip())
            self.made.append(ns)
        _ip("link", "add", self.va, "netns", self.a, "type", "veth", "peer", "name", self.vb, "netns", self.b)
        for ns, dev, addr in ((self.a, self.va, A_IP), (self.b, self.vb, B_IP)):
            _ip("-n", ns, "addr", "add", addr + "/24", "dev", dev)
            _ip("-n", ns, "link", "set", "lo", "up")
            _ip("-n", ns, "link", "set", dev, "up")
        self.loss_kind = self._probe_loss()

    def _tc(self, ns, *args):
        return subprocess.run(["ip", "netns", "exec", ns, "tc"] + list(args), capture_output=True, text=True)

    def _probe_loss(self):
        """Which qdisc can drop 100% here: netem, or tbf with a 10-byte bucket."""
        for kind in (("netem", "loss", "100%"), ("tbf", "rate", "8bit", "burst", "10", "limit", "1")):
            r = self._tc(self.a, "qdisc", "add", "dev", self.va, "root", *kind)
            if r.returncode == 0:
                self._tc(self.a, "qdisc", "del", "dev", self.va, "root")
                return kind
        return None

    def _wait_up(self):
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            out = _ip("-n", self.a, "-o", "route", "show", "dev", self.va).stdout
            if "10.77.1.0/24" in out:
                return
            time.sleep(0.05)
        raise RuntimeError("link did not come back: " + out)

    def act(self, action):
        if action == "linkdown":
            _ip("-n", self.a, "link", "set", self.va, "down")
        elif action == "linkup":
            _ip("-n", self.a, "link", "set", self.va, "up")
            self._wait_up()
        elif action == "loss":
            for ns, dev in ((self.a, self.va), (self.b, self.vb)):
                r = self._tc(ns, "qdisc", "add", "dev", dev, "root", *self.loss_kind)
                if r.returncode:
                    raise RuntimeError(r.stderr)
        elif action == "restore":
            for ns, dev in ((self.a, self.va), (self.b, self.vb)):
                self._tc(ns, "qdisc", "del", "dev", dev, "root")
            _ip("-n", self.a, "link", "set", self.va, "up")
            self._wait_up()
        else:
            raise ValueError(action)

    def destroy(self):
        for ns in self.made:
            _ip("netns", "del", ns, check=False)
        self.made = []


def run_script(path, port, variant):
    args = [micropython_binary(), str(SCRIPT), B_IP, str(port)]
    if path.loss_kind is None:
        args.append("noloss")
    env = dict(os.environ)
    # netutil imports testenv: here the only peer is the fault peer, given as arguments
    envdir = tempfile.mkdtemp(prefix="h7f-env-")
    Path(envdir, "testenv.py").write_text("HOST = %r\nSCENARIO = (%r, %d)\n" % (B_IP, B_IP, port))
    env["MICROPYPATH"] = os.pathsep.join([envdir, str(mprun.lib(variant)), str(ROOT / "tests" / "lib")])
    start = time.monotonic()
    proc = subprocess.Popen(["ip", "netns", "exec", path.a] + args, env=env, cwd=str(ROOT),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, bufsize=1)
    killed = []
    timer = threading.Timer(TIMEOUT, lambda: (killed.append(1), proc.kill()))
    timer.start()
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("FAULT "):
                try:
                    path.act(line.split()[1])
                    reply = "ok"
                except Exception as e:  # tell the script, so it fails instead of waiting
                    reply = "error %s" % e
                proc.stdin.write(reply + "\n")
                proc.stdin.flush()
        proc.wait()
    finally:
        timer.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(envdir, ignore_errors=True)
    return ScriptResult("".join(lines), proc.returncode, bool(killed), time.monotonic() - start, TIMEOUT)


def _why_not():
    if os.geteuid() != 0:
        return "network namespaces need root (run as root, as CI does)"
    if not shutil.which("ip"):
        return "no `ip` (iproute2) on this machine"
    return None


_results = {}


@pytest.fixture(scope="module")
def faults():
    why = _why_not()
    if why:
        pytest.skip(why)
    path = Path2()
    peer = None
    try:
        try:
            path.create()
        except PermissionError as e:
            pytest.skip("namespaces not permitted here: %s" % e)
        peer, words = sfnet_interop.start_peer(
            ["ip", "netns", "exec", path.b, sys.executable, str(PEER), B_IP])

        def result(variant):
            if variant not in _results:
                _results[variant] = run_script(path, int(words[0]), variant)
            return _results[variant]

        yield result
    finally:
        if peer is not None:
            sfnet_interop.stop_peer(peer)
        path.destroy()


@pytest.mark.parametrize("variant,name", mprun.params(SCRIPT))
def test_fault(faults, variant, name):
    mprun.check(faults(variant), name)

