# The library's socket (milliseconds): Zerynth's BSD socket API plus CPython
# conveniences, frozen over MicroPython's built-in socket. `import socket` hands this
# module to code written for the library; modules written for MicroPython's or
# CPython's socket get the seconds view (_socket_s) instead. See socket.py and
# docs/socket.md.
#
# Design: the built-in socket is non-blocking underneath, and every wait runs to a
# millisecond deadline: a select.poll, or on lwIP ports a read blocked inside the
# built-in for 100 ms slices (the port adapter, _port_lwip, says why). That gives
# exact timeouts on every port (no 100 ms steps, no EAGAIN for short timeouts) and
# lets recv_into/sendall run without heap allocation. The wrapper derives from
# io.IOBase, so select.poll, asyncio and the TLS module see it as a stream (a Python
# subclass of the native socket is not pollable on the unix port).
import gc
import sys
import errno
import select
import io
from micropython import const
from time import ticks_ms, ticks_add, ticks_diff
import _socket_units
from _netcore import (  # noqa: F401  (the IPv4 codec and checks, shared with sfnet)
    aton as _aton, quad as _quad, check_port as _check_port, ints_to_ip as _ints_to_ip,
    pton4 as _pton4, check_timeout as _check_timeout, byte_len as _byte_len, byte_view as _byte_view,
    ip_to_tuple, inet_aton, inet_ntoa, htons, htonl, ntohs, ntohl,
    EISCONN, EMSGSIZE, EPIPE, ENOPROTOOPT, EAFNOSUPPORT, ENOTCONN, EPROTONOSUPPORT,
)

try:  # the firmware's read helpers (firmware/cmodules/netfast); None: the Python fallback
    from _netfast import (readinto1 as _readinto1, recv1 as _recv1, recvfrom1 as _recvfrom1,
                          recvfrom_into1 as _recvfrom_into1, wait1 as _wait1,
                          sendto1 as _sendto1, sendall as _c_sendall, recv as _c_recv,
                          recv_into as _c_recv_into)
except ImportError:
    _readinto1 = _recv1 = _recvfrom1 = _recvfrom_into1 = _wait1 = None  # type: ignore[assignment]
    _c_sendall = _c_recv = _c_recv_into = None  # type: ignore[assignment]

    def _sendto1(s, data, na):  # type: ignore[misc]
        # _netfast.sendto1: the count, None for "would block", or -errno
        try:
            return s.sendto(data, na)
        except OSError as e:
            return None if e.errno == errno.EAGAIN else -e.errno

_path = sys.path
sys.path = ()  # type: ignore[assignment]
try:
    import socket as _n  # the built-in: socket is an extensible built-in module
finally:
    sys.path = _path
del _path

AF_INET = _n.AF_INET
AF_INET6 = getattr(_n, "AF_INET6", 10)
SOCK_STREAM = _n.SOCK_STREAM
SOCK_DGRAM = _n.SOCK_DGRAM
SOCK_RAW = getattr(_n, "SOCK_RAW", 3)
IPPROTO_IP = const(0)
IPPROTO_TCP = const(6)
IPPROTO_UDP = const(17)
SOL_SOCKET = _n.SOL_SOCKET
SO_REUSEADDR = _n.SO_REUSEADDR
SO_BROADCAST = getattr(_n, "SO_BROADCAST", 32)
SO_KEEPALIVE = getattr(_n, "SO_KEEPALIVE", 8)
SO_ERROR = getattr(_n, "SO_ERROR", 4103)
SO_TYPE = getattr(_n, "SO_TYPE", 4104)
TCP_NODELAY = getattr(_n, "TCP_NODELAY", 1)
IP_ADD_MEMBERSHIP = getattr(_n, "IP_ADD_MEMBERSHIP", 3)
MSG_PEEK = getattr(_n, "MSG_PEEK", 0)
# Emulated: the built-in socket is non-blocking underneath, so the flag only means
# "do not wait" here and is never passed on (Linux/lwIP value where the port lacks it).
MSG_DONTWAIT = getattr(_n, "MSG_DONTWAIT", 0x40)
# Zerynth's constants. setsockopt(SOL_SOCKET, SO_RCVTIMEO, ms) sets the timeout;
# AF_CAN is refused when a socket is made with it.
SO_RCVTIMEO = getattr(_n, "SO_RCVTIMEO", 0x1006 if _n.SOL_SOCKET == 0xFFF else 20)
AF_CAN = getattr(_n, "AF_CAN", 29)
# Emulated here on every port, so it never reaches the built-in.
MSG_WAITALL = const(0x10000)
SHUT_RD = const(0)
SHUT_WR = const(1)
SHUT_RDWR = const(2)
INADDR_ANY = "0.0.0.0"
INADDR_BROADCAST = "255.255.255.255"
# getaddrinfo error codes (glibc values, used on every port)
AI_PASSIVE = const(1)
EAI_NONAME = const(-2)
EAI_FAMILY = const(-6)
EAI_SOCKTYPE = const(-7)
EAI_SERVICE = const(-8)

_EAGAIN = errno.EAGAIN
_EINPROGRESS = errno.EINPROGRESS
_EALREADY = errno.EALREADY
_ETIMEDOUT = errno.ETIMEDOUT

_POLLIN = select.POLLIN
_POLLOUT = select.POLLOUT
_POLLBAD = select.POLLERR | select.POLLHUP
_POLLIN_BAD = _POLLIN | _POLLBAD  # what a read waits for
_STREAM_POLL = const(3)
_STREAM_CLOSE = const(4)
_STREAM_GET_FILENO = const(10)
_READ_CHUNK = const(4096)  # stream read() to the end: bytes asked for per recv
_LINK_CHECK_MS = const(250)  # while waiting, how often a connected socket checks the link
# What a receive's one read of the built-in is (socket._read_op)
_INTO = const(0)  # into a buffer: recv_into, readinto
_ONE = const(1)  # one recv() copied into a buffer (flags, MSG_WAITALL pieces)
_RECV = const(2)  # recv(): new bytes
_FROM = const(3)  # recvfrom(): (bytes, native address)
_FROM_NOW = const(-1)  # a deadline no ticks value can be: from the socket's timeout, now
# MicroPython's setsockopt(SOL_SOCKET, 20, callback): the built-in calls callback(sock)
# when the socket is readable or has a connection to accept (ESP32 and the lwIP ports;
# WebREPL uses it). On the unix port, 20 is the kernel's SO_RCVTIMEO.
_SO_CALLBACK = const(20)

# The port adapter: how this port's built-in spells addresses and what it can tell.
# The unix port speaks raw sockaddr bytes; ESP32 and the lwIP ports ("ip", port) tuples.
# Tests select the other one by assigning _port.
if hasattr(_n, "sockaddr"):
    import _port_unix as _port
else:
    import _port_lwip as _port  # type: ignore[no-redef]
_port.setup(_n)

# The builtins the hot paths use, as globals. MicroPython grows a dict only when it is
# full, so this module's globals table is nearly full, and a name that is not a global
# (a builtin) is a miss that probes a long run of it; a global is found at once through
# the map lookup cache. About a fifth of a waited echo's instructions (bench/NOTES.md);
# tests/host/test_hot_paths.py keeps builtins out of the hot methods.
_int = int
_len = len
_type = type
_bytearray = bytearray

error = OSError
# Zerynth code catches IOError; MicroPython has no such name (in CPython it is OSError).
IOError = OSError

# Which unit `import socket` gives a module (see _socket_units.py).
seconds_for = _socket_units.seconds_for
milliseconds_for = _socket_units.milliseconds_for
unit_for = _socket_units.unit_for


# The stream reads' buffer helpers load on the first read that needs them (import cost).
def _take(buf, n):
    global _take
    from _bytesbuf import take as _take
    return _take(buf, n)


def _grow(buf, k):
    global _grow
    from _bytesbuf import grow as _grow
    return _grow(buf, k)


class timeout(OSError):
    """A call ran past its deadline (errno ETIMEDOUT)."""


class gaierror(OSError):
    """A host name or service could not be resolved."""


class herror(OSError):
    pass


TimeoutError = timeout


# sendall failed part-way; .sent says how many bytes went out. Named OSError, what it
# is, so that a traceback reads as the built-in's would (an OSError takes no attributes).
_SendError = type("OSError", (OSError,), {})


def _ms_left(deadline):
    # the ms a wait may take until a deadline (None: -1, no limit), 0 once it is past
    if deadline is None:
        return -1
    ms = ticks_diff(deadline, ticks_ms())
    return ms if ms > 0 else 0


def _timed_out(msg="timed out"):
    return timeout(errno.ETIMEDOUT, msg)


# ---------------------------------------------------------------- addresses

def _host_ip(host, ms=-1):
    """A host string to a 32-bit address: numeric forms directly, names via DNS
    (within ms milliseconds; -1: the default timeout)."""
    if host == "" or host == INADDR_ANY:
        return 0
    if host == "<broadcast>":
        return 0xFFFFFFFF
    v = _aton(host)
    if v is None:
        v = _resolve(host, ms)[0]
    return v


def _split(address, ms=-1):
    """Any accepted address form -> (32-bit ip, port); names resolved within ms."""
    t = type(address)
    if t is tuple:
        n = len(address)
        if n == 2:
            host, port = address
            if type(host) is bytes:
                host = host.decode()
            elif type(host) is not str:
                host = getattr(host, "string", host)  # an sfnet IpAddress
                if type(host) is not str:
                    raise TypeError("host must be a str, not %s" % type(host).__name__)
            return _host_ip(host, ms), _check_port(port)
        if n == 4:
            return _ints_to_ip(address), 0
        if n == 5:
            return _ints_to_ip(address[:4]), _check_port(address[4])
        raise TypeError("address tuple must have 2, 4 or 5 items, got %d" % n)
    if t is str:
        return _host_ip(address, ms), 0
    found = _port.parse(address)  # a raw sockaddr, where the built-in speaks those
    if found is not None:
        return found
    raise TypeError(
        "address must be 'a.b.c.d', (a,b,c,d), ('host', port) or (a,b,c,d,port), not %s"
        % t.__name__
    )


_dns = None


def _dns_resolve(host, ms):
    # Our UDP resolver (modules/_dnsclient.py) when a DNS server is known, so the
    # timeout bounds the lookup; None: ask the built-in.
    global _dns
    if _dns is None:
        try:
            import _dnsclient as _dns
        except ImportError:  # not deployed: the built-in resolver only
            _dns = False
    if not _dns:
        return None
    try:
        return _dns.resolve(_n, host, _default_timeout if ms == -1 else ms)
    except _dns.DnsTimeout as e:
        raise _timed_out(e.args[1])
    except _dns.DnsError as e:
        raise gaierror(EAI_NONAME, e.args[1])


def _never_resolves(host):
    """Why `host` (not an address) can never resolve, or None."""
    name = host.rstrip(".").lower()
    if name == "invalid" or name.endswith(".invalid"):
        return "RFC 6761: .invalid names never resolve"
    top = name[name.rfind(".") + 1:]
    if top and "0" <= top[0] <= "9":
        return "not an address, and a top-level label starts with a letter (RFC 1123)"
    return None


def _resolve(host, ms=-1):
    """A host name -> list of 32-bit IPv4 addresses, or gaierror; within ms
    milliseconds when a DNS server is known (-1: the default timeout)."""
    if "\x00" in host:  # the resolver would cut the name at the NUL
        raise ValueError("embedded null character in host name %r" % (host,))
    why = _never_resolves(host)
    if why:  # known without asking, so no query leaves the machine
        raise gaierror(EAI_NONAME, "cannot resolve %r (%s)" % (host, why))
    found = _dns_resolve(host, ms)
    if found is not None:
        return found
    try:
        infos = _n.getaddrinfo(host, 0)
    except Exception as e:  # ports report -2, -202 or a message string
        raise gaierror(EAI_NONAME, "cannot resolve %r (%s)" % (host, e.args[0] if e.args else e))
    out = []
    for info in infos:
        addr = info[-1]
        if info[0] != AF_INET or addr is None:
            continue
        v = _port.info_ip(addr)
        if v is not None and v not in out:
            out.append(v)
    if not out:
        raise gaierror(EAI_NONAME, "no IPv4 address for %r" % host)
    return out


def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    """CPython's getaddrinfo, IPv4 only: [(family, type, proto, '', ("a.b.c.d", port))]."""
    return _addrinfo(host, port, family, type, proto, flags, -1)


def _addrinfo(host, port, family, type, proto, flags, ms):
    # ms: the time the name lookup may take (-1: the default timeout)
    for v in (family, type, proto, flags):
        if v.__class__ is not int and v.__class__ is not bool:
            raise TypeError("family, type, proto and flags must be ints, not %s" % v.__class__.__name__)
    if family not in (0, AF_INET):
        raise gaierror(EAI_FAMILY, "address family not supported: %r" % family)
    if port is None:
        port = 0
    elif port.__class__ is str or port.__class__ is bytes:
        try:
            port = int(port)
        except ValueError:
            raise gaierror(EAI_SERVICE, "service names are not supported: %r" % port)
    _check_port(port)
    if host is None:
        ips = [0 if flags & AI_PASSIVE else 0x7F000001]
    else:
        if host.__class__ is bytes:
            host = host.decode()
        if host.__class__ is not str:
            raise TypeError("host must be a str or None")
        v = _aton(host) if host else 0
        ips = [v] if v is not None else _resolve(host, ms)
    if type:
        if type not in (SOCK_STREAM, SOCK_DGRAM, SOCK_RAW):
            raise gaierror(EAI_SOCKTYPE, "socket type not supported: %r" % type)
        types = (type,)
    else:
        types = (SOCK_STREAM, SOCK_DGRAM)
    out = []
    for ip in ips:
        addr = (_quad(ip), port)
        for t in types:
            p = IPPROTO_TCP if t == SOCK_STREAM else IPPROTO_UDP if t == SOCK_DGRAM else 0
            if proto and p and proto != p:
                continue
            out.append((AF_INET, t, proto or p, "", addr))
    if not out:
        raise gaierror(EAI_SOCKTYPE, "no socket type matches proto %r" % proto)
    return out


def gethostbyname(name):
    """A host name or numeric address (str or bytes) -> "a.b.c.d"."""
    if type(name) is bytes:
        name = name.decode()
    if type(name) is not str:
        raise TypeError("host name must be a str or bytes")
    return _quad(_host_ip(name))


def inet_pton(family, ip):
    if family == AF_INET:
        if type(ip) is not str:
            raise TypeError("inet_pton() argument 2 must be str, not %s" % type(ip).__name__)
        b = _pton4(ip)
        if b is None:
            raise OSError(errno.EINVAL, "illegal IP address string passed to inet_pton: %r" % (ip,))
        return b
    if family == AF_INET6 and hasattr(_n, "inet_pton"):
        return _n.inet_pton(family, ip)
    raise OSError(EAFNOSUPPORT, "address family not supported")


def inet_ntop(family, packed):
    if family == AF_INET:
        if len(packed) != 4:
            raise ValueError("invalid length of packed IP address string")
        return inet_ntoa(packed)
    if family == AF_INET6 and hasattr(_n, "inet_ntop"):
        if len(packed) != 16:  # the built-in would read past the buffer
            raise ValueError("invalid length of packed IP address string")
        return _n.inet_ntop(family, packed)
    raise ValueError("unknown address family %r" % (family,))


# ---------------------------------------------------------------- timeouts

_default_timeout = None


def setdefaulttimeout(ms):
    """Default timeout in ms for new sockets (None = blocking)."""
    global _default_timeout
    _default_timeout = _check_timeout(ms)


def getdefaulttimeout():
    return _default_timeout


def _netlink():
    # The link state lives in netlink once an interface module loaded it; looked up
    # each time because a test (or a soft reset) may replace the module.
    return sys.modules.get("netlink")


# True once any socket watches the link (_gen set). Until then the waits skip reading
# _gen, an attribute only the class has (a slow read: see _rstate).
_watching = False


_seed = 0


def _pick_port():
    # A private generator: drawing from `random` would disturb applications that seed it.
    global _seed
    if not _seed:
        from time import ticks_us

        _seed = (ticks_us() * 2654435761 + id(_pick_port)) & 0xFFFFFFFF or 1
    x = _seed
    x ^= (x << 13) & 0xFFFFFFFF
    x ^= x >> 17
    x ^= (x << 5) & 0xFFFFFFFF
    _seed = x
    return 49152 + (x & 0x3FFF)


class _Closed:
    """Stands in for the built-in socket after close(), so methods need no checks."""

    def __getattr__(self, name):
        raise OSError(errno.EBADF, "socket is closed")


_CLOSED = _Closed()
# _rstate markers: why recv must take the slow path (and, when set, the send paths
# look at _wr_shut). Every socket stores _rstate itself: an attribute that only the
# class has costs a hot path two table lookups and a qstr hash per read (bench/NOTES.md).
_SHUT = "shut"
_LISTEN = "listen"  # a listening socket: every receive raises ENOTCONN
_DGRAM = "dgram"  # a datagram socket: one recv() per datagram, never the stream loop
_WR_SHUT = "wr_shut"  # shut for writing only: receives as usual, on the slow path


def _inherit(conn, opts):
    # An accepted connection takes its listener's options, as Linux passes them on: set
    # again, so they hold on every port. Not SO_REUSEADDR and SO_KEEPALIVE, which every
    # stack passes on itself (lwIP only those), so a server's clients keep no record of
    # them (RAM), nor the Zerynth timeout (a new socket has the default timeout).
    kept = ()
    for i in range(0, len(opts), 2):
        key = opts[i]
        if key >> 16 != SOL_SOCKET or key & 0xFFFF not in (SO_REUSEADDR, SO_KEEPALIVE, SO_RCVTIMEO):
            try:
                conn._s.setsockopt(key >> 16, key & 0xFFFF, opts[i + 1])
            except OSError:
                continue  # (one the connection cannot take: not recorded)
            kept += (key, opts[i + 1])
    if kept:
        conn._opts = kept


# ---------------------------------------------------------------- the socket

class socket(io.IOBase):
    def __init__(self, family=AF_INET, type=SOCK_STREAM, proto=0, fileno=None, _sock=None):
        if _sock is not None:  # accept() wrapping a connection
            self._setup(_sock, family, type, proto)
            return
        for v in (family, type, proto):
            if v.__class__ is not int:
                raise TypeError("family, type and proto must be ints, not %s" % v.__class__.__name__)
        if family == AF_CAN:
            raise OSError(EAFNOSUPPORT, "AF_CAN (CAN bus) sockets are not supported")
        if family != AF_INET:
            raise OSError(EAFNOSUPPORT, "only AF_INET sockets are supported")
        if type not in (SOCK_STREAM, SOCK_DGRAM):
            raise OSError(errno.EINVAL, "type must be SOCK_STREAM or SOCK_DGRAM")
        if proto not in (0, IPPROTO_TCP if type == SOCK_STREAM else IPPROTO_UDP):
            raise OSError(EPROTONOSUPPORT, "protocol %r does not match the socket type" % (proto,))
        if fileno is not None:
            raise OSError(errno.EOPNOTSUPP, "sockets cannot be built from a file descriptor here")
        self._setup(_n.socket(family, type, 0), family, type, proto)

    # Defaults live on the class: a socket stores only what differs (RAM per socket).
    _timeout = None
    _poll = None  # without _netfast: one select.poll, made on first wait, re-aimed per mask
    _pmask = 0  # the events _poll is registered for
    _local = None
    _peer = None
    _opts = None
    _rstate = None  # None, or why recv must take the slow path
    _connecting = None  # the native address of a non-blocking connect in progress
    _wr_shut = False
    _rawlast = None
    _addrlast = None
    _dstlast = None
    _nalast = None
    _gen = None  # link generation when connected; None = not watched

    family = AF_INET  # the only family; type and proto are stored only when not these
    type = SOCK_STREAM
    proto = 0

    def _setup(self, s, family, type, proto):
        s.setblocking(False)
        self._s = s
        if type != SOCK_STREAM:
            self.type = type
        if proto:
            self.proto = proto
        self._rstate = _DGRAM if type == SOCK_DGRAM else None
        if _default_timeout is not None:
            self._timeout = _default_timeout

    _UNIT = "ms"

    def __repr__(self):
        return "<socket fd=%d family=%d type=%d timeout=%r %s>" % (
            self.fileno(), self.family, self.type, self.gettimeout(), self._UNIT)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- lifecycle

    def close(self):
        s = self._s
        if s is _CLOSED:
            return
        self._s = _CLOSED
        self._rstate = None  # from now on every call raises EBADF, listening or not
        self._poll = None
        s.close()

    def fileno(self):
        s = self._s
        return -1 if s is _CLOSED else s.fileno()

    def detach(self):
        raise OSError(errno.EOPNOTSUPP, "detach is not supported")

    # -- timeouts (milliseconds)

    def settimeout(self, ms):
        """Timeout in MILLISECONDS for every blocking call; 0 = non-blocking, None = blocking."""
        if self._s is _CLOSED:
            self._s.fileno()  # raises EBADF
        self._timeout = _check_timeout(ms)

    def gettimeout(self):
        return self._timeout

    def setblocking(self, flag):
        if type(flag) is not bool and type(flag) is not int:
            raise TypeError("flag must be a bool or an int, not %s" % type(flag).__name__)
        if self._s is _CLOSED:
            self._s.fileno()  # raises EBADF
        self._timeout = None if flag else 0

    def getblocking(self):
        return self._timeout != 0

    def _deadline(self):
        t = self._timeout
        return ticks_add(ticks_ms(), t) if t else None

    def _ready(self, mask, ms):
        # The built-in's events for mask (an error or hang-up always), or 0 after ms.
        # Our firmware waits without a poll object (_netfast.wait1: no RAM kept).
        if _wait1 is not None:
            return _wait1(self._s, mask, ms)
        for _, ev in self._poller(mask | _POLLBAD).ipoll(ms):
            return ev
        return 0

    def _poller(self, mask):
        # Without _netfast: one poller per socket for every direction (~150 B on ESP32).
        p = self._poll
        if p is None:
            s = self._s
            if s is _CLOSED:
                s.fileno()  # raises EBADF
            p = self._poll = select.poll()
            p.register(s, mask)
            self._pmask = mask
        elif self._pmask != mask:
            p.modify(self._s, mask)
            self._pmask = mask
        return p

    def _wait(self, mask, deadline):
        """Wait until the built-in socket is ready for `mask`; return the poll events.
        Raises EAGAIN when non-blocking and socket.timeout past the deadline."""
        t = self._timeout
        watch = _watching and self._gen is not None
        while True:
            ms = 0 if t == 0 else _ms_left(deadline)  # (no timeout: no deadline, -1)
            step = ms
            if watch and (ms < 0 or ms > _LINK_CHECK_MS):
                step = _LINK_CHECK_MS  # wake up to notice a link drop
            ev = self._ready(mask, step)
            if ev:
                return ev
            if watch:
                self._check_link()
            if step == ms:
                if t == 0:
                    raise OSError(_EAGAIN, "operation would block")
                if t is not None:
                    raise _timed_out()

    def _check_link(self):
        nl = _netlink() if self._gen is not None else None
        if nl is not None and nl.generation() != self._gen:
            raise OSError(errno.ECONNABORTED, "the network link dropped since this socket connected")

    # -- addresses

    def bind(self, address):
        if type(address) is int:
            address = (INADDR_ANY, address)
        ip, port = _split(address)
        s = self._s
        if port == 0:  # no built-in can say which port the stack picked
            port = self._bind_any_port(s, ip)
        else:
            s.bind(_port.to_native(ip, port))
        self._local = (_quad(ip), port)

    @staticmethod
    def _bind_any_port(s, ip):
        # Built-ins without getsockname cannot report the port the stack would
        # pick, so pick it here, from the dynamic range, and know it exactly.
        for _ in range(64):
            port = _pick_port()
            try:
                s.bind(_port.to_native(ip, port))
                return port
            except OSError as e:
                if e.errno != errno.EADDRINUSE:
                    raise
        raise OSError(errno.EADDRINUSE, "no free port found in 49152-65535")

    def listen(self, backlog=2, maxlog=None):
        """listen(backlog) or Zerynth's listen(maxlog=n)."""
        if maxlog is not None:
            backlog = maxlog
        if type(backlog) is not int:
            raise TypeError("backlog must be an int")
        self._s.listen(backlog if backlog > 0 else 0)
        self._rstate = _LISTEN

    def _connect(self, address):
        t0 = ticks_ms()
        ip, port = _split(address, self._timeout)  # a name is resolved inside the timeout
        na = _port.to_native(ip, port)
        s = self._s
        peer = (_quad(ip), port)
        try:
            s.connect(na)
        except OSError as e:
            if e.errno != _EINPROGRESS and e.errno != _EAGAIN:
                raise
            if self._timeout == 0:
                self._peer = peer
                self._connecting = na
                self._watch_link()
                raise OSError(_EINPROGRESS, "connection in progress")
            t = self._timeout
            deadline = ticks_add(t0, t) if t else None  # one deadline, resolution included
            while True:
                self._wait(_POLLOUT, deadline)
                try:
                    s.connect(na)  # reports the outcome of the pending connect
                except OSError as e2:
                    if e2.errno == _EALREADY or e2.errno == _EINPROGRESS:
                        continue
                    if e2.errno != EISCONN:
                        raise
                break
        self._peer = peer
        self._watch_link()

    def _watch_link(self):
        global _watching
        nl = _netlink()
        if nl is not None and self.type == SOCK_STREAM:
            self._gen = nl.generation()  # polls, so a drop not yet seen is not blamed on us
            _watching = True

    def connect(self, address):
        self._connect(address)

    def connect_ex(self, address):
        try:
            self._connect(address)
        except OSError as e:
            if type(e) is gaierror:
                raise
            return e.errno if type(e.errno) is int else errno.EIO
        return 0

    def accept(self):
        deadline = self._deadline()
        s = self._s
        while True:
            self._wait(_POLLIN, deadline)
            try:
                ns, addr = s.accept()
                break
            except OSError as e:
                if e.errno != _EAGAIN:
                    raise
        try:
            conn = self.__class__(self.family, self.type, self.proto, None, ns)  # keeps the unit
            if self._opts:
                _inherit(conn, self._opts)
        except BaseException:  # MemoryError in a full heap: never leave the peer hanging
            ns.close()
            raise
        addr = _port.from_native(addr)
        conn._peer = addr
        conn._watch_link()
        return conn, addr

    def getpeername(self):
        if self._s is _CLOSED:
            self._s.fileno()  # raises EBADF
        if self._peer is None:
            raise OSError(errno.ENOTCONN, "socket is not connected")
        return self._peer

    def getsockname(self):
        s = self._s
        if s is _CLOSED:
            s.fileno()  # raises EBADF
        loc = self._local
        # Known exactly from bind(), unless bound to any-interface and since connected.
        if loc is not None and (loc[0] != INADDR_ANY or self._peer is None):
            return loc
        found = _port.local_name(s, self.type)
        if found:
            if self._peer is not None or self.type == SOCK_DGRAM:
                self._local = found  # fixed from now on: look it up once
            return found
        return loc or (INADDR_ANY, 0)

    # -- options

    def setsockopt(self, level, optname, value):
        t = value.__class__
        if t is bool:
            value = int(value)  # (CPython and lwIP's built-in take a bool, unix's does not)
        elif t is not int and t is not bytes:
            if level == SOL_SOCKET and optname == _SO_CALLBACK and (value is None or callable(value)):
                self._s.setsockopt(level, optname, _port.callback(self, value))  # (not kept for getsockopt)
                return
            try:  # any other bytes-like value (bytearray, memoryview, array), as CPython takes
                value = None if t is str else bytes(memoryview(value))  # (a str has a buffer here)
            except TypeError:
                value = None
            if value is None:
                raise TypeError("option value must be an int or a bytes-like object, not %s" % t.__name__)
        if level == SOL_SOCKET and optname == SO_RCVTIMEO and value.__class__ is not bytes:
            self.settimeout(value or None)  # Zerynth: milliseconds, 0 = no timeout
        else:
            self._s.setsockopt(level, optname, value)
        # kept for getsockopt as one flat tuple (key, value, ...): set rarely, and a dict
        # of tuple keys would cost every server client about 70 B
        key = (level << 16) | optname
        o = self._opts or ()
        i = self._opt_index(key)
        if i >= 0:
            o = o[:i] + o[i + 2:]
        self._opts = o + (key, value)

    def _opt_index(self, key):
        o = self._opts
        if o:
            for i in range(0, len(o), 2):
                if o[i] == key:
                    return i
        return -1

    def getsockopt(self, level, optname, buflen=0):
        """The option's int, or with buflen (1-1024) its bytes, at most buflen of them."""
        if self._s is _CLOSED:
            self._s.fileno()  # raises EBADF
        if buflen and not 0 < buflen <= 1024:
            raise OSError(errno.EINVAL, "getsockopt buflen out of range: %r" % (buflen,))
        if level == SOL_SOCKET and optname == SO_TYPE:
            v = self.type
        elif level == SOL_SOCKET and optname == SO_ERROR:
            v = self._connect_error()
        else:
            i = self._opt_index((level << 16) | optname)
            if i < 0:
                raise OSError(ENOPROTOOPT, "option %r not set and the built-in has no getsockopt" % (optname,))
            v = self._opts[i + 1]
        if not buflen:
            return v
        if v.__class__ is int:  # as the OS hands it over: a C int in the CPU's byte order
            v = (v & 0xFFFFFFFF).to_bytes(4, sys.byteorder)
        return v[:buflen]

    def _connect_error(self):
        # SO_ERROR where the built-in has no getsockopt: a second connect() to the same
        # address reports the outcome of a pending non-blocking one, without waiting.
        na = self._connecting
        if na is None:
            return 0
        try:
            self._s.connect(na)
        except OSError as e:
            if e.errno == _EALREADY or e.errno == _EINPROGRESS or e.errno == _EAGAIN:
                return 0  # still in progress
            self._connecting = None
            return 0 if e.errno == EISCONN else e.errno
        self._connecting = None
        return 0

    def shutdown(self, how):
        if how not in (SHUT_RD, SHUT_WR, SHUT_RDWR):  # CPython: EINVAL from the OS
            raise OSError(errno.EINVAL, "how must be SHUT_RD, SHUT_WR or SHUT_RDWR")
        if self._s is _CLOSED:
            self._s.fileno()  # raises EBADF
        if self._peer is None and self._rstate is not _LISTEN:  # (as the OS: a listener may)
            raise OSError(ENOTCONN, "socket is not connected")
        # No built-in has shutdown: the local side obeys it; the FIN goes out at close().
        if how != SHUT_WR:
            self._rstate = _SHUT
        if how != SHUT_RD:
            self._wr_shut = True
            if self._rstate is None:
                self._rstate = _WR_SHUT

    # -- sending

    def _check_send(self):
        if self._wr_shut:
            raise OSError(EPIPE, "socket was shut down for writing")

    def send(self, data, flags=0):
        """Send what the stack takes now (at least 1 byte unless non-blocking); return the count."""
        if self._rstate is not None:  # (and only then can _wr_shut be set)
            self._check_send()
        s = self._s
        if flags:
            if not flags & MSG_DONTWAIT:
                self._wait(_POLLOUT, self._deadline())
            flags &= ~MSG_DONTWAIT
            return s.send(data, flags) if self.type == SOCK_STREAM and flags else s.send(data)
        n = s.write(data)
        if n is not None:
            return n
        deadline = self._deadline()
        while True:
            self._wait(_POLLOUT, deadline)
            n = s.write(data)
            if n is not None:
                return n

    def sendall(self, data, flags=0):
        """Send everything or raise; the error's .sent says how much went out.
        The timeout is one deadline for the whole call."""
        if self._rstate is not None:  # (and only then can _wr_shut be set)
            self._check_send()
        try:
            n = self._s.write(data)
        except OSError as e:
            raise self._send_error(e, 0, _byte_len(data))
        if n != _len(data):  # None (would block), a partial write, or items wider than bytes
            self._sendall_rest(data, n)

    def _sendall_rest(self, data, sent):
        # The rest of a sendall after its first write gave `sent`: None (would block), a
        # partial count or -errno. (No try here: a big sendall keeps this frame off the
        # heap.) On our firmware the C sendall sends the rest of a plain wait itself.
        if sent is None:
            sent = 0
        elif sent < 0:
            self._send_failed(sent, 0, data)
        self._wait_write(data, sent)

    def _wait_write(self, data, sent):
        # the rest of a sendall the port's way (no _netfast, non-blocking, link watch)
        s = self._s
        total = _byte_len(data)
        deadline = self._deadline()
        try:
            while sent < total:
                n = s.write(data, sent, total - sent)
                if n is None:
                    self._wait(_POLLOUT, deadline)
                else:
                    sent += n
        except OSError as e:
            raise self._send_error(e, sent, total)

    def _send_failed(self, code, sent, data):
        # raise what sendall reports: -errno from a write (_netfast), or None for the deadline
        if code is None:
            e = _timed_out()
        elif code == -errno.EBADF:
            e = OSError(errno.EBADF, "socket is closed")
        else:
            e = OSError(-code)
        raise self._send_error(e, sent, _byte_len(data))

    @staticmethod
    def _send_error(e, sent, total):
        names = getattr(errno, "errorcode", None)  # (not on every port)
        why = e.args[1] if len(e.args) > 1 else (names and names.get(e.errno)) or "error"
        cls = timeout if e.__class__ is timeout else _SendError
        err = cls(e.errno, "%s after sending %d of %d bytes" % (why, sent, total))
        err.sent = sent
        return err

    def sendto(self, data, a, b=None):
        """sendto(data, address), sendto(data, flags, address) or Zerynth's sendto(data, address, flags)."""
        if b is not None and _type(b) is not _int:
            a = b  # sendto(data, flags, address)
        # the same destination as last time: no parsing, no allocation
        na = self._nalast if a is self._dstlast or a == self._dstlast else self._dest(a)
        # one sendto of the built-in, its failure returned instead of raised (no try,
        # so no heap frame); a full send buffer or a failure goes to _send_to_wait
        r = _sendto1(self._s, data, na)
        if r is None or r < 0:
            r = self._send_to_wait(data, na, r)
        return r

    def _dest(self, address):
        ip, port = _split(address)
        na = self._nalast = _port.to_native(ip, port)
        self._dstlast = address
        return na

    def _send_to_wait(self, data, na, r):
        if r is None:  # a full send buffer: wait to the deadline
            deadline = self._deadline()
            while r is None:
                self._wait(_POLLOUT, deadline)
                r = _sendto1(self._s, data, na)
        if r < 0:
            raise OSError(-r)
        return r

    # -- receiving

    def _nbytes(self, buffer, nbytes):
        size = len(buffer)
        if nbytes == -1 or nbytes == 0:
            return size
        if type(nbytes) is not int:
            raise TypeError("nbytes must be an int")
        if nbytes < 0:  # Zerynth: a bufsize below 0 means the whole buffer
            return size
        if nbytes > size:
            raise ValueError("buffer too small: %d bytes requested, buffer holds %d" % (nbytes, size))
        return nbytes

    # Hot paths keep their frames small (few locals, no try, shallow calls): a bigger
    # frame is allocated on the heap at every call. On our firmware a plain wait is one
    # _netfast read given the ms left (_poll_read, or inline); the rest is _read_wait.
    def recv_into(self, buffer, nbytes=-1, flags=0, bufsize=None):
        """Receive up to nbytes into buffer as soon as any data is there; 0 = orderly close.
        `bufsize` is Zerynth's name for nbytes. No heap allocation in steady state."""
        if bufsize is not None:
            nbytes = bufsize
        if flags or self._rstate is not None or _readinto1 is None:
            return self._recv_into_py(buffer, nbytes, flags)
        if _type(buffer) is not _bytearray:
            buffer = _byte_view(buffer)  # (an array of wider items: counts are bytes)
        if nbytes != -1 and not (_type(nbytes) is _int and 0 < nbytes <= _len(buffer)):
            nbytes = self._nbytes(buffer, nbytes)  # (0, Zerynth's negatives, errors)
        # one read (-1: the whole buffer): a reset after data never costs the data;
        # once closed, EBADF
        r = _readinto1(self._s, buffer, nbytes)
        if r is None:
            r = self._recv_into_wait(buffer, _len(buffer) if nbytes == -1 else nbytes)
        return r

    def _recv_into_py(self, buffer, nbytes, flags):
        # recv_into with flags, in a special state, without _netfast, or into wider items
        if _type(buffer) is not _bytearray:
            buffer = _byte_view(buffer)
        n = self._nbytes(buffer, nbytes)
        if flags or self._rstate is not None:
            return self._recv_into_flags(buffer, n, flags)
        p = self._poll
        if p is not None and n and self._pmask == _POLLIN_BAD:
            # Fast path: a zero-wait poll. Its events also tell whether the peer
            # reset, in which case one recv() keeps the data ahead of the error.
            for _, ev in p.ipoll(0):
                if ev & _POLLBAD:
                    return self._recv_one(buffer, n)
                r = self._s.readinto(buffer, n)
                if r is not None:
                    return r
        return self._recv_into_wait(buffer, n)

    def _recv_into_wait(self, buffer, n, deadline=_FROM_NOW):
        if not n:
            return 0
        if (_wait1 is not None and self._timeout != 0 and (not _watching or self._gen is None)
                and not _port.SLICE_MS):
            # (_plain_wait and _poll_read, inline: every echo waits; the deadline of a
            # gathering read, MSG_WAITALL, as the ms left)
            n = _readinto1(self._s, buffer, n, self._timeout if deadline == _FROM_NOW else _ms_left(deadline))
            if n is None:
                raise _timed_out()
            return n
        # a read-only buffer is a TypeError now, not after the wait (a 0-byte readinto
        # checks the buffer and reads nothing)
        self._s.readinto(buffer, 0)
        return self._read_wait(_INTO, buffer, n, 0, deadline)

    def _plain_wait(self):
        # a wait _poll_read can do: our firmware, a timeout, no link watch, a poll port
        return (_wait1 is not None and self._timeout != 0 and (not _watching or self._gen is None)
                and not _port.SLICE_MS)

    def _poll_read(self, read, a, b):
        # The plain wait of a read on our firmware (recv, recvfrom): one call of `read`,
        # a _netfast read that, finding nothing, waits for data up to the timeout:
        # read(sock, a, b, ms), or read(sock, b, ms) when a is None. recv_into and
        # recvfrom_into do the same inline (every echo waits). Everything else (slices,
        # link watch, flags) goes through _read_wait.
        r = read(self._s, b, self._timeout) if a is None else read(self._s, a, b, self._timeout)
        if r is None:
            raise _timed_out()
        return r

    def _read_wait(self, op, buf, n, flags, deadline=_FROM_NOW):
        """The wait-and-read loop of every receive: wait the port's way, then one read
        (_read_op). MSG_DONTWAIT in flags: one try, and EAGAIN if nothing is there."""
        if deadline == _FROM_NOW:
            deadline = self._deadline()
        dontwait = flags & MSG_DONTWAIT
        flags &= ~MSG_DONTWAIT
        while True:
            ev = 0
            if not dontwait:
                t = self._timeout
                if _port.SLICE_MS and (t is None or t and ticks_diff(deadline, ticks_ms()) >= _port.SLICE_MS):
                    ev = -1  # a long wait: a slice inside the built-in (see _port_lwip)
                else:
                    ev = self._wait(_POLLIN, deadline)
            try:
                r = self._read_slice(op, buf, n, flags) if ev < 0 else self._read_op(op, buf, n, flags, ev)
            except OSError as e:
                if dontwait or (e.errno != _EAGAIN and (ev >= 0 or e.errno != _ETIMEDOUT)):
                    raise
                r = None
            if r is not None:
                return r
            if dontwait:
                raise OSError(_EAGAIN, "operation would block")

    def _read_op(self, op, buf, n, flags, ev):
        # One read of the built-in: the result, or None (or EAGAIN) if nothing was there.
        s = self._s
        if op == _INTO:
            if _readinto1 is not None:
                return _readinto1(s, buf, n)
            if ev & _POLLBAD:  # (and in a slice) one recv: the stream loop would drop a count
                return self._recv_one(buf, n)
            return s.readinto(buf, n)
        if op == _ONE:
            return self._recv_one(buf, n, flags)
        if op == _RECV:
            return s.recv(n, flags) if flags else s.recv(n)
        return s.recvfrom(n, flags) if flags else s.recvfrom(n)

    def _read_slice(self, op, buf, n, flags):
        # One read blocked inside the built-in for up to a slice; then non-blocking again.
        self._check_link()
        s = self._s
        s.settimeout(_port.SLICE_S)
        try:
            return self._read_op(op, buf, n, flags, _POLLBAD)
        finally:
            s.settimeout(0)

    def _recv_one(self, buffer, n, flags=0):
        # One recv() call: a reset after data never swallows the data (the stream
        # readinto loop would drop the count).
        data = self._s.recv(n, flags) if flags else self._s.recv(n)
        k = len(data)
        buffer[:k] = data
        return k

    def _take_pending(self):
        st = self._rstate
        if st is _DGRAM or st is _WR_SHUT:
            return False
        if st is _SHUT:
            return True
        if st is _LISTEN:
            raise OSError(ENOTCONN, "socket is listening, not connected")
        if st is not None:
            self._rstate = _WR_SHUT if self._wr_shut else None
            raise st
        return False

    def _gather(self, buffer, n, flags, single=False):
        """Fill buffer[:n] until EOF. An error after some data returns the data and is
        raised by the next receive call, so nothing already received is lost.
        single: one recv() per chunk, never the built-in's stream readinto (whose loop
        drops its count when a reset follows a short read); it allocates per chunk."""
        if self._rstate is not None and self._take_pending():
            return 0
        mv = memoryview(buffer)
        got = 0
        deadline = self._deadline()  # one deadline for the whole call
        while got < n:
            try:
                if flags or single:
                    # at most a chunk per recv(): it allocates what it asks for
                    k = min(n - got, _READ_CHUNK)
                    k = self._recv_some(mv[got:got + k], k, flags, deadline)
                else:
                    k = self._recv_into_wait(mv[got:n], n - got, deadline)
            except OSError as e:
                if got:
                    if e.errno != _EAGAIN:
                        self._rstate = e
                    return got
                raise
            if k == 0:
                break
            got += k
        return got

    def _recv_into_flags(self, buffer, n, flags):
        if self._take_pending():
            return 0
        if flags & MSG_WAITALL:
            return self._gather(buffer, n, flags & ~MSG_WAITALL, True)
        return self._recv_some(buffer, n, flags, self._deadline())

    def _recv_some(self, buffer, n, flags, deadline):
        # One recv() as soon as data is there; with MSG_DONTWAIT, no wait at all.
        return self._read_wait(_ONE, buffer, n, flags, deadline)

    def recv(self, bufsize, flags=0):
        """Receive up to bufsize bytes as soon as any are there; b'' = orderly close.
        MSG_WAITALL waits for all bufsize bytes (Zerynth's recv)."""
        return self._recv_wait(bufsize, flags)

    def _recv_wait(self, bufsize, flags):
        if _type(bufsize) is not _int:
            raise TypeError("bufsize must be an int")
        if bufsize < 0:
            raise ValueError("negative buffersize in recv: %d" % bufsize)
        if (self._rstate is not None and self._take_pending()) or bufsize == 0:
            return b""
        if flags & MSG_WAITALL:
            buf = _bytearray(bufsize + 1)  # + the NUL that bytes end with
            return _take(buf, self._recv_into_flags(buf, bufsize, flags))
        if not flags and self._rstate is None and self._plain_wait():
            return self._poll_read(_recv1, None, bufsize)
        return self._read_wait(_RECV, None, bufsize, flags)

    def _recvfrom(self, bufsize, flags):
        # BSD: a datagram larger than bufsize is cut to it and the rest discarded
        # (MSG_PEEK leaves it queued whole).
        r = None
        if _recvfrom1 is not None and not flags:
            r = _recvfrom1(self._s, bufsize)
        if r is None:
            if not flags and self._plain_wait():
                r = self._poll_read(_recvfrom1, None, bufsize)
            else:
                r = self._read_wait(_FROM, None, bufsize, flags)
        return self._sender(r)

    def _sender(self, r):
        # (r[0], the sender r[1] as ("ip", port)), or (r, the last sender) for a count
        # alone (_netfast.recvfrom_into1: the same sender); a repeated sender reuses its
        # tuple
        if r.__class__ is _int:
            return r, self._addrlast
        raw = r[1]
        if raw != self._rawlast:
            self._addrlast = _port.from_native(raw)
            self._rawlast = raw
        return r[0], self._addrlast

    def recvfrom(self, bufsize, flags=0):
        if type(bufsize) is not int:
            raise TypeError("bufsize must be an int")
        if bufsize < 0:
            raise ValueError("negative buffersize in recvfrom: %d" % bufsize)
        if self.type == SOCK_STREAM:  # as CPython: the data, and no address
            return self.recv(bufsize, flags), None
        return self._recvfrom(bufsize, flags)

    def recvfrom_into(self, buffer, nbytes=-1, flags=0, bufsize=None):
        """(count, sender): one datagram into buffer. `bufsize` is Zerynth's nbytes.
        On our firmware a repeated sender costs only the result tuple."""
        if bufsize is not None:
            nbytes = bufsize
        if nbytes != -1 or flags or self._rstate is not _DGRAM or _recvfrom_into1 is None:
            return self._recvfrom_into_py(buffer, nbytes, flags)
        r = _recvfrom_into1(self._s, buffer, self._rawlast)
        if r is None:
            if _wait1 is not None and self._timeout != 0 and not _port.SLICE_MS:
                # the plain wait (_plain_wait and _poll_read, inline: every echo
                # waits; a datagram socket has no link watch)
                r = _recvfrom_into1(self._s, buffer, self._rawlast, self._timeout)
                if r is None:
                    raise _timed_out()
            else:
                r = self._recvfrom_into_wait(buffer)
        if r.__class__ is _int:  # the last sender again (_sender, inline)
            return r, self._addrlast
        return self._sender(r)

    def _recvfrom_into_wait(self, buffer):
        # every other wait: slices, a non-blocking socket, no _netfast.wait1
        buffer = _byte_view(buffer)
        r = self._read_wait(_FROM, None, _len(buffer), 0)
        buffer[:_len(r[0])] = r[0]
        return _len(r[0]), r[1]

    def _recvfrom_into_py(self, buffer, nbytes, flags):
        # nbytes, flags, a stream socket, a closed socket, or no _netfast
        if self.type == SOCK_STREAM:
            return self.recv_into(buffer, nbytes, flags), None
        buffer = _byte_view(buffer)
        n = self._nbytes(buffer, nbytes)
        if not flags and self._rstate is _DGRAM and _recvfrom_into1 is not None:
            return self.recvfrom_into(memoryview(buffer)[:n])  # the fast path, on a view
        r = self._recvfrom(n, flags)
        k = len(r[0])
        buffer[:k] = r[0]
        return k, r[1]

    # -- stream protocol: the built-in's semantics (fill the buffer when blocking),
    # used by makefile() users, asyncio, requests and the TLS module.

    def makefile(self, mode="rb", buffering=0, **kw):
        return self

    def readinto(self, buf, nbytes=-1):
        if _type(buf) is not _bytearray:
            buf = _byte_view(buf)  # (an array of wider items: counts are bytes)
        n = self._nbytes(buf, nbytes)
        if self.type != SOCK_DGRAM and self._timeout != 0:
            return self._gather(buf, n, 0)
        try:
            if self.type == SOCK_DGRAM:  # one datagram, as the built-in's stream read
                return self.recv_into(buf, n)
            return self._read_available(buf, n)
        except OSError as e:
            if e.errno == _EAGAIN:
                return None
            raise

    def _read_available(self, buf, n):
        # Non-blocking stream read: all that is there, up to n, as the built-in's loop
        # gathers it (raises EAGAIN if nothing is). An error after data: the data now,
        # the error from the next call.
        got = self.recv_into(buf, n)
        mv = memoryview(buf)
        while 0 < got < n:
            try:
                k = self.recv_into(mv[got:], n - got)
            except OSError as e:
                if e.errno != _EAGAIN:
                    self._rstate = e
                break
            if k == 0:
                break
            got += k
        return got

    def read(self, size=-1):
        """read(n) fills n bytes unless the stream ends (blocking) or returns what is
        there (non-blocking, None if nothing); read() reads to the end. Bytes received
        before an error are returned, and the error comes from the next call. Memory:
        one buffer of the result's size, which becomes the result (see _bytesbuf)."""
        if size is None or size < 0:
            return self._read_all()
        try:
            if self.type == SOCK_DGRAM:
                return self.recv(size)  # one datagram, as the built-in's
            buf = bytearray(size + 1)  # + the NUL that bytes end with
            if self._timeout == 0:
                return _take(buf, self._read_available(buf, size))  # what is there
            return _take(buf, self._gather(buf, size, 0))
        except OSError as e:
            if e.errno == _EAGAIN:
                return None
            raise

    def _read_all(self):
        if self._rstate is not None and self._take_pending():
            return b""
        buf = bytearray(_READ_CHUNK + 1)  # + the NUL that bytes end with
        got = 0
        while True:
            room = len(buf) - 1 - got
            if room == 0:
                gc.collect()
                _grow(buf, _READ_CHUNK)
                room = _READ_CHUNK
            try:
                # one recv() per piece: a reset right after data never loses the data
                k = self._recv_some(memoryview(buf)[got:], room, 0, self._deadline())
            except OSError as e:
                if got == 0:
                    if e.errno == _EAGAIN:
                        return None
                    raise
                if e.errno != _EAGAIN:
                    self._rstate = e  # raised by the next call; the data goes out now
                break
            if k == 0:
                break
            got += k
        return _take(buf, got)

    def readline(self, limit=-1):
        buf = None  # only for a line that arrives in several pieces
        got = 0
        while limit < 0 or got < limit:
            if MSG_PEEK:
                take = self._line_piece(256 if limit < 0 else min(256, limit - got))
                if take is None:  # non-blocking, and nothing more is there
                    if buf is None:
                        return None
                    break
                if take == 0:
                    break
                if buf is None and take > 0:  # the whole line in one piece: one allocation
                    return self.recv(take)
            else:
                take = 1  # no MSG_PEEK on this port: a byte at a time
            if buf is None:
                buf = bytearray(_READ_CHUNK + 1)  # grown a chunk at a time, as read()'s
            elif len(buf) - 1 - got < abs(take):
                # Collected first, so that the next peeks land in the holes this
                # leaves and not just past the buffer, where it has to grow.
                gc.collect()
                _grow(buf, _READ_CHUNK)
            try:
                k = self.recv_into(memoryview(buf)[got:], abs(take))  # what was peeked
            except OSError as e:
                if e.errno != _EAGAIN or got == 0:  # (only without MSG_PEEK)
                    raise
                break
            if k == 0:
                break
            got += k
            if take > 0 and k == take if MSG_PEEK else buf[got - 1] == 10:
                break
        if buf is None:
            return b""
        return _take(buf, got)

    def _line_piece(self, want):
        """How much of the line the next `want` bytes hold: +n ends it, -n does not,
        0 = end of stream, None = nothing there (non-blocking). Its own function: the
        peeked bytes must not outlive it (a stale reference in the caller's frame would
        pin them where the line's buffer has to grow)."""
        try:
            peek = self.recv(want, MSG_PEEK)
        except OSError as e:
            if e.errno == _EAGAIN:
                return None
            raise
        i = peek.find(b"\n")
        return i + 1 if i >= 0 else -len(peek)

    def write(self, buf, off=None, size=None):
        """Stream write: write(buf), write(buf, size) or write(buf, off, size), as the built-in."""
        if off is not None:
            if size is None:
                off, size = 0, off
            if type(off) is not int or type(size) is not int:
                raise TypeError("write offset and size must be ints")
            if off < 0 or size < 0:  # (the built-in takes them as huge unsigned values)
                raise ValueError("write offset and size must be >= 0, got %d and %d" % (off, size))
            buf = _byte_view(buf)  # (both count bytes, as the built-in's do)
            total = len(buf)
            off = min(off, total)
            buf = memoryview(buf)[off:min(total, off + size)]
        if self._timeout == 0:
            self._check_send()
            return self._s.write(buf)
        self.sendall(buf)
        return _byte_len(buf)

    def flush(self):
        # (writes are not buffered: makefile("wb") users call it, as on a CPython file)
        if self._s is _CLOSED:
            self._s.fileno()  # raises EBADF

    def ioctl(self, req, arg):
        s = self._s
        if req == _STREAM_GET_FILENO:
            return self.fileno()
        if req == _STREAM_POLL:
            # Ports whose select.poll asks streams directly (no file descriptors).
            if s is _CLOSED:
                return select.POLLHUP
            return self._ready(arg, 0)
        if req == _STREAM_CLOSE:
            self.close()
            return 0
        return -errno.EINVAL

    if _c_sendall is not None:
        # Our firmware: the hot methods in C (netfast.c), bound as these are. Each runs
        # the common path with no Python frame and hands the rest to the helpers above;
        # a call with keywords goes to the Python method, kept as its _py_ twin.
        _py_sendall, _py_recv, _py_recv_into = sendall, recv, recv_into
        sendall, recv, recv_into = _c_sendall, _c_recv, _c_recv_into  # type: ignore[assignment]  # noqa: F811


def create_connection(address, timeout=-1, source_address=None):
    """Connect to (host, port), trying every resolved address; the timeout (ms) is one
    deadline for the whole call. Failed sockets are closed; the last error is raised."""
    return _connect_any(socket, address, _default_timeout if timeout == -1 else timeout,
                        source_address)


def _connect_any(cls, address, timeout, source_address):
    # Shared by both units' create_connection: `timeout` is ms here, `cls` the unit's class.
    if type(address) is not tuple or len(address) != 2:
        raise TypeError("address must be a (host, port) tuple")
    host, port = address
    timeout = _check_timeout(timeout)
    deadline = ticks_add(ticks_ms(), timeout) if timeout else None
    last = None
    # the name lookup is part of the one deadline (when our resolver knows a server)
    for info in _addrinfo(host, port, 0, SOCK_STREAM, 0, 0, timeout):
        s = cls(info[0], info[1], info[2])
        try:
            if deadline is not None:
                left = ticks_diff(deadline, ticks_ms())
                if left <= 0:
                    raise _timed_out()
                s._timeout = left
            else:
                s._timeout = timeout
            if source_address:
                s.bind(source_address)
            s.connect(info[4])
            s._timeout = timeout
            return s
        except OSError as e:
            s.close()
            last = e
        except BaseException:  # a bad source_address, KeyboardInterrupt: no socket left open
            s.close()
            raise
    raise last


def create_server(address, backlog=None, reuse_port=False, family=AF_INET, dualstack_ipv6=False):
    """CPython's create_server: a listening TCP socket bound to address, SO_REUSEADDR
    set; backlog None = listen()'s default. IPv4 only: no dual-stack socket."""
    return _listen_on(socket, address, backlog, reuse_port, family, dualstack_ipv6)


def has_dualstack_ipv6():
    """CPython's: can create_server take IPv4 and IPv6 on one socket? Never: IPv4 only."""
    return False


def _listen_on(cls, address, backlog, reuse_port, family, dualstack_ipv6):
    if reuse_port and not hasattr(_n, "SO_REUSEPORT"):
        raise ValueError("SO_REUSEPORT not supported on this platform")
    if dualstack_ipv6:
        raise ValueError("dualstack_ipv6 needs AF_INET6: sockets here are IPv4 only")
    s = cls(family, SOCK_STREAM)
    try:
        s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
        if reuse_port:
            s.setsockopt(SOL_SOCKET, _n.SO_REUSEPORT, 1)
        s.bind(address)
        s.listen() if backlog is None else s.listen(backlog)
    except Exception:
        s.close()
        raise
    return s


def _forward_builtin_names():
    # Every name of the built-in that this module does not define (SO_LINGER,
    # IP_DROP_MEMBERSHIP, MSG_DONTROUTE, AF_UNIX, sockaddr, SO_BINDTODEVICE, ...).
    g = globals()
    for name in dir(_n):
        if name[0] != "_" and name not in g:
            g[name] = getattr(_n, name)


_forward_builtin_names()
del _forward_builtin_names
