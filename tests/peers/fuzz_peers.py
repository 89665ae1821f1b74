"""Seeded bad-input generators and the raw peers that serve them, for the HTTP and FTP
bad-input tests (tests/host/test_fuzz_replies.py).

Each case is (wire bytes, expectation), the expectation one of:
    ("exact", status, body)   this status and exactly this body
    ("status", code)          exactly this status (e.g. INVALID_RESPONSE)
    ("max_body",)             ValueError for a body above max_body (documented; at once
                              when a Content-Length or a chunk size announces it)
    ("any",)                  any documented outcome (invariants only)
"""

import random
import re
import socket
import threading

INVALID, FAILED = 1000, 1001
MAX_BODY = 32768  # sfnet.Http's default max_body
TOKEN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
NO_BODY = (204, 304)


def _status_line(rng, code):
    reason = rng.choice([b"OK", b"", b"Some Reason", bytes(rng.randrange(32, 256) for _ in range(rng.randrange(8)))])
    return b"HTTP/1.%d %d%s\r\n" % (rng.randrange(2), code, (b" " + reason) if reason or rng.random() < .5 else b"")


def _header(rng):
    name = "".join(rng.choice(TOKEN) for _ in range(rng.randrange(1, 20)))
    value = bytes(rng.choice(b"abcXYZ 0123456789;=/,.") for _ in range(rng.randrange(0, 40)))
    return b"%s:%s%s\r\n" % (name.encode(), rng.choice([b"", b" ", b"  "]), value)


def _chunked(rng, body):
    out = b""
    i = 0
    while i < len(body):
        n = min(len(body) - i, rng.choice([1, 2, 7, 100, 1000, 5000]))
        size = b"%x" % n
        size = rng.choice([size, size.upper(), b"000" + size, size + b" ", size + b";ext=1", size + b"; a=b;c"])
        out += size + b"\r\n" + body[i:i + n] + b"\r\n"
        i += n
    trailer = rng.choice([b"", b"X-T: 1\r\n"])
    return out + b"0\r\n" + trailer + b"\r\n"


def _valid(rng, framing=None):
    """A well-formed response: (bytes, status, body, framing)."""
    code = rng.choice([200, 200, 201, 204, 301, 304, 404, 500, 503, 418, 299, 599])
    body = b"" if code in NO_BODY else bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 17, 300, 3000])))
    framing = framing or rng.choice(["length", "chunked", "close"])
    head = _status_line(rng, code) + b"".join(_header(rng) for _ in range(rng.randrange(6)))
    if code in NO_BODY:
        return head + b"\r\n", code, b"", framing
    if framing == "length":
        return head + b"Content-Length: %d\r\n\r\n" % len(body) + body, code, body, framing
    if framing == "chunked":
        return head + b"Transfer-Encoding: chunked\r\n\r\n" + _chunked(rng, body), code, body, framing
    return head + b"Connection: close\r\n\r\n" + body, code, body, framing


def _bad_status_line(rng):
    """A random status line and the documented outcome: 'HTTP/d.d ddd' + optional ' reason'."""
    kind = rng.randrange(6)
    if kind == 0:
        line = bytes(rng.randrange(256) for _ in range(rng.randrange(30))).replace(b"\n", b"")
    elif kind == 1:
        line = b"HTTP/" + bytes(rng.choice(b"0123456789. /xX") for _ in range(rng.randrange(12)))
    elif kind == 2:
        line = b"HTTP/%d.%d %d" % (rng.randrange(12), rng.randrange(12), rng.choice([2, 20, 2000, -200, 99999]))
    elif kind == 3:
        line = rng.choice([b"HTTP/1.1 2OO OK", b"HTTP/1.1  200 OK", b"HTTP/1.1 200OK", b"HTTP/11 200 OK",
                           b"http/1.1 200 OK", b"HTTP/1.1 200\tOK", b"HTTP/1.1", b"", b"ICY 200 OK",
                           b"HTTP/1.1 -20 OK", b"HTTP/a.b 200 OK"])
    elif kind == 4:
        line = b"HTTP/1.1 " + rng.choice([b"9" * rng.randrange(1, 30), b"099", b"000", b"600", b"099 OK"])
    else:
        line = b"HTTP/1.0 200 OK" + b"x" * rng.choice([10, 9000])  # long reason: past 8 KB is refused
    body = b"abc"
    resp = line + b"\r\nContent-Length: 3\r\n\r\n" + body
    m = re.fullmatch(rb"HTTP/[0-9]\.[0-9] ([0-9]{3})( .*)?", line, re.S)
    if m and len(line) <= 8192 and 100 <= int(m.group(1)) <= 599:
        code = int(m.group(1))
        if 100 <= code < 200:
            return resp, ("any",)  # an interim response: what follows decides
        return resp, ("exact", code, b"" if code in NO_BODY else body)
    return resp, ("status", INVALID)


def _bad_headers(rng):
    head = _status_line(rng, 200)
    kind = rng.randrange(6)
    lines = [_header(rng) for _ in range(rng.randrange(3))]
    bad = [b"no colon here\r\n", b": no name\r\n", b"Bad Name: x\r\n", b"\tcontinued first\r\n",
           b"X-Long: " + b"a" * 9000 + b"\r\n"][kind] if kind < 5 else None
    if bad is None:
        lines = [b"X-F%d: v\r\n" % i for i in range(101)]  # more than the 100-field limit
    else:
        lines.insert(rng.randrange(len(lines) + 1), bad)
        if bad.startswith(b"\t"):
            lines = [bad] + [x for x in lines if x is not bad]
    return head + b"".join(lines) + b"Content-Length: 3\r\n\r\nabc", ("status", INVALID)


def _bad_length(rng):
    cl = rng.choice([b"abc", b"-1", b"1.5", b" ", b"0x10", b"+3", b"99999999999999999999", b"4294967296",
                     b"3, 3", b"\xff"])
    # not a plain decimal, or more than is sent (a truncated body): INVALID_RESPONSE either way,
    # unless it announces more than max_body: that is refused at once
    want = ("max_body",) if cl.isdigit() and int(cl) > MAX_BODY else ("status", INVALID)
    return _status_line(rng, 200) + b"Content-Length: " + cl + b"\r\n\r\nabc", want


def _bad_chunk(rng):
    size = rng.choice([b"zz", b"-1", b"", b" ", b"g", b";ext", b"1 2", b"\xff", b"ffffffffffffffff",
                       b"7fffffff", b"100000000", b"0x3", b"+3", b"-0", b"1_0", b" 3", b"3 3", b"1" * 17])
    resp = _status_line(rng, 200) + b"Transfer-Encoding: chunked\r\n\r\n" + b"3\r\nabc\r\n" + size + b"\r\nxyz"
    if re.fullmatch(rb"[0-9a-fA-F]{1,16}", size) and int(size, 16) > MAX_BODY:
        return resp, ("max_body",)  # a chunk past max_body: refused when announced
    return resp, ("status", INVALID)  # not strictly hex digits


def _transfer_coding(rng):
    """Codings other than exactly chunked (or identity) would leave the body undecoded."""
    te = rng.choice([b"gzip, chunked", b"chunked, gzip", b"gzip", b"deflate", b"chunked, chunked", b"x-custom",
                     b"identity", b"Chunked", b" chunked "])
    body = b"hello"
    if te.strip().lower() == b"chunked":
        return (_status_line(rng, 200) + b"Transfer-Encoding: " + te + b"\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                ("exact", 200, body))
    if te == b"identity":
        return (_status_line(rng, 200) + b"Transfer-Encoding: identity\r\nContent-Length: 5\r\n\r\nhello",
                ("exact", 200, body))
    return _status_line(rng, 200) + b"Transfer-Encoding: " + te + b"\r\n\r\n5\r\nhello\r\n0\r\n\r\n", ("status", INVALID)


def _mutated(rng):
    data, _, _, _ = _valid(rng)
    data = bytearray(data)
    for _ in range(rng.randrange(1, 4)):
        i = rng.randrange(len(data))
        op = rng.randrange(3)
        if op == 0:
            data[i] = rng.randrange(256)
        elif op == 1:
            del data[i]
        else:
            data.insert(i, rng.choice(b"\r\n :0123456789abcdefHTTP/;"))
    return bytes(data), ("any",)


def http_cases(seed, n):
    """n seeded responses with their documented outcome."""
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        kind = i % 8
        if kind == 0:
            data, code, body, _ = _valid(rng)
            cases.append((data, ("exact", code, body)))
        elif kind == 1:
            data, code, body, framing = _valid(rng, rng.choice(["length", "chunked"]))
            cases.append((data[:rng.randrange(len(data))], ("status", INVALID)))  # truncated
        elif kind == 2:
            cases.append(_bad_status_line(rng))
        elif kind == 3:
            cases.append(_bad_headers(rng))
        elif kind == 4:
            cases.append(_bad_length(rng))
        elif kind == 5:
            cases.append(_bad_chunk(rng) if rng.random() < .6 else _transfer_coding(rng))
        elif kind == 6:
            cases.append(_mutated(rng))
        else:
            r = rng.randrange(4)
            if r == 0:  # a body above max_body (64 KB), announced or chunked
                body = bytes(70000)
                framing = rng.choice([b"Content-Length: 70000\r\n\r\n" + body,
                                      b"Transfer-Encoding: chunked\r\n\r\n" + _chunked(rng, body)])
                cases.append((b"HTTP/1.1 200 OK\r\n" + framing, ("max_body",)))
            elif r == 1:
                cases.append((bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))), ("status", INVALID)))
            elif r == 2:
                cases.append((b"", ("status", INVALID)))  # closed without a byte
            else:
                data, code, body, _ = _valid(rng)
                cases.append((b"HTTP/1.1 100 Continue\r\n\r\n" + data, ("exact", code, body)))
    return cases


# ---------------------------------------------------------------- FTP

def ftp_cases(seed, n):
    """n seeded control-connection scripts: (greeting, [replies to later commands], expectation).
    The client connects (greeting), asks PWD, then NOOP. Expectation: (greeting status,
    PWD status or None, PWD directory or None)."""
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        kind = i % 10
        d = "/" + "".join(rng.choice("abc/ _-\u00e9") for _ in range(rng.randrange(12)))
        quoted = '"' + d.replace('"', '""') + '"'
        pwd = b'257 ' + quoted.encode() + b" is the current directory\r\n"
        if kind == 0:  # plain
            cases.append((b"220 ready\r\n", [pwd, b"200 ok\r\n"], (220, 257, d)))
        elif kind == 1:  # multi-line greeting, LF-only endings
            lines = b"".join(b"line %d\n" % k for k in range(rng.randrange(5)))
            cases.append((b"220-welcome\n" + lines + b"220 end\n", [pwd, b"200 ok\r\n"], (220, 257, d)))
        elif kind == 2:  # garbage greeting
            g = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 60))).replace(b"\n", b"") + b"\r\n"
            valid = len(g) >= 5 and g[:3].isdigit() and g[3:4] in (b" ", b"-", b"\r")
            cases.append((g, [], None if valid else (INVALID, None, None)))
        elif kind == 3:  # truncated greeting: the server closes mid-line or mid-reply
            full = b"220-a\r\nb\r\n220 end\r\n"
            cases.append((full[:rng.randrange(len(full))], [], (1002, None, None)))
        elif kind == 4:  # overlong line
            cases.append((b"220 " + b"x" * 5000 + b"\r\n", [], (INVALID, None, None)))
        elif kind == 5:  # a multi-line reply that never ends within the line limit
            cases.append((b"220-a\r\n" + b"more\r\n" * 250, [], (INVALID, None, None)))
        elif kind == 6:  # service not available
            cases.append((b"421 go away\r\n", [], (421, None, None)))
        elif kind == 7:  # bad code shapes
            g = rng.choice([b"22 ready\r\n", b"2200 ready\r\n", b"22a ready\r\n", b"220ready\r\n", b"\r\n",
                            b"099 ready\r\n", b"000 ready\r\n", b"600 ready\r\n", b"230 logged in?\r\n",
                            b"331 password?\r\n"])  # not 220 (RFC 959: 120, 220 or 421)
            cases.append((g, [], (INVALID, None, None)))
        elif kind == 8:  # PWD replies of every shape
            r = rng.randrange(5)
            if r == 0:
                cases.append((b"220 ok\r\n", [b"257 no quotes here\r\n", b"200 ok\r\n"], (220, 257, "no quotes here")))
            elif r == 1:
                cases.append((b"220 ok\r\n", [b'257 "unterminated\r\n', b"200 ok\r\n"], (220, 257, "unterminated")))
            elif r == 2:
                cases.append((b"220 ok\r\n", [b"550 no\r\n", b"200 ok\r\n"], (220, 550, "")))
            elif r == 3:
                cases.append((b"220 ok\r\n", [bytes(rng.randrange(256) for _ in range(20)).replace(b"\n", b"") + b"\r\n"],
                              (220, None, None)))
            else:
                cases.append((b"220 ok\r\n", [b"257-\"/x\"\r\n multi\r\n257 end\r\n", b"200 ok\r\n"], (220, 257, "/x")))
        else:  # the connection closes after the greeting
            cases.append((b"220 ok\r\n", [], (220, 1002, "")))
    return cases


# ---------------------------------------------------------------- servers

class CaseServer:
    """Serves case i to the i-th connection (clients connect one at a time, in order).
    mode "http": read the request head, send the bytes, close.
    mode "ftp": send the greeting, then one scripted reply per command line, then close."""

    def __init__(self, cases, mode):
        self.cases = cases
        self.mode = mode
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.address = self.sock.getsockname()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _serve(self):
        for case in self.cases:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            try:
                conn.settimeout(10)
                (self._http if self.mode == "http" else self._ftp)(conn, case)
            except OSError:
                pass
            finally:
                conn.close()

    @staticmethod
    def _http(conn, case):
        head = b""
        while b"\r\n\r\n" not in head:
            d = conn.recv(4096)
            if not d:
                return
            head += d
        conn.sendall(case[0])
        conn.shutdown(socket.SHUT_WR)
        while conn.recv(4096):  # until the client closes: no RST on unread data
            pass

    @staticmethod
    def _ftp(conn, case):
        greeting, replies = case[0], case[1]
        conn.sendall(greeting)
        f = conn.makefile("rb")
        for reply in replies:
            if not f.readline():
                return
            conn.sendall(reply)
        conn.shutdown(socket.SHUT_WR)
        while conn.recv(4096):
            pass


def one_server_per_case(cases, mode, variants):
    """For each variant, one CaseServer per case (so a failing case cannot shift the
    others); a generator for a pytest fixture: yields {variant: [servers]}, then stops them."""
    servers = {v: [CaseServer([case], mode).start() for case in cases] for v in variants}
    try:
        yield servers
    finally:
        for group in servers.values():
            for server in group:
                server.stop()


def run_against_cases(script, servers, variant, name):
    """Run an mprun script against one server per case: argv is the host and the ports."""
    from peers import mprun

    res = mprun.run(script, [servers[0].address[0]] + [s.address[1] for s in servers], variant)
    mprun.check(res, name)

