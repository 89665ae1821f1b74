"""A raw-socket HTTP peer for the sfnet.Http tests: well-formed, chunked and broken
responses, chosen by the request path (CPython's http.server cannot send broken ones).

    /len/N          Content-Length body of N pattern bytes
    /close/N        HTTP/1.0, no length: N bytes then close
    /chunked/N      chunked body of N bytes in uneven chunks, with an extension and a trailer
    /tlen/N, /tclose/N, /tchunked/N   the same with a text body (pySFML cuts bodies at NUL)
    /status/C       status C, short body (no body for 204/304)
    /echo           the raw request (head and body) as the body
    /continue       100 Continue, then 200 with a body
    /folded         a header continued on the next line (obsolete folding)
    /head/N         like /len/N; answers HEAD with the headers only
    /bad-status     not an HTTP status line
    /bad-version    "HTTP/x.y" with letters
    /bad-header     a header line without a colon
    /bad-length     Content-Length: abc
    /bad-chunk      a chunk size that is not hex
    /short/N        announces N bytes, sends N/2, closes
    /short-chunked  closes in the middle of a chunk
    /huge-header    one 20 KB header line
    /garbage        binary junk, then close
    /empty          closes without a byte
    /rst/N          N/2 of N bytes, then a reset
    /slow-head      waits 3 s before answering
    /drip           one body byte every 100 ms for 10 s (a per-read timeout never fires)
    /gzip-te        Transfer-Encoding: gzip (unsupported)
    /gzip-chunked   Transfer-Encoding: gzip, chunked (a body still compressed: unsupported)
    /code/C         status line with the 3 digits C (e.g. 099, 600), Content-Length 2
    /seg-len/N      Content-Length body of N pattern bytes, sent 1 byte per send (TCP_NODELAY)
    /seg-close/N    the same without a length, ended by close
    /seg-chunked/N  N pattern bytes as 1-byte chunks, one chunk per send
    /seg-all/N      the whole response (a 100 Continue, 20 headers, a chunked body of N
                    pattern bytes, a trailer) 1 byte per send
"""

import socket
import struct
import threading
import time

from .servers import pattern


def text(n):
    line = b"The quick brown fox jumps over the lazy dog 0123456789.\n"
    return (line * (n // len(line) + 1))[:n]


def _response(status, body=b"", headers=(), version="1.1", reason="OK"):
    head = "HTTP/%s %d %s\r\n" % (version, status, reason)
    for k, v in headers:
        head += "%s: %s\r\n" % (k, v)
    return head.encode() + b"\r\n" + body


def _chunked(body, sizes=(1, 7, 300, 4096, 13)):
    out = b""
    i = 0
    k = 0
    while i < len(body):
        n = sizes[k % len(sizes)]
        part = body[i:i + n]
        ext = ";name=value" if k == 1 else ""
        out += b"%x%s\r\n" % (len(part), ext.encode()) + part + b"\r\n"
        i += n
        k += 1
    return out + b"0\r\nX-Trailer: yes\r\n\r\n"


class RawHttpServer:
    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.address = self.sock.getsockname()
        self._stop = threading.Event()
        self.requests = []  # raw request heads seen, for the defaults tests

    def start(self):
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def stop(self):
        self._stop.set()
        self.sock.close()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    @staticmethod
    def _read_request(conn):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                return None, None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            k, _, v = line.partition(b":")
            if k.strip().lower() == b"content-length":
                length = int(v.strip())
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        return head, body

    def _handle(self, conn):
        conn.settimeout(30)
        try:
            head, body = self._read_request(conn)
            if head is None:
                return
            self.requests.append(head)
            method, path = head.split(b" ")[:2]
            method = method.decode()
            path = path.decode()
            parts = path.strip("/").split("/")
            name = parts[0]
            arg = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
            out = self._answer(conn, method, name, arg, head, body)
            if out is not None:
                conn.sendall(out)
            conn.shutdown(socket.SHUT_WR)
            time.sleep(0.05)
        except OSError:
            pass
        finally:
            conn.close()

    def _answer(self, conn, method, name, arg, head, body, pattern=pattern):
        if name in ("tlen", "tclose", "tchunked"):
            return self._answer(conn, method, name[1:], arg, head, body, text)
        if name == "len":
            return _response(200, pattern(arg), [("Content-Length", arg), ("Content-Type", "application/octet-stream")])
        if name == "close":
            return _response(200, pattern(arg), [("Server", "raw")], version="1.0")
        if name == "chunked":
            return _response(200, _chunked(pattern(arg)), [("Transfer-Encoding", "chunked")])
        if name == "status":
            b = b"" if arg in (204, 304) else b"status %d" % arg
            hdr = [("Content-Length", len(b))] if b else []
            return _response(arg, b, hdr, reason="Whatever")
        if name == "echo":
            reply = head + b"\r\n\r\n" + body
            return _response(200, reply, [("Content-Length", len(reply)), ("X-Method", method)])
        if name == "continue":
            return b"HTTP/1.1 100 Continue\r\n\r\n" + _response(200, b"after continue", [("Content-Length", 14)])
        if name == "folded":
            return (b"HTTP/1.1 200 OK\r\nX-Folded: first\r\n  second\r\nContent-Length: 2\r\n\r\nok")
        if name == "head":
            b = pattern(arg)
            return _response(200, b"" if method == "HEAD" else b, [("Content-Length", arg)])
        if name == "bad-status":
            return b"HTXP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        if name == "bad-version":
            return b"HTTP/a.b 200 OK\r\nContent-Length: 2\r\n\r\nok"
        if name == "bad-header":
            return b"HTTP/1.1 200 OK\r\nThis line has no colon\r\nContent-Length: 2\r\n\r\nok"
        if name == "bad-length":
            return b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nok"
        if name == "bad-chunk":
            return b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"
        if name == "short":
            return _response(200, pattern(arg // 2), [("Content-Length", arg)])
        if name == "short-chunked":
            return b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nonly-part"
        if name == "huge-header":
            return b"HTTP/1.1 200 OK\r\nX-Huge: " + b"h" * 20000 + b"\r\nContent-Length: 2\r\n\r\nok"
        if name == "garbage":
            return bytes(range(256)) * 4
        if name == "empty":
            return None
        if name == "rst":
            conn.sendall(_response(200, pattern(arg // 2), [("Content-Length", arg)]))
            time.sleep(0.1)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()
            raise OSError("reset sent")
        if name == "slow-head":
            time.sleep(3)
            return _response(200, b"late", [("Content-Length", 4)])
        if name == "drip":
            conn.sendall(_response(200, b"", [("Content-Length", 100)]))
            for _ in range(100):
                time.sleep(0.1)
                conn.sendall(b"d")
            return None
        if name == "gzip-chunked":
            return b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nxx\r\n0\r\n\r\n"
        if name == "code":
            return b"HTTP/1.1 %03d Odd\r\nContent-Length: 2\r\n\r\nok" % arg
        if name == "seg-all":
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            fields = [("X-Field-%d" % i, "value %d " % i * 5) for i in range(20)] + [("Transfer-Encoding", "chunked")]
            out = b"HTTP/1.1 100 Continue\r\n\r\n" + _response(200, _chunked(pattern(arg)), fields)
            for i in range(len(out)):
                conn.sendall(out[i:i + 1])
            return None
        if name in ("seg-len", "seg-close", "seg-chunked"):
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            data = pattern(arg)
            if name == "seg-len":
                conn.sendall(_response(200, b"", [("Content-Length", arg)]))
            elif name == "seg-close":
                conn.sendall(_response(200, b"", [("Server", "raw")], version="1.0"))
            else:
                conn.sendall(_response(200, b"", [("Transfer-Encoding", "chunked")]))
            for i in range(arg):
                conn.sendall(b"1\r\n%s\r\n" % data[i:i + 1] if name == "seg-chunked" else data[i:i + 1])
            if name == "seg-chunked":
                conn.sendall(b"0\r\n\r\n")
            return None
        if name == "gzip-te":
            return b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxx"
        return _response(404, b"no such path", [("Content-Length", 12)], reason="Not Found")
