"""Load: echo servers on the MicroPython unix port (tests/peers/mpscripts/load_servers.py)
built on the project's socket with select.poll, on sfnet's TcpListener/SocketSelector
and on simplesockets' TCPServer, under 64 and 256 concurrent CPython clients on
loopback.

Every client connects, sends a seeded random payload of 1 B to 16 KB, reads its echo,
then holds the connection until every client has its echo (so the server really has
them all at once), half-closes and reads to EOF. Every byte is accounted for: each echo must equal what was sent, and the
server's byte counts must equal the sum over the clients.
"""

import os
import random
import re
import resource
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from peers import mprun
from harness.device import micropython_binary

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "peers" / "mpscripts" / "load_servers.py"
SEED = 64256


def _raise_fd_limit(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard), hard))


def _client(port, payload, barrier, out, i):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=60)
        with s:
            s.sendall(payload)
            got = bytearray()
            while len(got) < len(payload):
                data = s.recv(65536)
                if not data:
                    break
                got += data
            # every client holds its connection until all have their echo: then the
            # server really had them all at once
            barrier.wait(60)
            s.shutdown(socket.SHUT_WR)
            tail = s.recv(65536)
            if tail:
                got += tail
        out[i] = bytes(got)
    except Exception as e:  # reported by the test with the client's number
        barrier.abort()
        out[i] = e


def run_load(kind, clients, variant):
    _raise_fd_limit(4 * clients + 64)
    env = dict(os.environ)
    env["MICROPYPATH"] = os.pathsep.join([str(mprun.lib(variant)), str(ROOT / "tests" / "lib")])
    proc = subprocess.Popen([micropython_binary(), str(SCRIPT), kind, str(clients)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("READY"), line + proc.stdout.read()
        port = int(line.split()[1])
        rng = random.Random(SEED + clients)
        payloads = [rng.randbytes(rng.randint(1, 16384)) for _ in range(clients)]
        out = [None] * clients
        barrier = threading.Barrier(clients)
        t0 = time.monotonic()
        threads = [threading.Thread(target=_client, args=(port, payloads[i], barrier, out, i))
                   for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        elapsed = time.monotonic() - t0
        rest, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    m = re.search(r"^STATS (.*)$", rest, re.M)
    assert m, "server output:\n" + rest
    stats = {k: int(v) for k, v in (w.split("=") for w in m.group(1).split())}
    bad = [(i, r if isinstance(r, Exception) else "echo differs (%d of %d bytes)" % (len(r or b""), len(payloads[i])))
           for i, r in enumerate(out) if not isinstance(r, bytes) or r != payloads[i]]
    assert not bad, bad[:5]
    total = sum(len(p) for p in payloads)
    assert stats["bytes_in"] == total, (stats, total)
    assert stats["bytes_out"] == total, (stats, total)
    assert stats["clients"] == clients, stats
    assert stats["errors"] == 0, stats
    assert stats["peak"] == clients, stats  # all were connected at once
    print("LOAD %s[%s] clients=%d bytes=%d %.2fs heap_at_peak=%d (%d per client)" % (
        kind, variant, clients, total, elapsed, stats["heap_peak"], stats["heap_peak"] // clients))
    return stats


@pytest.mark.parametrize("variant", ["py", "mpy"])
@pytest.mark.parametrize("clients", [64, 256])
def test_socket_poll_server(clients, variant):
    run_load("socket", clients, variant)


@pytest.mark.parametrize("variant", ["py", "mpy"])
@pytest.mark.parametrize("clients", [64, 256])
def test_sfnet_listener_selector_server(clients, variant):
    run_load("sfnet", clients, variant)


@pytest.mark.parametrize("variant", ["py", "mpy"])
@pytest.mark.parametrize("clients", [64, 256])
def test_simplesockets_server(clients, variant):
    run_load("simplesockets", clients, variant)
