"""Run device scripts on a board over mpremote (make test-hw), and two-instance tests.

With `pytest --hw-port PORT` every device script (tests/device/**) runs on the board at
PORT instead of the unix port; the items, variants and failure reports stay the same
(tests/harness/device.py). The board may be real hardware or tools/vboard.py.

Per script, over one mpremote serial connection for the whole session:
  soft reset (fresh heap and globals, as on a board after Ctrl-D), then
  sys.path[:0] = ['/mptest/env', '/mptest/<variant>', '/mptest/lib'], then the script,
  with a deadline from its `# mptest: timeout=` header (Ctrl-C when it expires).
The library variant, tests/lib and testenv are deployed once under /mptest by
tools/deploy.py (only changed files, verified by SHA-256). With MPTEST_HOST_IP set,
the board's testenv points at forwarders to the peers on that address
(tests/harness/forward.py), for a board that cannot reach 127.0.0.1.

Two-instance tests (tests/multi/test_*.py), in the manner of MicroPython's
run-multitests.py: the script defines instance0() and instance1() and ends with
`multitest.main(globals())` (tests/lib/multitest.py). Instance 0 runs on the board when
--hw-port is given, else on the unix port; instance 1 always runs on the unix port. The
host relays `multitest.globals()` values and broadcasts between them over stdin.
For a real board that reaches the host over Wi-Fi, set MPTEST_HOST_IP to the host's LAN
address: the unix instance then listens there instead of on 127.0.0.1.
"""

import io
import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from harness import device, forward, hostpeer

ROOT = device.ROOT
sys.path.insert(0, str(ROOT / "tools"))

import deploy  # noqa: E402  (tools/deploy.py)

BOARD_DIR = "/mptest"
MULTI_TIMEOUT = 60
RELAY = re.compile(r"^@@@ (SET|BROADCAST) (.*)$")


class BoardError(Exception):
    pass


class BoardSession(device.Session):
    """device.Session with run_script() executing on a board instead of the unix port."""

    def __init__(self, tmpdir, port):
        super().__init__(tmpdir)
        self.port = port
        self._transport = None
        self._deployed = set()
        self._board_env = None
        self._forwarders = []
        self.lock = threading.Lock()

    def board_env_dir(self):
        """testenv for the board: as the unix port's, or re-pointed at forwarders on
        MPTEST_HOST_IP when the board cannot reach 127.0.0.1 (tests/harness/forward.py)."""
        host = os.environ.get("MPTEST_HOST_IP")
        if not host:
            return self.env_dir()
        if self._board_env is None:
            source = (self.env_dir() / "testenv.py").read_text()
            text, self._forwarders = forward.forward_testenv(source, host)
            self._board_env = self.tmp / "testenv-board"
            self._board_env.mkdir()
            (self._board_env / "testenv.py").write_text(text)
        return self._board_env

    @property
    def transport(self):
        if self._transport is None:
            self._transport = deploy.connect(self.port)
        return self._transport

    def close(self):
        if self._transport is not None:
            try:
                self._transport.exit_raw_repl()
                self._transport.close()
            except Exception:
                pass
            self._transport = None
        for fw in self._forwarders:
            fw.stop()
        super().close()

    def _deploy(self, name, src):
        if name not in self._deployed:
            deploy.deploy(self.transport, src, BOARD_DIR + "/" + name, out=io.StringIO())
            self._deployed.add(name)

    def prepare(self, variant, extra_path=()):
        """Deploy what a script needs and soft-reset; return the sys.path prelude."""
        t = self.transport
        t.enter_raw_repl(soft_reset=True)  # also resyncs after a program that timed out
        todo = [(n, src) for n, src in (("env", self.board_env_dir()), ("lib", ROOT / "tests" / "lib"),
                                        (variant, self.lib(variant))) if n not in self._deployed]
        for name, src in todo:
            self._deploy(name, src)
        if todo:
            t.enter_raw_repl(soft_reset=True)  # forget the copy's globals
        paths = list(extra_path) + [BOARD_DIR + "/" + d for d in ("env", variant, "lib")]
        t.exec("import sys\nsys.path[:0] = %r\ndel sys" % (paths,))
        return t

    def start(self, source, variant, extra_path=()):
        """Soft reset, prelude, then submit `source` without waiting for its output."""
        t = self.prepare(variant, extra_path)
        t.exec_raw_no_follow(source)
        return t

    def collect(self, timeout, on_data=None):
        """Read a submitted program's stdout and stderr; (output, exit code, timed out)."""
        t = self.transport
        deadline = time.monotonic() + timeout
        buf = b""
        while buf.count(b"\x04") < 2:  # stdout \x04 stderr \x04
            if time.monotonic() > deadline:
                t.serial.write(b"\x03")  # interrupt it; the next soft reset cleans up
                return buf.replace(b"\x04", b"").decode(errors="replace"), None, True
            chunk = t.serial.read(max(1, t.serial.in_waiting))
            if chunk:
                if on_data and b"\x04" not in buf:
                    on_data(chunk.split(b"\x04")[0] if b"\x04" in chunk else chunk)
                buf += chunk
        out, err, _ = buf.split(b"\x04", 2)  # the ">" prompt after them is left for the next exec
        out, err = out.decode(errors="replace"), err.decode(errors="replace")
        return out + err, (1 if err else 0), False

    def run_script(self, path, variant):
        key = (path, variant)
        if key in self.results:
            return self.results[key]
        timeout = float(device.script_headers(path).get("timeout", device.DEFAULT_TIMEOUT))
        start = time.monotonic()
        peer = hostpeer.HostPeer(path) if hostpeer.has_peer(path) else None
        forwarders = []
        with self.lock:
            extra = ()
            try:  # (the peer is stopped whatever fails, its deploy included)
                if peer is not None:  # the script's own peer, reached as the shared ones are
                    env_dir = self.tmp / ("peer-" + path.stem)
                    env = peer.start(env_dir)
                    host = os.environ.get("MPTEST_HOST_IP")
                    if host:
                        envfile = env_dir / "peerenv.py"
                        text, forwarders = forward.forward_testenv(
                            envfile.read_text(), host, udp_names=[k for k in env if k.startswith("UDP")])
                        envfile.write_text(text)
                    # resync first: the last program's output may have taken the prompt
                    # that its next exec waits for (collect reads whole chunks)
                    self.transport.enter_raw_repl(soft_reset=False)
                    deploy.deploy(self.transport, env_dir, BOARD_DIR + "/peer", out=io.StringIO())
                    extra = (BOARD_DIR + "/peer",)
                self.start(path.read_bytes(), variant, extra)
                output, code, timed_out = self.collect(timeout)
            finally:
                for fw in forwarders:
                    fw.stop()
                if peer is not None:
                    peer.finish()
        result = device.ScriptResult(output, code, timed_out, time.monotonic() - start, timeout)
        result.peer_error = peer.error if peer is not None else None
        self.results[key] = result
        return result


def start_session(config):
    """Called from tests/conftest.py: with --hw-port, device scripts run on that board."""
    port = config.getoption("--hw-port", None)
    if port:
        config._device_session = BoardSession(config._device_tmp.name, port)


# -- two-instance tests --------------------------------------------------------------


def is_multi_script(path):
    return path.suffix == ".py" and path.name.startswith("test_") and "multi" in path.parts


class _Instance:
    """One running instance: its output lines arrive in self.lines, stdin via send()."""

    def __init__(self, index, where):
        self.index = index
        self.where = where
        self.lines = queue.Queue()
        self.output = []
        self.done = False
        self.code = None

    def send(self, line):
        raise NotImplementedError

    def finish(self, timeout):
        raise NotImplementedError


class _UnixInstance(_Instance):
    def __init__(self, index, session, path):
        super().__init__(index, "unix")
        env = dict(os.environ)
        env["MICROPYPATH"] = os.pathsep.join(
            [str(session.env_dir()), str(session.lib("mpy")), str(ROOT / "tests" / "lib")])
        self.proc = subprocess.Popen(
            [device.micropython_binary(), str(Path(path).resolve())], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=str(session.tmp))
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.proc.stdout:
            self.lines.put(raw.decode(errors="replace").rstrip("\r\n"))
        self.code = self.proc.wait()
        self.lines.put(None)

    def send(self, line):
        try:
            self.proc.stdin.write((line + "\n").encode())
            self.proc.stdin.flush()
        except OSError:
            pass  # it has already exited; its output says why

    def finish(self, timeout):
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return True
        return False


class _BoardInstance(_Instance):
    def __init__(self, index, session, path):
        super().__init__(index, "board")
        self.session = session
        session.lock.acquire()  # one program on the board at a time
        try:
            session.start(path.read_bytes(), "mpy")
        except Exception:
            session.lock.release()
            raise
        self.timed_out = False
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self):
        pending = [b""]

        def on_data(chunk):
            pending[0] += chunk
            *full, pending[0] = pending[0].split(b"\n")
            for raw in full:
                self.lines.put(raw.decode(errors="replace").rstrip("\r"))

        try:
            _, self.code, self.timed_out = self.session.collect(MULTI_TIMEOUT, on_data)
            if pending[0]:
                self.lines.put(pending[0].decode(errors="replace"))
        finally:
            self.session.lock.release()
            self.lines.put(None)

    def send(self, line):
        self.session.transport.serial.write((line + "\n").encode())

    def finish(self, timeout):
        self._thread.join(timeout)
        return self.timed_out or self._thread.is_alive()


def _host_ip():
    return os.environ.get("MPTEST_HOST_IP", "127.0.0.1")


def run_multi(session, path, board_session=None, timeout=MULTI_TIMEOUT):
    """Run both instances of a multitest script; return {index: ScriptResult}."""
    instances = []
    start = time.monotonic()
    if board_session is not None:
        instances.append(_BoardInstance(0, board_session, path))
    else:
        instances.append(_UnixInstance(0, session, path))
    instances.append(_UnixInstance(1, session, path))
    for inst in instances:
        inst.send("INSTANCE %d %s" % (inst.index, _host_ip() if inst.where == "unix" else "127.0.0.1"))
    deadline = start + timeout
    open_ = set(range(len(instances)))
    while open_ and time.monotonic() < deadline:
        for inst in instances:
            if inst.index not in open_:
                continue
            try:
                line = inst.lines.get(timeout=0.02)
            except queue.Empty:
                continue
            if line is None:
                open_.discard(inst.index)
                for other in instances:  # unblock anyone still waiting on it
                    if other.index in open_:
                        other.send("CLOSED")
                continue
            inst.output.append(line)
            m = RELAY.match(line)
            if m:  # values and barriers go to every other instance
                for other in instances:
                    if other is not inst:
                        other.send("%s %s" % m.groups())
    results = {}
    for inst in instances:
        timed_out = inst.finish(max(0.1, deadline - time.monotonic()))
        timed_out = timed_out or inst.index in open_
        while not inst.lines.empty():
            line = inst.lines.get()
            if line is not None:
                inst.output.append(line)
        results[inst.index] = (inst.where, device.ScriptResult(
            "\n".join(inst.output) + "\n", inst.code, timed_out, time.monotonic() - start, timeout))
    return results


class MultiScript(pytest.File):
    def collect(self):
        import ast

        tree = ast.parse(self.path.read_text(), filename=str(self.path))
        names = sorted(n.name for n in tree.body
                       if isinstance(n, ast.FunctionDef) and re.match(r"instance\d+$", n.name))
        if names != ["instance0", "instance1"]:
            raise BoardError("%s: a multitest defines instance0() and instance1()" % self.path)
        on_board = bool(self.config.getoption("--hw-port", None))
        for name in names:
            where = "board" if (name == "instance0" and on_board) else "unix"
            item = MultiTest.from_parent(self, name="%s[%s]" % (name, where))
            item.func_name = name
            yield item


class MultiTest(pytest.Item):
    func_name = None

    def runtest(self):
        session = self.config._device_session
        cache = session.results
        key = ("multi", self.path)
        if key not in cache:
            board = session if isinstance(session, BoardSession) else None
            timeout = float(device.script_headers(self.path).get("timeout", MULTI_TIMEOUT))
            cache[key] = run_multi(session, self.path, board, timeout)
        index = int(self.func_name[len("instance"):])
        where, result = cache[key][index]
        outcome = result.outcomes.get("test_" + self.func_name)
        if outcome is None:
            raise device.DeviceFailure("%s instance: %s" % (where, result.describe_crash()))
        kind, text = outcome
        if kind == "SKIP":
            pytest.skip(text or "skipped by the instance")
        if kind == "FAIL":
            raise device.DeviceFailure(text + "\n--- full output ---\n" + result.output[-3000:])

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, device.DeviceFailure):
            return "MicroPython multitest %s:\n%s" % (self.name, excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, "%s::%s" % (self.path.name, self.name)
