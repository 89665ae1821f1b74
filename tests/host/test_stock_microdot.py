"""microdot 1.3.4 from PyPI, unmodified, serves CPython clients from MicroPython over
the library's socket, sync and asyncio. Its `socket_read_timeout = 1` is seconds: a
client that pauses 100 ms mid-request still gets its reply (with the override's
milliseconds it got an empty one), and user code in the same process keeps ms."""

import os
import socket
import subprocess
import time

import pytest

from harness.device import micropython_binary
from peers import mprun, stocklib
from peers.servers import free_port

SCRIPT = mprun.SCRIPTS / "stock_microdot.py"



def _request(port, raw, pause=0.0):
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        head, _, rest = raw.partition(b"\r\n")
        s.sendall(head + b"\r\n")
        time.sleep(pause)  # the client pauses mid-request
        s.sendall(rest)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return data
            data += chunk


def _get(port, path, pause=0.0):
    return _request(port, b"GET %s HTTP/1.0\r\nHost: x\r\n\r\n" % path.encode(), pause)


@pytest.fixture(params=[(m, v) for m in ("sync", "asyncio") for v in mprun.VARIANTS],
                ids=lambda p: "%s-%s" % p)
def server(request):
    mode, variant = request.param
    port = free_port()
    env = dict(os.environ)
    env["MICROPYPATH"] = os.pathsep.join(
        [str(mprun.lib(variant)), str(stocklib.stage_pypi("microdot")), ".frozen"])
    proc = subprocess.Popen([micropython_binary(), str(SCRIPT), mode, str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("READY"), line + proc.stdout.read()
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=5).close()
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, proc.stdout.read()
                time.sleep(0.05)
        yield port, proc
    finally:
        if proc.poll() is None:
            try:
                _get(port, "/shutdown")
                proc.wait(10)
            except Exception:
                proc.kill()
                proc.wait()


def _body(reply):
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 200") or head.startswith(b"HTTP/1.1 200"), reply
    return body


def test_clients_pausing_100ms_all_get_their_reply(server):
    port, _ = server
    for i in range(20):
        assert _body(_get(port, "/hello/c%d" % i, pause=0.1)) == b"hello c%d" % i


def test_post_body_and_user_code_units(server):
    port, proc = server
    payload = bytes(range(256)) * 8
    reply = _request(port, b"POST /echo HTTP/1.0\r\nContent-Length: %d\r\n\r\n" % len(payload)
                     + payload, pause=0.1)
    assert _body(reply) == payload
    assert _body(_get(port, "/units")) == b"user=1500"
    _get(port, "/shutdown")  # microdot_asyncio may close before the "bye" goes out
    out = proc.communicate(timeout=30)[0]
    assert "STOPPED" in out, out
