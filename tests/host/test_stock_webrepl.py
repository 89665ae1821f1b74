"""Stock WebREPL over the library's socket. Every ESP32 image freezes micropython-lib's
webrepl.py (bundle-networking), and it does `import socket`: with the library frozen
in, that is the library's socket. Here the unmodified webrepl.py runs on the firmware
from `make firmware-unix` (built with the real _webrepl and websocket C modules and
os.dupterm, as an ESP32 image is), in foreground mode, and a real WebSocket client
(websocket-client, CPython) uses it as webrepl_cli.py and the browser client do: the
HTML page for a plain HTTP request, the password, REPL input and output through
os.dupterm, and file transfers (put, get, version) in binary frames.

Only the frozen variants run it: the stock unix binary has no _webrepl or
os.dupterm. Normal mode (webrepl.start(), an accept callback through
setsockopt(SOL_SOCKET, 20, ...)) needs a port whose built-in calls callbacks (ESP32,
the lwIP ports); the unix built-in does not, so that path is tested against a
stand-in of ESP32's socket events in tests/device/test_socket_callback.py.
The script is tests/peers/mpscripts/stock_webrepl.py."""

import http.client
import os
import socket
import struct
import subprocess
import time

import pytest
import websocket  # websocket-client, pinned in requirements.txt

from harness.device import FROZEN_BITS
from peers import mprun, stocklib

SCRIPT = mprun.SCRIPTS / "stock_webrepl.py"
PASSWORD = "s3cret"
REQ = "<2sBBQLH64s"  # webrepl_cli.py's request record (struct webrepl_file in modwebrepl.c)
PUT_FILE, GET_FILE, GET_VER = 1, 2, 3
TIMEOUT = 30


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    """The MicroPython process, started with -i so its REPL follows the script."""

    def __init__(self, variant, cwd):
        binary, _ = mprun.binary_and_lib(variant)  # (frozen: the library is the image's)
        env = dict(os.environ)
        env["MICROPYPATH"] = os.pathsep.join([str(stocklib.stage()), str(mprun.ROOT / "tests" / "lib"), ".frozen"])
        for _ in range(5):
            self.port = _free_port()
            self.proc = subprocess.Popen([binary, "-i", str(SCRIPT), str(self.port), PASSWORD], env=env,
                                         cwd=str(cwd), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT)
            if self._listening():
                return
            out = self.finish()
            if "EADDRINUSE" not in out:
                raise AssertionError("webrepl did not start:\n" + out)
        raise AssertionError("no free port for webrepl after 5 tries")

    def _listening(self):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                # a TCP handshake the listener completes alone: its accept() then sees a
                # connection that sends nothing and closes, which webrepl answers with the page
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as probe:
                    probe.sendall(b"GET / HTTP/1.0\r\n\r\n")
                    while probe.recv(4096):
                        pass
                return True
            except OSError:
                time.sleep(0.05)
        return False

    def finish(self):
        try:
            out, _ = self.proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
            out += b"\n[killed: still running %d s after the client closed]" % TIMEOUT
        return out.decode(errors="replace")


class Client:
    """websocket-client, with webrepl_cli.py's reads: text up to a marker, binary by size."""

    def __init__(self, port):
        self.ws = websocket.create_connection("ws://127.0.0.1:%d/" % port, timeout=TIMEOUT)
        self.binary = b""

    def text_until(self, marker):
        got = ""
        while marker not in got:
            opcode, data = self.ws.recv_data()
            assert opcode == websocket.ABNF.OPCODE_TEXT, "wanted text, got opcode %d: %r" % (opcode, data)
            got += data.decode()
        return got

    def read(self, n):
        while len(self.binary) < n:
            opcode, data = self.ws.recv_data()
            assert opcode == websocket.ABNF.OPCODE_BINARY, "wanted binary, got opcode %d: %r" % (opcode, data)
            self.binary += data
        out, self.binary = self.binary[:n], self.binary[n:]
        return out

    def repl(self, line):
        self.ws.send(line + "\r")
        return self.text_until(">>> ")

    def request(self, op, name=b"", size=0):
        rec = struct.pack(REQ, b"WA", op, 0, 0, size, len(name), name)
        self.ws.send_binary(rec[:10])  # in two frames, as webrepl_cli.py sends it
        self.ws.send_binary(rec[10:])

    def response(self):
        sig, code = struct.unpack("<2sH", self.read(4))
        assert sig == b"WB", sig
        return code


@pytest.fixture(params=sorted(FROZEN_BITS))
def session(request, tmp_path):
    s = Session(request.param, tmp_path)
    yield s
    if s.proc.poll() is None:
        s.proc.kill()
        s.proc.communicate()


def test_stock_webrepl_serves_the_page_the_repl_and_files(session, tmp_path):
    page = http.client.HTTPConnection("127.0.0.1", session.port, timeout=TIMEOUT)
    page.request("GET", "/")
    r = page.getresponse()
    body = r.read()
    page.close()
    assert r.status == 200, r.status
    assert b'<base href="https://micropython.org/webrepl/">' in body, body
    assert b"webrepl_content.js" in body, body

    c = Client(session.port)
    assert c.text_until("Password: ") == "Password: "
    c.ws.send(PASSWORD + "\r")
    assert "WebREPL connected" in c.text_until(">>> ")

    assert "42" in c.repl("print(6 * 7)").splitlines()[1]
    out = c.repl("print('x' * 4000)")
    assert "x" * 4000 in out and "x" * 4001 not in out, len(out)
    # the REPL runs on the board's side of the same socket layer
    out = c.repl("import socket; print(socket.socket()._UNIT, socket.SOL_SOCKET > 0)")
    assert "ms True" in out, out

    c.request(GET_VER)
    assert len(c.read(3)) == 3

    data = bytes((i * 31 + 7) & 0xFF for i in range(20000))
    c.request(PUT_FILE, b"put.bin", len(data))
    assert c.response() == 0
    for i in range(0, len(data), 1024):
        c.ws.send_binary(data[i:i + 1024])
    assert c.response() == 0
    assert (tmp_path / "put.bin").read_bytes() == data

    back = bytes((i * 17 + 1) & 0xFF for i in range(10000))
    (tmp_path / "get.bin").write_bytes(back)
    c.request(GET_FILE, b"get.bin")
    assert c.response() == 0
    got = b""
    while True:
        c.ws.send_binary(b"\0")
        (sz,) = struct.unpack("<H", c.read(2))
        if sz == 0:
            break
        got += c.read(sz)
    assert c.response() == 0
    assert got == back

    assert "still here" in c.repl("print('still here')")
    c.ws.close()
    out = session.finish()
    assert "webrepl socket: socket s" in out, out  # stock code got the seconds view
    assert "WebREPL connection from: ('127.0.0.1'," in out, out
    assert "Traceback" not in out.split("dupterm: EOF received")[0], out
    assert session.proc.returncode == 0, out


def test_stock_webrepl_refuses_a_wrong_password_and_closes(session):
    c = Client(session.port)
    assert c.text_until("Password: ") == "Password: "
    c.ws.send("not" + PASSWORD + "\r")
    assert "Access denied" in c.text_until("Access denied")
    # _webrepl reports EOF and os.dupterm detaches: the client sees the connection end,
    # with no REPL output before it
    with pytest.raises(websocket.WebSocketConnectionClosedException):
        while True:
            opcode, data = c.ws.recv_data()
            assert b">>>" not in data, data
    c.ws.close()
    out = session.finish()
    assert "dupterm: EOF received" in out, out
    assert "Traceback" not in out, out
    assert session.proc.returncode == 0, out
