"""modules/simplesockets (MicroPython) against the PyPI `simplesockets` package (CPython)
in both directions, and a load test: 64 concurrent echo clients plus clients that
reset mid-message, all through one MicroPython server."""

import json
import os
import random
import resource
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peers import mprun  # noqa: E402

simplesockets = pytest.importorskip("simplesockets", reason="pinned in requirements.txt: run `make venv`")

SERVER = mprun.SCRIPTS / "ss_server.py"
CLIENT = mprun.SCRIPTS / "ss_client.py"


class MpServer:
    """The MicroPython echo server script, started for one test."""

    def __init__(self, variant, max_connections=0, idle_ms=0, recv_buffer=1024, nofile=None):
        env = dict(os.environ)

        def limit_descriptors():  # in the child, before exec: the kernel enforces it
            if nofile:
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

        env["MICROPYPATH"] = os.pathsep.join([str(mprun.lib(variant)), str(mprun.ROOT / "tests" / "lib")])
        self.proc = subprocess.Popen(
            [mprun.micropython_binary(), str(SERVER), str(max_connections), str(idle_ms), str(recv_buffer)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
            preexec_fn=limit_descriptors)
        line = self.proc.stdout.readline()
        assert line.startswith("READY"), line + self.proc.stdout.read()
        self.address = ("127.0.0.1", int(line.split()[1]))
        self.fds_at_start = int(line.split()[2])

    def cpu_seconds(self):
        """User + system CPU time the server process has used so far."""
        fields = Path("/proc/%d/stat" % self.proc.pid).read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def finish(self):
        """Ask the server to stop; return its statistics."""
        with socket.create_connection(self.address, timeout=5) as s:
            s.sendall(b"QUIT-SERVER")
            out, _ = self.proc.communicate(timeout=20)
        lines = [l for l in out.splitlines() if l.startswith("{")]
        assert self.proc.returncode == 0 and lines, out
        return json.loads(lines[-1])

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(params=mprun.VARIANTS)
def mp_server_factory(request):
    started = []

    def make(**kw):
        s = MpServer(request.param, **kw)
        started.append(s)
        return s

    yield make
    for s in started:
        s.kill()


def _pypi_client(address):
    c = simplesockets.TCPClient()
    c.setup(target_ip=address[0], target_port=address[1], recv_buffer=4096)
    assert c.connect(), c.return_exceptions()
    return c


def _wait(pred, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.01)
    return pred()


def test_pypi_client_to_micropython_server(mp_server_factory):
    srv = mp_server_factory()
    c = _pypi_client(srv.address)
    c.autorecv()
    assert c.send_data(b"hello from the original")
    assert _wait(lambda: c.event.new_data)
    got = c.return_recved_data()
    assert b"".join(r.response for r in got) == b"hello from the original"
    c.autorecv()  # toggle off before closing: the original spins on a closed socket
    stats = srv.finish()
    assert stats["connects"] == 2 and stats["exceptions"] == [], stats
    c.socket.close()


def test_max_connections_refuses_pypi_clients_cleanly(mp_server_factory):
    srv = mp_server_factory(max_connections=2)
    a = socket.create_connection(srv.address, timeout=5)
    b = socket.create_connection(srv.address, timeout=5)
    for s in (a, b):
        s.sendall(b"x")
        assert s.recv(10) == b"x"
    extra = _pypi_client(srv.address)
    extra.socket.settimeout(5)
    assert extra.socket.recv(100) == b"REFUSED\n"
    assert extra.socket.recv(100) == b"", "refused connection is closed, not left hanging"
    a.close()
    time.sleep(0.2)
    stats = srv.finish()  # the QUIT client takes the freed slot
    assert stats["refused"] == 1 and stats["exceptions"] == [], stats
    b.close()


def test_idle_clients_are_dropped(mp_server_factory):
    srv = mp_server_factory(idle_ms=300)
    s = socket.create_connection(srv.address, timeout=5)
    t0 = time.monotonic()
    assert s.recv(10) == b""
    assert 0.25 < time.monotonic() - t0 < 0.3 + 1.0
    stats = srv.finish()
    assert stats["disconnects"] >= 1


N_LIMITED = 24


def test_accept_failures_back_off_under_a_low_descriptor_limit(mp_server_factory):
    """The server runs out of descriptors (RLIMIT_NOFILE): accept() fails with EMFILE
    while clients wait. It must back off instead of spinning, keep a bounded list of
    the failures, and serve every waiting client once descriptors are free again."""
    srv = mp_server_factory(nofile=16)
    release = threading.Event()
    echoed = []
    errors = []

    def client(i):
        try:
            with socket.create_connection(srv.address, timeout=60) as s:
                msg = b"client %d" % i
                s.sendall(msg)
                got = b""
                while len(got) < len(msg):
                    d = s.recv(100)
                    if not d:
                        raise AssertionError("closed before the echo")
                    got += d
                assert got == msg, got
                echoed.append(i)
                release.wait(60)  # hold the descriptor until the test has looked
        except Exception as e:  # noqa: BLE001 (reported by the test)
            errors.append("client %d: %r" % (i, e))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(N_LIMITED)]
    for t in threads:
        t.start()
    try:
        last, stable_since = -1, time.monotonic()
        while time.monotonic() - stable_since < 1.5:  # until no more get served
            if len(echoed) != last:
                last, stable_since = len(echoed), time.monotonic()
            time.sleep(0.05)
        served = len(echoed)
        assert 0 < served < N_LIMITED, "the limit should let some, not all, in: %d" % served
        cpu0, t0 = srv.cpu_seconds(), time.monotonic()
        time.sleep(2.0)
        cpu = srv.cpu_seconds() - cpu0
        wall = time.monotonic() - t0
        # spinning on EMFILE takes a whole core; backing off takes almost nothing
        assert cpu < 0.5 * wall, "server used %.2f s CPU in %.2f s while clients waited" % (cpu, wall)
    finally:
        release.set()
    for t in threads:
        t.join(60)
    assert errors == [], errors[:5]
    assert sorted(echoed) == list(range(N_LIMITED)), "every waiting client served in the end"
    time.sleep(0.3)  # the held connections close: a descriptor for the QUIT client
    stats = srv.finish()
    assert stats["connects"] == N_LIMITED + 1, stats
    assert stats["clients_left"] == 0, stats
    assert 1 <= stats["accept_errors"] <= 60, stats  # a spinning accept fails thousands of times
    assert len(stats["exceptions"]) <= 32, stats  # bounded: the oldest are dropped and counted
    assert len(stats["exceptions"]) + stats["exceptions_dropped"] == stats["accept_errors"], stats
    assert all(e.startswith("OSError(24") for e in stats["exceptions"]), stats  # EMFILE
    print("EMFILE: %d of %d served at once, %d accept failures, %.2f s CPU in %.2f s" % (
        served, N_LIMITED, stats["accept_errors"], cpu, wall))


@pytest.fixture
def pypi_server():
    srv = simplesockets.TCPServer()
    srv.setup(ip="127.0.0.1", port=0, on_receive=lambda client, recved: client.send(recved.response.upper()))
    srv.start()
    yield srv
    srv.exit_accept()
    srv.socket.close()


@pytest.mark.parametrize("variant,name", mprun.params(CLIENT))
def test_micropython_client_to_pypi_server(pypi_server, variant, name):
    address = pypi_server.socket.getsockname()
    res = mprun.run(CLIENT, [address[0], address[1]], variant)
    mprun.check(res, name)
    assert pypi_server.recved_data, "the original server saw the data"


# -- load test

N_CLIENTS = 64
N_MESSAGES = 40
N_RUDE = 16


def _echo_client(address, seed, errors):
    rnd = random.Random(seed)
    try:
        with socket.create_connection(address, timeout=20) as s:
            for _ in range(N_MESSAGES):
                msg = rnd.randbytes(rnd.randint(1, 3000))
                s.sendall(msg)
                got = b""
                while len(got) < len(msg):
                    d = s.recv(65536)
                    if not d:
                        raise AssertionError("server closed the connection")
                    got += d
                if got != msg:
                    raise AssertionError("echo differs (%d bytes sent, %d back)" % (len(msg), len(got)))
    except Exception as e:  # noqa: BLE001 (reported by the test)
        errors.append("client %d: %r" % (seed, e))


def _rude_client(address):
    s = socket.create_connection(address, timeout=20)
    s.sendall(os.urandom(5000))  # half a "message", then a reset
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def test_load_64_clients_and_resets(mp_server_factory):
    srv = mp_server_factory(recv_buffer=1024)
    errors = []
    threads = [threading.Thread(target=_echo_client, args=(srv.address, i, errors)) for i in range(N_CLIENTS)]
    threads += [threading.Thread(target=_rude_client, args=(srv.address,)) for _ in range(N_RUDE)]
    random.Random(1).shuffle(threads)
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "clients hung"
    assert errors == [], errors[:5]
    # still alive and serving after the resets
    errors2 = []
    _echo_client(srv.address, 999, errors2)
    assert errors2 == []
    stats = srv.finish()
    # echoing to a client that has reset fails; send_data records it (and drops the client)
    unexpected = [e for e in stats["exceptions"] if "(104," not in e and "(32," not in e]
    assert unexpected == [] and len(stats["exceptions"]) <= N_RUDE, stats
    assert stats["connects"] == N_CLIENTS + N_RUDE + 2, stats
    assert stats["clients_left"] == 0, stats


DOC = mprun.ROOT / "docs" / "servers.md"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("index", range(len(mprun.doc_examples(DOC))))
def test_docs_examples_run(index, tmp_path):
    """Every example in docs/servers.md runs (port 9999 there becomes a free port)."""
    source = mprun.doc_examples(DOC)[index].replace("9999", str(_free_port()))
    code, out = mprun.run_source(source, "mpy", tmp_path, timeout=30)
    assert code == 0, out
    assert "b'hello'" in out or "[b'SHOUT']" in out, out
