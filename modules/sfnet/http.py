# sfnet.http: pySFML's HttpRequest / HttpResponse / Http over the project's socket.
# See docs/http.md.
#
# Memory: one receive buffer per Http object, reused for every request. Bodies can be
# streamed to a sink (callable or file) or iterated chunk by chunk, so a download never
# needs the body's size in RAM. The plain form keeps the body in one bytearray that the
# socket receives into (no list of parts, no join), up to max_body.
# Timeouts are in MILLISECONDS and are one deadline for the whole request: DNS,
# connect, sending, headers and body.
from micropython import const
import socket
from time import ticks_ms, ticks_add
from sfnet.time import to_ms
from sfnet.ipaddress import host_text
from _linebuf import LineBuffer, TooLong
import _netcore

_MAX_LINE = const(8192)  # longest status/header/chunk-size line accepted
_MAX_FIELDS = const(100)
_DEFAULT_MAX_HEADER_BYTES = const(8192)  # the whole response head, see docs/http.md
_DEFAULT_BUFSIZE = const(2048)
_DEFAULT_MAX_BODY = const(32768)  # fits a 100 KB heap even for a chunked body (docs/http.md)
_KEEP_FIRST = const(32768)  # a chunked/close-delimited body's first block (at most max_body)
_INVALID_RESPONSE = const(1000)  # SFML's status codes for failures below the protocol
_CONNECTION_FAILED = const(1001)
USER_AGENT = "sfnet-micropython/1.0"

_METHODS = ("GET", "POST", "HEAD", "PUT", "DELETE")


class _Bad(Exception):
    """The response broke HTTP (-> INVALID_RESPONSE)."""


class _Failed(Exception):
    """The connection failed or timed out (-> CONNECTION_FAILED)."""


class _TooBig(Exception):
    """The body to keep is larger than max_body (-> ValueError)."""


def _text(b):
    # Header bytes are ASCII in practice; map other bytes as latin-1 instead of failing.
    try:
        return b.decode()
    except UnicodeError:
        return "".join(chr(c) for c in b)


class HttpRequest:
    GET = 0
    POST = 1
    HEAD = 2
    PUT = 3
    DELETE = 4

    def __init__(self, uri="/", method=0, body=b""):
        self._fields = {}  # lower-case name -> (name as given, value)
        self.uri = uri
        self.method = method
        self.body = body
        self._version = (1, 0)

    # pySFML sets a header with `request.field = (name, value)`.
    @property
    def field(self):
        return dict((k, v[1]) for k, v in self._fields.items())

    @field.setter
    def field(self, nv):
        if type(nv) is not tuple or len(nv) != 2:
            raise TypeError("field must be set to a (name, value) tuple")
        self.set_field(nv[0], nv[1])

    def set_field(self, name, value):
        name = _hstr(name, "field name")
        value = _hstr(value, "field value")
        if not name or ":" in name or "\r" in name or "\n" in name or " " in name:
            raise ValueError("invalid header field name: %r" % (name,))
        if "\r" in value or "\n" in value:
            raise ValueError("header field value must not contain CR or LF: %r" % (value,))
        self._fields[name.lower()] = (name, value)

    def get_field(self, name):
        v = self._fields.get(_hstr(name, "field name").lower())
        return v[1] if v else ""

    def has_field(self, name):
        return _hstr(name, "field name").lower() in self._fields

    @property
    def method(self):
        return self._method

    @method.setter
    def method(self, m):
        if type(m) is str:
            m = m.upper()
            if m not in _METHODS:
                raise ValueError("unsupported HTTP method %r (GET, POST, HEAD, PUT, DELETE)" % m)
            m = _METHODS.index(m)
        if type(m) is not int or not 0 <= m < len(_METHODS):
            raise ValueError("method must be HttpRequest.GET/POST/HEAD/PUT/DELETE, got %r" % (m,))
        self._method = m

    @property
    def uri(self):
        return self._uri

    @uri.setter
    def uri(self, u):
        u = _hstr(u, "uri")
        if " " in u or "\r" in u or "\n" in u:
            raise ValueError("uri must not contain spaces or line breaks: %r" % (u,))
        self._uri = u if u.startswith("/") else "/" + u  # SFML forces a leading "/"

    @property
    def http_version(self):
        return self._version

    @http_version.setter
    def http_version(self, v):
        if type(v) is str:
            p = v.split(".")
            try:
                v = (int(p[0]), int(p[1])) if len(p) == 2 else None
            except ValueError:
                v = None
        if type(v) is not tuple or len(v) != 2 or type(v[0]) is not int or type(v[1]) is not int \
                or not (0 <= v[0] <= 9 and 0 <= v[1] <= 9):
            raise ValueError("http_version must be (major, minor), e.g. (1, 1)")
        self._version = v

    @property
    def body(self):
        return self._body

    @body.setter
    def body(self, b):
        if type(b) is str:
            b = b.encode()
        if not isinstance(b, (bytes, bytearray, memoryview)):
            raise TypeError("body must be bytes, bytearray, memoryview or str")
        self._body = b

    def _head(self, host, port):
        """The request line and headers, with the defaults the caller did not set."""
        f = self._fields
        major, minor = self._version
        out = ["%s %s HTTP/%d.%d\r\n" % (_METHODS[self._method], self._uri, major, minor)]
        for _, (name, value) in f.items():
            out.append("%s: %s\r\n" % (name, value))
        if "host" not in f:
            out.append("Host: %s\r\n" % (host if port == 80 else "%s:%d" % (host, port)))
        if "user-agent" not in f:
            out.append("User-Agent: %s\r\n" % USER_AGENT)
        if "content-length" not in f:
            out.append("Content-Length: %d\r\n" % _netcore.byte_len(self._body))  # (bytes, not items)
        if self._method == 1 and "content-type" not in f:
            out.append("Content-Type: application/x-www-form-urlencoded\r\n")
        if (major, minor) >= (1, 1) and "connection" not in f:
            out.append("Connection: close\r\n")
        out.append("\r\n")
        return "".join(out).encode()


def _hstr(s, what):
    if type(s) is bytes:
        s = s.decode()
    if type(s) is not str:
        raise TypeError("%s must be a str, not %s" % (what, type(s).__name__))
    return s


class HttpResponse:
    OK = 200
    CREATED = 201
    ACCEPTED = 202
    NO_CONTENT = 204
    RESET_CONTENT = 205
    PARTIAL_CONTENT = 206
    MULTIPLE_CHOICES = 300
    MOVED_PERMANENTLY = 301
    MOVED_TEMPORARILY = 302
    NOT_MODIFIED = 304
    BAD_REQUEST = 400
    UNAUTHORIZED = 401
    FORBIDDEN = 403
    NOT_FOUND = 404
    RANGE_NOT_SATISFIABLE = 416
    INTERNAL_SERVER_ERROR = 500
    NOT_IMPLEMENTED = 501
    BAD_GATEWAY = 502
    SERVICE_NOT_AVAILABLE = 503
    GATEWAY_TIMEOUT = 504
    VERSION_NOT_SUPPORTED = 505
    INVALID_RESPONSE = _INVALID_RESPONSE
    CONNECTION_FAILED = _CONNECTION_FAILED

    def __init__(self):
        self.status = _CONNECTION_FAILED
        self.major_http_version = 0
        self.minor_http_version = 0
        self.body = b""
        self.body_size = 0  # bytes of body received (also when streamed to a sink)
        self.reason = ""
        self.error = ""  # why the status is INVALID_RESPONSE / CONNECTION_FAILED
        self.fields = {}  # lower-case name -> value
        self._reader = None
        self._body_left = None

    def get_field(self, name):
        return self.fields.get(_hstr(name, "field name").lower(), "")

    @property
    def ok(self):
        return 200 <= self.status < 300

    def __repr__(self):
        return "<HttpResponse %d %s%s>" % (self.status, self.reason, (" (%s)" % self.error) if self.error else "")

    def _fail(self, status, why):
        self.status = status
        self.error = why

    # -- streaming (Http.open): read the body chunk by chunk through one reused buffer

    def chunks(self):
        """Yield the body as memoryviews into the Http object's buffer; each one is
        valid until the next iteration. Raises OSError/ValueError if the body breaks
        off, so a partial body is never mistaken for a whole one."""
        r = self._reader
        if r is None:
            return
        try:
            while True:
                mv = r.body_chunk()
                if mv is None:
                    break
                self.body_size += len(mv)
                yield mv
        except _Bad as e:
            self._fail(_INVALID_RESPONSE, e.args[0])
            raise ValueError("invalid HTTP body: " + e.args[0])
        except _Failed as e:
            self._fail(_CONNECTION_FAILED, e.args[0])
            raise OSError(e.args[0])
        finally:
            self.close()

    def readinto(self, buf):
        """Copy the next part of the body into buf; 0 at the end."""
        r = self._reader
        if r is None:
            return 0
        if r.pending is None:
            try:
                r.pending = r.body_chunk()
            except _Bad as e:
                self.close()
                self._fail(_INVALID_RESPONSE, e.args[0])
                raise ValueError("invalid HTTP body: " + e.args[0])
            except _Failed as e:
                self.close()
                self._fail(_CONNECTION_FAILED, e.args[0])
                raise OSError(e.args[0])
            if r.pending is None:
                self.close()
                return 0
        mv = r.pending
        n = min(len(buf), len(mv))
        buf[:n] = mv[:n]
        r.pending = mv[n:] if n < len(mv) else None
        self.body_size += n
        return n

    def close(self):
        r = self._reader
        if r is not None:
            self._reader = None
            r.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _Reader(LineBuffer):
    """Response reader over one socket, one buffer and one deadline."""

    def __init__(self, sock, buf, mv, deadline):
        self.s = sock
        self.buf = buf
        self.mv = mv  # the client's own view of buf: none made per response
        self.i = 0
        self.j = 0
        self.deadline = deadline
        self.mode = 0  # 0 none, 1 length, 2 chunked, 3 until close
        self.left = 0  # body bytes left (length mode) or in this chunk (chunked)
        self.done = False
        self.pending = None
        self.room = None  # bytes the response head may still take (None: no head bound)
        self.got = 0  # body bytes kept so far (keep())
        self.max_head = 0

    def close(self):
        s = self.s
        if s is not None:
            self.s = None
            s.close()

    def _fill(self, at):
        """Receive into buf[at:]; return the count (0 = peer closed)."""
        return self._recv(self.mv[at:] if at else self.buf)

    def _recv(self, into):
        """Receive into a buffer by the deadline; the count (0 = peer closed)."""
        d = self.deadline
        if d is not None and not _netcore.timeout_until(self.s, d):
            raise _Failed("timed out")
        try:
            return self.s.recv_into(into)
        except socket.timeout:
            raise _Failed("timed out")
        except OSError as e:
            raise _Failed("connection error: %s" % (e,))

    def _too_long(self, lim):
        if lim < _MAX_LINE:
            return _Bad("response head longer than max_header_bytes=%d" % self.max_head)
        return _Bad("line longer than %d bytes" % _MAX_LINE)

    def readline(self):
        """One line without its CR LF, as bytes; None if the peer closed first. While
        self.room is set (the response head), every byte taken, the LF included, comes
        off it, and a line past it raises _Bad before it is held."""
        room = self.room
        lim = _MAX_LINE if room is None or _MAX_LINE < room else room - 1  # bytes before the LF
        try:
            line = self.next_line(lim, self._recv)
        except TooLong:
            raise self._too_long(lim)
        except EOFError:
            raise _Bad("connection closed in the middle of a line")
        if line is None:
            return None
        if room is not None:
            self.room = room - self.taken
        return bytes(line)

    def _take(self, maxn):
        """Up to maxn buffered or freshly received body bytes as a memoryview, or None at EOF."""
        if self.i == self.j:
            self.i = 0
            self.j = self._fill(0)
            if self.j == 0:
                return None
        n = self.j - self.i
        if n > maxn:
            n = maxn
        i = self.i
        self.i = i + n
        return self.mv if (i == 0 and n == len(self.buf)) else self.mv[i:i + n]

    def body_chunk(self):
        """The next piece of the decoded body, or None at its end."""
        if self.done:
            return None
        mode = self.mode
        if mode == 1:
            if self.left == 0:
                self.done = True
                return None
            mv = self._take(self.left)
            if mv is None:
                raise _Bad("body truncated: connection closed with %d bytes still expected" % self.left)
            self.left -= len(mv)
            return mv
        if mode == 3:
            mv = self._take(len(self.buf))
            if mv is None:
                self.done = True
            return mv
        if mode == 2:
            while self.left <= 0:
                if not self._next_chunk():
                    self.done = True
                    return None
            mv = self._take(self.left)
            if mv is None:
                raise _Bad("chunked body truncated")
            self.left -= len(mv)
            if self.left == 0:
                self.left = -1  # a CR LF follows the chunk data
            return mv
        self.done = True
        return None

    def keep(self, limit):
        """The whole body in one bytearray that the socket receives into. Content-Length:
        exactly that. Chunked or close-delimited: min(limit, _KEEP_FIRST) up front, so
        growth never needs an old and a new block at once for the default limit (grown by
        half beyond it); a body under half the block is copied to its size at the end.
        self.got counts what arrived. Raises _TooBig past limit."""
        mode = self.mode
        self.got = 0
        if mode == 1:
            if self.left > limit:
                raise _TooBig(self.left)
            if not self.left:
                self.done = True
                return b""
            body = bytearray(self.left)
            self._into(memoryview(body), 0, self.left)
            self.left = 0
            self.done = True
            return body
        body = bytearray(min(limit, _KEEP_FIRST))
        while True:
            if mode == 2:
                if self.left <= 0 and not self._next_chunk():
                    break
                need = self.got + self.left
            else:
                need = self.got + 1
            if need > len(body):
                if need > limit:
                    if mode == 3 and not self._more():
                        break  # exactly limit bytes, then the end
                    raise _TooBig(need)
                body = self._grow(body, need, limit)
            mv = memoryview(body)
            if mode == 2:
                self._into(mv, self.got, self.left)
                self.left = -1  # a CR LF follows the chunk data
            elif not self._some(mv):
                break
        self.done = True
        got = self.got
        if not got:
            return b""
        if got <= len(body) // 2:
            return bytearray(memoryview(body)[:got])  # give the rest back
        body[got:] = b""  # the exact length (the slack, under half, stays allocated)
        return body

    def _more(self):
        """Close-delimited: does more body follow? (reads into the line buffer)"""
        if self.i == self.j:
            self.i = 0
            self.j = self._fill(0)
        return self.j > self.i

    def _grow(self, body, need, limit):
        cap = len(body) + len(body) // 2
        cap = min(limit, max(need, cap, 1024))
        new = bytearray(cap)
        if self.got:
            new[:self.got] = memoryview(body)[:self.got]
        return new

    def _into(self, mv, at, n):
        """Exactly n body bytes into mv[at:]: what is buffered, then straight from the
        socket."""
        end = at + n
        k = self.j - self.i
        if k:
            k = min(k, n)
            mv[at:at + k] = self.mv[self.i:self.i + k]
            self.i += k
            at += k
            self.got += k
        while at < end:
            k = self._recv(mv[at:end])
            if k == 0:
                raise _Bad("body truncated: connection closed with %d bytes still expected" % (end - at))
            at += k
            self.got += k

    def _some(self, mv):
        """Close-delimited: some bytes into mv[got:]; False at the end."""
        at = self.got
        k = self.j - self.i
        if k:
            k = min(k, len(mv) - at)
            mv[at:at + k] = self.mv[self.i:self.i + k]
            self.i += k
        else:
            k = self._recv(mv[at:])
        self.got += k
        return k > 0

    def _next_chunk(self):
        if self.left == -1:
            line = self.readline()
            if line is None or line != b"":
                raise _Bad("chunk data not followed by CRLF")
        line = self.readline()
        if line is None:
            raise _Bad("chunked body truncated before a chunk size")
        n = _chunk_size(line)
        if n < 0:
            raise _Bad("invalid chunk size line %r" % line[:40])
        if n == 0:
            while True:  # trailers, up to the empty line
                t = self.readline()
                if t is None:
                    raise _Bad("chunked body truncated in the trailers")
                if t == b"":
                    return False
        self.left = n
        return True


def _chunk_size(line):
    """RFC 9112 chunk-size: hex digits only (no 0x, sign, _ or leading space), then
    optional whitespace and ;extensions. -1 if it is not one."""
    n = 0
    k = 0
    for c in line:
        if 48 <= c <= 57:
            d = c - 48
        elif 97 <= c <= 102 or 65 <= c <= 70:
            d = (c | 32) - 87
        else:
            break
        n = n * 16 + d
        k += 1
    if not k or k > 16:
        return -1
    rest = line[k:].lstrip(b" \t")
    return n if not rest or rest[0] == 59 else -1  # 59: ";"


def _parse_status(line, resp):
    # "HTTP/1.1 200 OK"
    if line is None:
        raise _Bad("connection closed before any response")
    if not line.startswith(b"HTTP/") or len(line) < 12:
        raise _Bad("not an HTTP status line: %r" % line[:40])
    v = line[5:8]
    if v[1:2] != b"." or not (b"0" <= v[0:1] <= b"9") or not (b"0" <= v[2:3] <= b"9"):
        raise _Bad("bad HTTP version in %r" % line[:40])
    code = line[9:12]
    if line[8:9] != b" " or not all(48 <= c <= 57 for c in code) or (len(line) > 12 and line[12:13] != b" "):
        raise _Bad("bad status code in %r" % line[:40])
    resp.major_http_version = v[0] - 48
    resp.minor_http_version = v[2] - 48
    resp.reason = _text(line[13:]).strip()
    code = int(code)
    if not 100 <= code <= 599:
        raise _Bad("status code %d outside 100-599" % code)
    return code


def _parse_fields(r, resp):
    fields = {}
    last = None
    while True:
        line = r.readline()
        if line is None:
            raise _Bad("connection closed inside the headers")
        if line == b"":
            break
        if line[0] in (32, 9):  # obsolete line folding continues the last field
            if last is None:
                raise _Bad("header continuation without a header")
            fields[last] = fields[last] + " " + _text(line.strip())
            continue
        k = line.find(b":")
        if k <= 0:
            raise _Bad("malformed header line %r" % line[:40])
        name = _text(line[:k]).strip().lower()
        if not name or " " in name:
            raise _Bad("malformed header name %r" % line[:40])
        value = _text(line[k + 1:]).strip()
        if name in fields:
            value = fields[name] + ", " + value
        elif len(fields) >= _MAX_FIELDS:
            raise _Bad("more than %d header fields" % _MAX_FIELDS)
        fields[name] = value
        last = name
    resp.fields = fields


class Http:
    """An HTTP client for one host: Http(host, port=0). Port 0 means 80."""

    def __init__(self, host, port=0, bufsize=_DEFAULT_BUFSIZE, max_header_bytes=_DEFAULT_MAX_HEADER_BYTES):
        """max_header_bytes: the most bytes a response head (status line and header
        lines with their line ends, interim 1xx responses included) may take; a longer
        one is INVALID_RESPONSE."""
        host = host_text(host)
        low = host.lower()
        if low.startswith("https://"):
            raise ValueError("https:// is not supported by sfnet.Http (plain HTTP only)")
        if low.startswith("http://"):
            host = host[7:]
        while host.endswith("/"):
            host = host[:-1]
        if "/" in host:
            raise ValueError("host must not contain a path: %r" % (host,))
        if ":" in host:
            host, p = host.rsplit(":", 1)
            try:
                p = int(p)
            except ValueError:
                raise ValueError("bad port in host %r" % (host,))
            if not port:
                port = p
        if not host:
            raise ValueError("empty host name")
        if type(port) is not int or not 0 <= port <= 65535:
            raise ValueError("port must be 0-65535 (0 = 80), got %r" % (port,))
        if type(bufsize) is not int or bufsize < 64:
            raise ValueError("bufsize must be an int >= 64")
        if type(max_header_bytes) is not int or max_header_bytes < 64:
            raise ValueError("max_header_bytes must be an int >= 64, got %r" % (max_header_bytes,))
        self.max_header_bytes = max_header_bytes
        self.host = host
        self.port = port or 80
        self._buf = bytearray(bufsize)
        self._mv = memoryview(self._buf)

    def __repr__(self):
        return "<Http %s:%d>" % (self.host, self.port)

    def open(self, request, timeout=None):
        """Send the request and read the status line and headers. The body is left to
        read with response.chunks() / response.readinto(); close the response (or use
        it in a `with`) when done. Failures give a response with status
        INVALID_RESPONSE or CONNECTION_FAILED and .error set."""
        if not isinstance(request, HttpRequest):
            raise TypeError("request must be an HttpRequest")
        timeout = to_ms(timeout, True)  # ms or an sfnet Time; None / 0 = no limit
        deadline = ticks_add(ticks_ms(), timeout) if timeout else None
        resp = HttpResponse()
        head = request._head(self.host, self.port)
        try:
            sock = socket.create_connection((self.host, self.port), timeout)
        except socket.gaierror as e:
            resp._fail(_CONNECTION_FAILED, "cannot resolve %s: %s" % (self.host, e))
            return resp
        except OSError as e:
            resp._fail(_CONNECTION_FAILED, "cannot connect to %s:%d: %s" % (self.host, self.port, e))
            return resp
        r = _Reader(sock, self._buf, self._mv, deadline)
        try:
            self._exchange(r, request, head, resp)
        except _Bad as e:
            r.close()
            resp._fail(_INVALID_RESPONSE, e.args[0])
            return resp
        except _Failed as e:
            r.close()
            resp._fail(_CONNECTION_FAILED, e.args[0])
            return resp
        except BaseException:
            r.close()
            raise
        if r.mode == 0:
            r.close()
        else:
            resp._reader = r
        return resp

    def _exchange(self, r, request, head, resp):
        s = r.s
        for data in (head, request._body):
            if not data:
                continue
            if r.deadline is not None and not _netcore.timeout_until(s, r.deadline):
                raise _Failed("timed out sending the request")
            try:
                s.sendall(data)
            except socket.timeout:
                raise _Failed("timed out sending the request")
            except OSError as e:
                raise _Failed("connection error while sending: %s" % (e,))
        # one budget for the whole head: what a hostile server sends costs at most
        # max_header_bytes (plus the parsed fields), whatever the line count
        r.room = r.max_head = self.max_header_bytes
        while True:
            status = _parse_status(r.readline(), resp)
            _parse_fields(r, resp)
            if 100 <= status < 200 and status != 101:
                continue  # interim response (100 Continue): the real one follows
            break
        r.room = None
        resp.status = status
        if request._method == 2 or 100 <= status < 200 or status == 204 or status == 304:
            r.mode = 0
            return
        te = resp.fields.get("transfer-encoding", "").strip().lower()
        if te == "chunked":
            r.mode = 2
            return
        if te and te != "identity":  # "gzip, chunked": a body this client cannot decode
            raise _Bad("unsupported transfer-encoding %r (only chunked)" % te)
        cl = resp.fields.get("content-length")
        if cl is not None:
            try:
                n = int(cl)
            except ValueError:
                n = -1
            if n < 0 or not cl.isdigit():
                raise _Bad("invalid Content-Length %r" % cl)
            r.mode = 1
            r.left = n
            return
        r.mode = 3

    def send_request(self, request, timeout=None, sink=None, max_body=_DEFAULT_MAX_BODY):
        """Send the request and return an HttpResponse; never raises for network or
        protocol failures (see status and .error). timeout: ms (or an sfnet Time) for
        the whole exchange, None or 0 = no limit. sink: a callable taking a memoryview, or an object with
        write(), that receives the body piece by piece (response.body stays b"").
        Without a sink the body is kept in one bytearray (response.body), up to
        max_body bytes (32 KB by default; larger raises ValueError, at once when the
        Content-Length or a chunk size announces it)."""
        if sink is not None:
            w = getattr(sink, "write", None)
            put = w if w is not None else sink
            if not callable(put):
                raise TypeError("sink must be callable or have a write() method")
        elif type(max_body) is not int or max_body < 0:
            raise ValueError("max_body must be an int >= 0")
        resp = self.open(request, timeout)
        r = resp._reader
        if r is None:
            return resp
        size = 0
        try:
            if sink is None:
                resp.body = r.keep(max_body)
                size = len(resp.body)
            else:
                while True:
                    mv = r.body_chunk()
                    if mv is None:
                        break
                    size += len(mv)
                    put(mv)
        except _TooBig as e:
            raise ValueError("response body larger than max_body=%d bytes (%d or more); "
                             "pass sink= or use Http.open() to stream it" % (max_body, e.args[0]))
        except MemoryError:  # max_body is more than this heap can hold at the moment
            raise MemoryError("no room in RAM for the response body (max_body=%d, %d bytes so far); "
                              "lower max_body, pass sink= or use Http.open()" % (max_body, r.got))
        except _Bad as e:
            resp._fail(_INVALID_RESPONSE, e.args[0])
        except _Failed as e:
            resp._fail(_CONNECTION_FAILED, e.args[0])
        finally:
            if sink is None:
                size = r.got
            resp.close()
            resp.body_size = size
        return resp
