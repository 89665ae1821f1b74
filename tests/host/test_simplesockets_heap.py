"""simplesockets echo server in ESP32-sized heaps: the 32-bit unix firmware with the
library frozen in (make firmware-unix: ESP32-sized objects, the bytecode outside the
heap, as on a board) runs tests/peers/mpscripts/ss_heap.py with `-X heapsize=...`, and
four CPython clients echo seeded random messages through it.
"""

import os
import random
import re
import socket
import subprocess
import threading

import pytest

from peers import mprun
import unix_firmware  # tools/unix_firmware.py (on the path through mprun)

SCRIPT = mprun.SCRIPTS / "ss_heap.py"
CLIENTS = 4


def _firmware32():
    try:
        return str(unix_firmware.build(32))
    except unix_firmware.FirmwareUnavailable as exc:  # only where gcc-multilib cannot be installed
        pytest.skip(str(exc))


def _start(heapsize, recv_buffer, serve_ms):
    env = dict(os.environ)
    env["MICROPYPATH"] = os.pathsep.join([str(mprun.ROOT / "tests" / "lib"), ".frozen"])
    proc = subprocess.Popen(
        [_firmware32(), "-X", "heapsize=" + heapsize, str(SCRIPT), str(recv_buffer),
         str(4 * recv_buffer), str(4 * recv_buffer), str(serve_ms)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    line = proc.stdout.readline()
    assert line.startswith("READY"), line + proc.stdout.read()
    return proc, ("127.0.0.1", int(line.split()[1])), int(line.split()[2])


def _finish(proc):
    out, _ = proc.communicate(timeout=60)
    m = re.search(r"^STATS (.*)$", out, re.M)
    assert proc.returncode == 0 and m, "server output:\n" + out
    stats = {k: int(v) for k, v in (w.split("=") for w in m.group(1).split())}
    stats["exc"] = re.findall(r"^EXC (.*)$", out, re.M)
    return stats


def _echo_client(address, seed, rounds, max_size, out, quit=False):
    rnd = random.Random(seed)
    sent = 0
    try:
        with socket.create_connection(address, timeout=20) as s:
            for _ in range(rounds):
                msg = rnd.randbytes(rnd.randint(1, max_size))
                s.sendall(msg)
                got = b""
                while len(got) < len(msg):
                    d = s.recv(65536)
                    if not d:
                        raise ConnectionError("closed by the server")
                    got += d
                assert got == msg, "echo differs (%d bytes sent, %d back)" % (len(msg), len(got))
                sent += len(msg)
            if quit:  # on this connection: the server may have no heap for another
                s.sendall(b"QUIT-SERVER")
        out[seed] = sent
    except Exception as e:  # noqa: BLE001 (reported by the test)
        out[seed] = e


def _run_clients(address, rounds, max_size):
    out = {}
    threads = [threading.Thread(target=_echo_client, args=(address, i, rounds, max_size, out))
               for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "a client hung"
    return out


def _quit(address):
    with socket.create_connection(address, timeout=5) as s:
        s.sendall(b"QUIT-SERVER")


def _echo_in(heapsize, recv_buffer, rounds):
    proc, address, free = _start(heapsize, recv_buffer, 60000)
    try:
        out = _run_clients(address, rounds, 3000)
        _quit(address)
        stats = _finish(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    bad = {k: v for k, v in out.items() if not isinstance(v, int)}
    assert not bad, bad
    total = sum(out.values())
    assert stats["echoed"] == total, (stats, total)
    assert stats["connects"] == CLIENTS + 1, stats
    assert stats["exceptions"] == 0, stats
    print("HEAP %s: %d clients, %d bytes echoed, free after setup %d, live heap %d -> peak %d of %d" % (
        heapsize, CLIENTS, total, free, stats["base"], stats["peak"], stats["heap"]))


def test_echo_server_4_clients_in_96k():
    _echo_in("96k", 512, 100)


def test_echo_server_4_clients_in_64k():
    _echo_in("64k", 256, 50)
