"""Real CPython peers on loopback, started by the test session.

ScenarioServer: a TCP server whose behaviour per connection is chosen by the client's
first line, so an on-device test can ask for exactly the peer it needs:

    echo              echo everything until EOF, then close
    send N            send N pattern bytes, then close (FIN)
    send_rst N        send N pattern bytes, then reset (RST)
    rst               reset at once
    delay MS N        wait MS, send N pattern bytes, close
    sink MS           never read; hold the connection MS, then close
    count [N]         read N bytes (or until EOF), reply "<count> <sum of bytes>", close
    hold MS           read nothing, close after MS
    peer              reply with the client's address as the server sees it ("ip port")
    client PORT N     act as a client: connect to the caller's host at PORT, send N pattern
                      bytes, half-close, read the reply to EOF, then report on this
                      connection "ok <bytes received> <sum of bytes>" (or "error <why>")

The pattern is byte i = (i * 7 + 3) & 0xFF, so both sides can check every byte.
"""

import os
import socket
import ssl
import struct
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


_PERIOD = bytes(((i * 7 + 3) & 0xFF) for i in range(256))


def pattern(n, start=0):
    """Byte i is (i * 7 + 3) & 0xFF; the sequence repeats every 256 bytes."""
    start %= 256
    reps = (start + n) // 256 + 1
    return (_PERIOD * reps)[start:start + n]


def free_port():
    """A loopback TCP port that was free a moment ago (for peers that bind it themselves)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def read_command(conn):
    """The words of the client's first line (read byte by byte: nothing after it is consumed)."""
    line = b""
    while not line.endswith(b"\n"):
        chunk = conn.recv(1)
        if not chunk:
            break
        line += chunk
    return line.decode().split()


def _reset(conn):
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


class _Server:
    """A thread per connection; stop() closes everything."""

    def __init__(self, kind=socket.SOCK_STREAM):
        self.sock = socket.socket(socket.AF_INET, kind)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.address = self.sock.getsockname()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        try:
            self.sock.close()
        except OSError:
            pass


class _TcpServer(_Server):
    """Accepts in its thread and hands every connection to _handle in a thread of its own."""

    def __init__(self):
        super().__init__()
        self.sock.listen(64)
        self.sock.settimeout(0.2)

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()


class ScenarioServer(_TcpServer):

    def _handle(self, conn):
        conn.settimeout(30)
        try:
            words = read_command(conn)
            if not words:
                conn.close()
                return
            cmd, args = words[0], [int(w) for w in words[1:]]
            getattr(self, "do_" + cmd)(conn, *args)
        except (OSError, ValueError, AttributeError):
            try:
                conn.close()
            except OSError:
                pass

    def do_echo(self, conn):
        while True:
            data = conn.recv(65536)
            if not data:
                break
            conn.sendall(data)
        conn.close()

    def do_send(self, conn, n):
        conn.sendall(pattern(n))
        conn.close()

    def do_send_rst(self, conn, n):
        conn.sendall(pattern(n))
        time.sleep(0.05)  # let the data leave before the RST
        _reset(conn)

    def do_send_rst_after(self, conn, n, us):
        # The data, then an RST `us` microseconds later (busy-wait: sleep is too coarse),
        # to race the reset against the reader's poll and read.
        conn.sendall(pattern(n))
        end = time.perf_counter() + us / 1e6
        while time.perf_counter() < end:
            pass
        _reset(conn)

    def do_rst(self, conn):
        _reset(conn)

    def do_delay(self, conn, ms, n):
        time.sleep(ms / 1000)
        conn.sendall(pattern(n))
        conn.close()

    def do_trickle(self, conn, ms, n):
        # One byte every ms milliseconds, n times: a slow sender for total-deadline tests.
        for i in range(n):
            time.sleep(ms / 1000)
            conn.sendall(pattern(1, i))
        conn.close()

    def do_pieces(self, conn, n, piece, ms):
        # n pattern bytes in pieces of `piece`, ms milliseconds apart: a read that
        # must gather many arrivals into one result.
        data = pattern(n)
        for i in range(0, n, piece):
            if i:
                time.sleep(ms / 1000)
            conn.sendall(data[i:i + piece])
        conn.close()

    def do_line_pieces(self, conn, n, piece, ms):
        # One line of n b"L" bytes and its b"\n", sent as do_pieces sends.
        data = b"L" * n + b"\n"
        for i in range(0, len(data), piece):
            if i:
                time.sleep(ms / 1000)
            conn.sendall(data[i:i + piece])
        conn.close()

    def do_sink(self, conn, ms):
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        time.sleep(ms / 1000)
        conn.close()

    def do_hold(self, conn, ms):
        time.sleep(ms / 1000)
        conn.close()

    def do_peer(self, conn):
        ip, port = conn.getpeername()[:2]
        conn.sendall(b"%s %d\n" % (ip.encode(), port))
        conn.close()

    def do_client(self, conn, port, n):
        host = conn.getpeername()[0]
        try:
            with socket.create_connection((host, port), timeout=10) as c:
                c.sendall(pattern(n))
                c.shutdown(socket.SHUT_WR)
                got = bytearray()
                while True:
                    data = c.recv(65536)
                    if not data:
                        break
                    got += data
            conn.sendall(b"ok %d %d\n" % (len(got), sum(got) & 0xFFFFFFFF))
        except OSError as e:
            conn.sendall(b"error %s\n" % str(e).encode())
        conn.close()

    def do_count(self, conn, limit=-1):
        total = 0
        check = 0
        while total != limit:
            data = conn.recv(65536 if limit < 0 else min(65536, limit - total))
            if not data:
                break
            total += len(data)
            check = (check + sum(data)) & 0xFFFFFFFF
        conn.sendall(b"%d %d\n" % (total, check))
        conn.close()


class UdpEchoServer(_Server):
    def __init__(self):
        super().__init__(socket.SOCK_DGRAM)
        self.sock.settimeout(0.2)

    def _serve(self):
        while not self._stop.is_set():
            try:
                data, addr = self.sock.recvfrom(65535)
            except (socket.timeout, OSError):
                continue
            try:
                self.sock.sendto(data, addr)
            except OSError:
                pass


class _HttpHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.startswith("/bytes/"):
            body = pattern(int(self.path.rsplit("/", 1)[1]))
        else:
            body = b"hello from CPython http.server, path=" + self.path.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        reply = b"got %d bytes: " % len(body) + body
        self.send_response(201)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)


class HttpServer:
    def __init__(self, tls_context=None):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _HttpHandler)
        self.httpd.daemon_threads = True
        if tls_context is not None:
            self.httpd.socket = tls_context.wrap_socket(self.httpd.socket, server_side=True)
        self.address = self.httpd.server_address

    def start(self):
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def make_self_signed(directory):
    """A throwaway certificate for 127.0.0.1 made by openssl; returns (certfile, keyfile)."""
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )
    return cert, key


class TlsEchoServer(_TcpServer):
    def __init__(self, context):
        super().__init__()
        self.context = context

    def _handle(self, conn):
        try:
            conn.settimeout(30)
            tls = self.context.wrap_socket(conn, server_side=True)
            while True:
                data = tls.recv(65536)
                if not data:
                    break
                tls.sendall(data)
            tls.close()
        except (OSError, ssl.SSLError):
            conn.close()


class PeerSet:
    """Every standard peer, started once per test session."""

    def __init__(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="peers-")
        self.certfile, self.keyfile = make_self_signed(self._tmp.name)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.certfile, self.keyfile)
        self.scenario = ScenarioServer().start()
        self.udp_echo = UdpEchoServer().start()
        self.http = HttpServer().start()
        self.https = HttpServer(ctx).start()
        self.tls_echo = TlsEchoServer(ctx).start()

    def testenv_source(self):
        """The testenv module that on-device tests import to find their peers."""
        with open(self.certfile) as f:
            cert = f.read()
        lines = [
            "# generated by the test harness: where this run's peers listen",
            "HOST = %r" % self.scenario.address[0],
            "SCENARIO = %r" % (tuple(self.scenario.address),),
            "UDP_ECHO = %r" % (tuple(self.udp_echo.address),),
            "HTTP = %r" % (tuple(self.http.address),),
            "HTTPS = %r" % (tuple(self.https.address),),
            "TLS_ECHO = %r" % (tuple(self.tls_echo.address),),
            "CERT_PEM = %r" % cert,
        ]
        return "\n".join(lines) + "\n"

    def stop(self):
        for peer in (self.scenario, self.udp_echo, self.http, self.https, self.tls_echo):
            peer.stop()
        self._tmp.cleanup()
