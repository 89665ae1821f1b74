"""Stock micropython-lib modules (ntptime, requests, umqtt.simple, umqtt.robust),
unmodified from the vendored copy, keep their seconds over the library's socket, while
user code in the same MicroPython process keeps milliseconds. Real peers on loopback:
a CPython NTP responder, raw HTTP servers that answer late or stall, and mosquitto
(Debian), behind a proxy that holds the CONNACK 300 ms; the vendored aiohttp client
against a CPython HTTP server and a websocket echo server. The script is
tests/peers/mpscripts/stock_units.py."""

import os
import shutil
import socket
import struct
import subprocess
import threading
import time

import pytest

from peers import mprun, stocklib
from peers.servers import free_port

SCRIPT = mprun.SCRIPTS / "stock_units.py"
NTP_DELTA = 2208988800


def _serve(listener, handler, stop):
    listener.settimeout(0.2)
    while not stop.is_set():
        try:
            conn, _ = listener.accept()
        except OSError:
            continue
        threading.Thread(target=handler, args=(conn, stop), daemon=True).start()


def _tcp_server(handler, stop):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(16)
    threading.Thread(target=_serve, args=(ls, handler, stop), daemon=True).start()
    return ls, ls.getsockname()[1]


def _read_head(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk


def _slow_http(conn, stop):
    with conn:
        _read_head(conn)
        time.sleep(0.5)
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 13\r\n\r\nslow but fine")


def _stalled_http(conn, stop):
    with conn:
        _read_head(conn)
        stop.wait(30)  # never answers


def _plain_http(conn, stop):
    with conn:
        _read_head(conn)
        body = b"aiohttp says hi " * 64
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                     b"Connection: close\r\n\r\n%s" % (len(body), body))


def _recv_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def _ws_echo(conn, stop):
    """A minimal RFC 6455 echo server: the handshake, then every text/binary frame back."""
    import base64
    import hashlib

    with conn:
        head = b""
        while b"\r\n\r\n" not in head:
            head += conn.recv(4096)
        key = [ln.split(b":", 1)[1].strip() for ln in head.split(b"\r\n")
               if ln.lower().startswith(b"sec-websocket-key:")][0]
        accept = base64.b64encode(hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     b"Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n" % accept)
        try:
            while True:
                b0, b1 = _recv_exact(conn, 2)
                n = b1 & 0x7F
                if n == 126:
                    n = struct.unpack("!H", _recv_exact(conn, 2))[0]
                elif n == 127:
                    n = struct.unpack("!Q", _recv_exact(conn, 8))[0]
                mask = _recv_exact(conn, 4) if b1 & 0x80 else b"\0\0\0\0"
                payload = bytes(c ^ mask[i % 4] for i, c in enumerate(_recv_exact(conn, n)))
                op = b0 & 0x0F
                if op == 8:
                    conn.sendall(b"\x88\x00")
                    return
                hdr = bytes([0x80 | op, n]) if n < 126 else bytes([0x80 | op, 126]) + struct.pack("!H", n)
                conn.sendall(hdr + payload)
        except (EOFError, OSError):
            pass


def _ntp(sock, delay, stop):
    sock.settimeout(0.2)
    while not stop.is_set():
        try:
            _, addr = sock.recvfrom(512)
        except OSError:
            continue
        if delay is None:
            continue  # the silent server
        time.sleep(delay)
        reply = bytearray(48)
        reply[0] = 0x24  # LI 0, version 4, mode 4 (server)
        struct.pack_into("!I", reply, 40, int(time.time()) + NTP_DELTA)
        sock.sendto(reply, addr)


class Broker:
    """mosquitto on a fixed loopback port, restartable."""

    def __init__(self, tmp):
        self.port = free_port()
        self.conf = tmp / "mosquitto.conf"
        self.conf.write_text("listener %d 127.0.0.1\nallow_anonymous true\n" % self.port)
        self.proc = None
        self.start()

    def start(self):
        self.proc = subprocess.Popen([shutil.which("mosquitto"), "-c", str(self.conf)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("mosquitto did not start on port %d" % self.port)

    def restart(self):
        self.stop()
        self.start()

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None



def _pipe(src, dst, delay_first):
    try:
        first = True
        while True:
            data = src.recv(4096)
            if not data:
                break
            if first and delay_first:
                time.sleep(delay_first)  # hold the CONNACK
            first = False
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _delaying_proxy(broker):
    def handler(conn, stop):
        up = socket.create_connection(("127.0.0.1", broker.port), 5)
        threading.Thread(target=_pipe, args=(conn, up, 0), daemon=True).start()
        _pipe(up, conn, 0.3)

    return handler


def _control(broker):
    def handler(conn, stop):
        with conn:
            f = conn.makefile("rb")
            if f.readline().strip() == b"restart":
                broker.restart()
                conn.sendall(b"ok\n")

    return handler


@pytest.fixture(scope="module")
def peers(tmp_path_factory):
    if not shutil.which("mosquitto"):
        pytest.fail("mosquitto is missing: `make test` installs it as root (tools/install_peers.py)")
    stop = threading.Event()
    keep = []
    try:
        for ip, delay in (("127.0.0.1", 0.2), ("127.0.0.2", None)):
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                u.bind((ip, 123))  # ntptime's port is fixed
            except PermissionError:
                pytest.skip("binding UDP port 123 for the NTP responder needs root")
            keep.append(u)
            threading.Thread(target=_ntp, args=(u, delay, stop), daemon=True).start()
        broker = Broker(tmp_path_factory.mktemp("mqtt"))
        ports = []
        for handler in (_slow_http, _stalled_http, _delaying_proxy(broker), _plain_http, _ws_echo):
            ls, port = _tcp_server(handler, stop)
            keep.append(ls)
            ports.append(port)
        ports.insert(3, broker.port)
        ls, port = _tcp_server(_control(broker), stop)
        keep.append(ls)
        ports.append(port)
        yield ports
    finally:
        stop.set()
        if "broker" in locals():
            broker.stop()
        for s in keep:
            s.close()


@pytest.mark.parametrize("variant,name", mprun.params(SCRIPT))
def test_stock_modules_keep_seconds(peers, variant, name):
    res = mprun.run(SCRIPT, peers, variant=variant, path=[stocklib.stage()])
    mprun.check(res, name)


def test_docs_units_example_runs(tmp_path):
    doc = mprun.ROOT / "docs" / "socket.md"
    [example] = [b for b in mprun.doc_examples(doc) if "seconds_for" in b]
    code, out = mprun.run_source(example, "mpy", tmp_path)
    assert code == 0, out
    assert out.split() == ["s", "s", "ms"], out
