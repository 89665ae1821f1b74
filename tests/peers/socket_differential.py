# One script of socket operations, run under CPython's socket and under MicroPython
# with the override (tests/host/test_socket_differential.py compares the two).
# Everything happens on 127.0.0.1 inside this process: listeners, clients, datagrams.
# Each case prints one line "name\tresult", with results normalised so that the two
# runtimes can be compared: ports are never printed, timeouts are shown in seconds
# (our API takes milliseconds), exceptions as (kind, errno).
#
# `micropython socket_differential.py seconds` runs it through the seconds view, as a
# module written for CPython's socket gets it: every timeout in seconds there too.
import array
import errno
import select
import sys
import time

MP = sys.implementation.name == "micropython"
MS = MP and sys.argv[1:] != ["seconds"]  # our milliseconds
if MP and not MS:
    import _socket_units

    _socket_units.seconds_for("__main__")
import socket  # noqa: E402

if MP:
    socket.AF_INET  # (the first use hands this module its view: socket.py rebinds the name)
    sys.stderr.write("view: %s\n" % socket.__name__)  # (checked by the host test)
LO = "127.0.0.1"


def T(seconds):
    """A timeout in this runtime's unit: seconds for CPython, milliseconds for us."""
    return None if seconds is None else (int(seconds * 1000) if MS else seconds)


def secs(t):
    """A timeout read back, in seconds."""
    return None if t is None else round((t / 1000 if MS else t), 3)


def kind(e):
    if isinstance(e, socket.timeout):
        return "timeout"
    if isinstance(e, socket.gaierror):
        return "gaierror"
    if isinstance(e, OSError):
        return "OSError"
    return type(e).__name__


def norm(v):
    if isinstance(v, int) and not isinstance(v, bool):
        return int(v)  # CPython's IntEnum constants print as plain numbers
    if isinstance(v, float) and v == int(v):
        return int(v)
    if isinstance(v, bytearray):
        return bytes(v)
    if isinstance(v, list):
        return [norm(x) for x in v]
    if isinstance(v, tuple):
        return tuple(norm(x) for x in v)
    return v


def call_name(fn_name, args):
    return "%s%r" % (fn_name, norm(tuple(args)))


def case(name, fn, *args):
    try:
        r = ("ok", norm(fn(*args)))
    except Exception as e:
        r = ("exc", kind(e), e.errno if isinstance(e, OSError) else None)
    print("%s\t%r" % (name, r))
    return r


_open = []


def track(s):
    _open.append(s)
    return s


def listener(backlog=4):
    s = track(socket.socket())
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((LO, 0))
    s.listen(backlog)
    return s


def pair():
    """(client, server-side) of a fresh TCP connection, both blocking with a 5 s timeout."""
    srv = listener()
    c = track(socket.socket())
    c.settimeout(T(5))
    c.connect(srv.getsockname())
    srv.settimeout(T(5))
    a, _ = srv.accept()
    track(a)
    a.settimeout(T(5))
    srv.close()
    return c, a


def _udp_refused():
    u = track(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    u.settimeout(T(0.5))
    u.connect(dead_udp())
    u.send(b"x")
    return u.recv(10)


def dead_udp():
    d = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    d.bind((LO, 0))
    a = d.getsockname()
    d.close()
    return a


def _udp_empty_into():
    u = track(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    u.bind((LO, 0))
    u.settimeout(T(1))
    u.sendto(b"abc", u.getsockname())
    return u.recvfrom_into(bytearray(0))[0]


def _tcp_unconnected_recv():
    t = track(socket.socket())
    t.settimeout(T(0.05))
    return t.recv(1)


def _view_into(s):
    b = bytearray(6)
    n = s.recv_into(memoryview(b)[1:5])
    return n, bytes(b)


def _send_after_close():
    c, a = pair()
    a.close()
    time.sleep(0.05)
    c.send(b"x")  # the first may go out; the peer answers with a reset
    time.sleep(0.05)
    return c.send(b"y")


def _default_timeout_socket():
    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(T(3))
    try:
        t = track(socket.socket())
        return secs(t.gettimeout())
    finally:
        socket.setdefaulttimeout(old)


def _udp_peek_empty():
    u = track(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    u.bind((LO, 0))
    u.setblocking(False)
    return u.recvfrom(4, socket.MSG_PEEK)


def _udp_any_name():
    u = track(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    u.bind(("0.0.0.0", 0))
    return u.getsockname()[0]


def dead_address():
    """A loopback address where nothing listens: bound, never listening."""
    s = track(socket.socket())
    s.bind((LO, 0))
    return s.getsockname()


def udp(timeout=2):
    s = track(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    s.bind((LO, 0))
    s.settimeout(T(timeout))
    return s


def recv_exactly(s, n):
    # pieces of at most 8 KB, joined once: the 32-bit firmware's 1 MB heap, fragmented
    # by whatever the peer's timing made of the pieces, holds it
    parts = []
    got = 0
    while got < n:
        d = s.recv(min(n - got, 8192))
        if not d:
            break
        parts.append(d)
        got += len(d)
    return b"".join(parts)


def drain(s, n):
    """How many of n bytes arrive, read into one small buffer."""
    buf = bytearray(4096)
    got = 0
    while got < n:
        k = s.recv_into(buf, min(n - got, len(buf)))
        if not k:
            break
        got += k
    return got


# ---------------------------------------------------------------- module level

case("exc.timeout_is_oserror", lambda: issubclass(socket.timeout, OSError))
case("exc.gaierror_is_oserror", lambda: issubclass(socket.gaierror, OSError))
case("exc.herror_is_oserror", lambda: issubclass(socket.herror, OSError))
case("exc.error_is_oserror", lambda: socket.error is OSError)
case("const.AF_INET", lambda: socket.AF_INET)
case("const.SOCK_STREAM", lambda: socket.SOCK_STREAM)
case("const.SOCK_DGRAM", lambda: socket.SOCK_DGRAM)
case("const.SOL_SOCKET", lambda: socket.SOL_SOCKET)
case("const.SO_REUSEADDR", lambda: socket.SO_REUSEADDR)
case("const.SHUT_RDWR", lambda: (socket.SHUT_RD, socket.SHUT_WR, socket.SHUT_RDWR))
case("const.IPPROTO", lambda: (socket.IPPROTO_TCP, socket.IPPROTO_UDP))
case("const.MSG_PEEK", lambda: socket.MSG_PEEK)
case("const.SO_LINGER", lambda: socket.SO_LINGER)
case("const.MSG_DONTROUTE", lambda: socket.MSG_DONTROUTE)
case("const.IP_DROP_MEMBERSHIP", lambda: socket.IP_DROP_MEMBERSHIP)
case("const.default_timeout", lambda: socket.getdefaulttimeout())

for v in (0, 1, 0x1234, 0xFFFF, 0x10000, -1, "1", 1.5, True):
    case("htons(%r)" % (v,), socket.htons, v)
    case("ntohs(%r)" % (v,), socket.ntohs, v)
for v in (0, 1, 0x12345678, 0xFFFFFFFF, 0x100000000, -1, 1.0):
    case("htonl(%r)" % (v,), socket.htonl, v)
    case("ntohl(%r)" % (v,), socket.ntohl, v)

for s in ("127.0.0.1", "0.0.0.0", "255.255.255.255", "1.2.3", "1.2", "1", "0x7f.1",
          "017.0.0.1", "256.0.0.1", "1.2.3.4.5", "", "a.b.c.d", "1.2.3.4 junk", " 1.2.3.4",
          "4294967295", "4294967296", "0x100000000"):
    case("inet_aton(%r)" % s, socket.inet_aton, s)
for b in (b"\x7f\x00\x00\x01", b"\xff\xff\xff\xff", b"\x00\x00\x00", b"\x00" * 5):
    case("inet_ntoa(%r)" % b, socket.inet_ntoa, b)
for s in ("127.0.0.1", "1.2.3", "01.2.3.4", "1.2.3.256", "1.2.3.4 ", "", "::1"):
    case("inet_pton4(%r)" % s, socket.inet_pton, socket.AF_INET, s)
for b in (b"\x01\x02\x03\x04", b"\x01\x02\x03", b"\x01" * 5):
    case("inet_ntop4(%r)" % b, socket.inet_ntop, socket.AF_INET, b)
for b in (bytes(15) + b"\x01", b"\x01" * 4, bytes(17), bytes(16)):
    case("inet_ntop6(%r)" % b, socket.inet_ntop, socket.AF_INET6, b)
case("inet_pton6('::1')", socket.inet_pton, socket.AF_INET6, "::1")
case("inet_ntop(99)", socket.inet_ntop, 99, b"\x01\x02\x03\x04")

GAI = [
    ("127.0.0.1", 80, 0, socket.SOCK_STREAM),
    ("127.0.0.1", 80, socket.AF_INET, socket.SOCK_DGRAM),
    ("127.0.0.1", "80", 0, socket.SOCK_STREAM),
    ("127.0.0.1", None, 0, socket.SOCK_STREAM),
    ("localhost", 80, socket.AF_INET, socket.SOCK_STREAM),
    ("127.1", 80, 0, socket.SOCK_STREAM),
    ("127.0.0.1", 80, socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP),
    ("127.0.0.1", 80, socket.AF_INET, 0, socket.IPPROTO_UDP),
    ("127.0.0.1", 70000, 0, socket.SOCK_STREAM),
    ("127.0.0.1", -1, 0, socket.SOCK_STREAM),
    ("localhost\x00.evil", 80, 0, socket.SOCK_STREAM),
    (b"127.0.0.1", 80, 0, socket.SOCK_STREAM),
    (None, 80, socket.AF_INET, socket.SOCK_STREAM),
]
for args in GAI:
    case(call_name("getaddrinfo", args), lambda *a: sorted(socket.getaddrinfo(*a)), *args)
case("getaddrinfo_passive", lambda: socket.getaddrinfo(None, 80, socket.AF_INET,
                                                       socket.SOCK_STREAM, 0, socket.AI_PASSIVE))
case("getaddrinfo_port_float", socket.getaddrinfo, "127.0.0.1", 1.5)
for h in ("127.0.0.1", "localhost", "127.1", "localhost\x00", 127):
    case("gethostbyname(%r)" % (h,), socket.gethostbyname, h)

# ---------------------------------------------------------------- socket objects

s = track(socket.socket())
case("sock.family", lambda: s.family == socket.AF_INET)
case("sock.type", lambda: s.type == socket.SOCK_STREAM)
case("sock.proto", lambda: s.proto)
case("sock.gettimeout", lambda: secs(s.gettimeout()))
case("sock.getblocking", s.getblocking)
case("sock.settimeout_1.5", lambda: (s.settimeout(T(1.5)), secs(s.gettimeout()), s.getblocking()))
case("sock.settimeout_0", lambda: (s.settimeout(T(0)), secs(s.gettimeout()), s.getblocking()))
case("sock.setblocking_true", lambda: (s.setblocking(True), s.gettimeout()))
case("sock.setblocking_false", lambda: (s.setblocking(False), secs(s.gettimeout())))
case("sock.settimeout_neg", s.settimeout, T(-1))
case("sock.settimeout_str", s.settimeout, "1")
case("sock.settimeout_none", lambda: (s.settimeout(None), s.gettimeout()))
case("sock.getpeername_unconnected", s.getpeername)
case("sock.getsockname_unbound", s.getsockname)
case("sock.fileno_valid", lambda: s.fileno() >= 0)
case("sock.getsockopt_type", s.getsockopt, socket.SOL_SOCKET, socket.SO_TYPE)
case("sock.getsockopt_error", s.getsockopt, socket.SOL_SOCKET, socket.SO_ERROR)
case("sock.reuseaddr", lambda: (s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1),
                                bool(s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR))))
case("sock.send_unconnected", s.send, b"x")
case("sock.recv_unconnected_nb", lambda: (s.setblocking(False), s.recv(1)))
case("sock.bind_port_big", s.bind, (LO, 70000))
case("sock.bind_port_str", s.bind, (LO, "80"))
case("sock.bind_host_int", s.bind, (1, 80))
case("sock.bind_ok", lambda: (s.bind((LO, 0)), s.getsockname()[0]))
case("sock.bind_twice", s.bind, (LO, 0))
case("sock.listen_then_recv", lambda: (s.listen(1), s.recv(1)))
case("sock.listen_then_recv_into", s.recv_into, bytearray(4))
case("sock.listen_recv_blocking", lambda: (s.setblocking(True), s.recv(1)))
case("sock.accept_nb_eagain", lambda: (s.setblocking(False), s.accept()))
case("sock.accept_timeout", lambda: (s.settimeout(T(0.05)), s.accept()))
case("sock.close", s.close)
case("sock.close_twice", s.close)
case("closed.fileno", s.fileno)
for name, fn in (("send", lambda: s.send(b"x")), ("recv", lambda: s.recv(1)),
                 ("recv_into", lambda: s.recv_into(bytearray(1))),
                 ("sendall", lambda: s.sendall(b"x")), ("connect", lambda: s.connect((LO, 1))),
                 ("bind", lambda: s.bind((LO, 0))), ("listen", lambda: s.listen(1)),
                 ("accept", lambda: s.accept()), ("getsockname", s.getsockname),
                 ("getpeername", s.getpeername), ("settimeout", lambda: s.settimeout(T(1))),
                 ("setblocking", lambda: s.setblocking(False)),
                 ("setsockopt", lambda: s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)),
                 ("sendto", lambda: s.sendto(b"x", (LO, 9)))):
    case("closed." + name, fn)

case("ctor.none", socket.socket, None)
case("ctor.type_none", socket.socket, socket.AF_INET, None)
case("ctor.proto_none", socket.socket, socket.AF_INET, socket.SOCK_STREAM, None)
case("ctor.dgram", lambda: track(socket.socket(socket.AF_INET, socket.SOCK_DGRAM)).type
     == socket.SOCK_DGRAM)

# ---------------------------------------------------------------- TCP

dead = dead_address()
c = track(socket.socket())
c.settimeout(T(2))
case("tcp.connect_refused", c.connect, dead)
c = track(socket.socket())
case("tcp.connect_ex_refused", c.connect_ex, dead)
c = track(socket.socket())
case("tcp.connect_port_big", c.connect, (LO, 70000))
case("tcp.connect_nul_host", c.connect, ("localhost\x00x", 80))

srv = listener()
c = track(socket.socket())
case("tcp.connect_ex_ok", c.connect_ex, srv.getsockname())
a, peer = srv.accept()
track(a)
case("tcp.accept_peer_matches", lambda: peer == c.getsockname())
case("tcp.getpeername", lambda: c.getpeername() == srv.getsockname())
case("tcp.accepted_timeout", lambda: secs(a.gettimeout()))
case("tcp.accepted_family", lambda: (a.family == socket.AF_INET, a.type == socket.SOCK_STREAM))
case("tcp.connect_again", c.connect, srv.getsockname())

c, a = pair()
case("tcp.send_small", c.send, b"hello")
case("tcp.recv_small", recv_exactly, a, 5)
case("tcp.sendall_none", c.sendall, b"")
case("tcp.recv_0", a.recv, 0)
case("tcp.recv_neg", a.recv, -1)
case("tcp.recv_str", a.recv, "1")
case("tcp.sendall_int", c.sendall, 5)
case("tcp.recv_into_bytes", a.recv_into, b"read-only")
c2, a2 = pair()  # (what a str sends, where it is sent, is not read: its own connection)
case("tcp.send_str", c2.send, "text")
case("tcp.sendall_str", c2.sendall, "text")
c2.close()
a2.close()
case("tcp.send_big_sendall", c.sendall, bytes(range(256)) * 400)
case("tcp.recv_big", lambda: recv_exactly(a, 102400) == bytes(range(256)) * 400)
c.sendall(b"abcdefgh")
time.sleep(0.05)
case("tcp.peek", a.recv, 4, socket.MSG_PEEK)
case("tcp.after_peek", a.recv, 3)
buf = bytearray(10)
case("tcp.recv_into_nbytes", lambda: (a.recv_into(buf, 2), bytes(buf[:2])))
case("tcp.recv_into_too_big", a.recv_into, buf, 11)
case("tcp.recv_into_rest", lambda: (a.recv_into(buf), bytes(buf[:3])))
c.sendall(b"0123456789")
time.sleep(0.05)
case("tcp.recvfrom", a.recvfrom, 3)
case("tcp.recvfrom_into", lambda: (a.recvfrom_into(buf, 3), bytes(buf[:3])))
case("tcp.recv_into_kw_nbytes", lambda: (a.recv_into(buf, nbytes=2), bytes(buf[:2])))
case("tcp.recv_waitall", a.recv, 2, socket.MSG_WAITALL)
case("tcp.dontwait_empty_timeout", a.recv, 4, socket.MSG_DONTWAIT)
a.settimeout(None)
case("tcp.dontwait_empty_blocking", a.recv, 4, socket.MSG_DONTWAIT)
case("tcp.dontwait_recv_into_blocking", a.recv_into, buf, 4, socket.MSG_DONTWAIT)
a.setblocking(False)
case("tcp.nonblocking_empty", a.recv, 4)
case("tcp.nonblocking_recv_into_empty", a.recv_into, buf)
a.settimeout(T(0.1))
case("tcp.timeout_empty", a.recv, 4)
case("tcp.timeout_recv_into_empty", a.recv_into, buf)
# buffers of 4-byte items: every count is bytes
a.settimeout(T(2))
c.sendall(bytes(range(40)))
time.sleep(0.05)
wide = array.array("I", [0] * 4)
case("tcp.recv_into_array", lambda: (a.recv_into(wide), bytes(wide)))
case("tcp.recv_into_array_nbytes", lambda: (a.recv_into(wide, 8), bytes(wide)[:8]))
case("tcp.recv_into_array_too_big", a.recv_into, wide, 17)
case("tcp.recv_into_array_waitall", lambda: (a.recv_into(wide, 16, socket.MSG_WAITALL), bytes(wide)))
case("tcp.sendall_array", lambda: (c.sendall(array.array("H", range(1000))),
                                   recv_exactly(a, 2000) == bytes(array.array("H", range(1000)))))
a.settimeout(T(0.1))
case("tcp.sendto_connected", c.sendto, b"zz", (LO, 9))
case("tcp.shutdown_bad", c.shutdown, 7)
case("tcp.shutdown_wr_send", lambda: (c.shutdown(socket.SHUT_WR), c.send(b"x")))
case("tcp.shutdown_wr_sendall", c.sendall, b"x")
case("tcp.shutdown_wr_still_receives", lambda: (a.sendall(b"after"), c.settimeout(T(2)), recv_exactly(c, 5)))
case("tcp.close_then_peer_eof", lambda: (c.close(), a.settimeout(T(2)), a.recv(10), a.recv(10)))
case("tcp.shut_then_closed_sendall", c.sendall, b"x")

c, a = pair()
c.sendall(b"line one\nline two\n")
c.close()
f = a.makefile("rb")
case("tcp.makefile_readline", f.readline)
case("tcp.makefile_read", f.read, 4)
case("tcp.makefile_rest", f.read)

c, a = pair()
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
c.sendall(b"before-reset")
c.close()
time.sleep(0.1)
case("tcp.data_before_reset", a.recv, 100)
case("tcp.after_reset", a.recv, 100)
case("tcp.after_reset_again", a.recv, 100)

# non-blocking connect with poll
srv = listener()
c = track(socket.socket())
c.setblocking(False)
r = case("nb.connect", c.connect, srv.getsockname())
p = select.poll()
p.register(c, select.POLLOUT)
case("nb.poll_writable", lambda: bool(p.poll(2000)))
case("nb.so_error_ok", c.getsockopt, socket.SOL_SOCKET, socket.SO_ERROR)
case("nb.getpeername", lambda: c.getpeername() == srv.getsockname())
c = track(socket.socket())
c.setblocking(False)
case("nb.connect_refused", c.connect, dead)
p = select.poll()
p.register(c, select.POLLOUT)
case("nb.poll_refused", lambda: bool(p.poll(2000)))
case("nb.so_error_refused", c.getsockopt, socket.SOL_SOCKET, socket.SO_ERROR)
case("nb.so_error_cleared", c.getsockopt, socket.SOL_SOCKET, socket.SO_ERROR)
c = track(socket.socket())
c.setblocking(False)
case("nb.connect_ex", c.connect_ex, srv.getsockname())

# create_connection
srv = listener()
case("cc.ok", lambda: track(socket.create_connection(srv.getsockname())).getpeername()
     == srv.getsockname())
case("cc.timeout_kept", lambda: secs(track(socket.create_connection(srv.getsockname(),
                                                                    T(2))).gettimeout()))
case("cc.refused", socket.create_connection, dead, T(2))
case("cc.bad_address", socket.create_connection, "127.0.0.1")
case("cc.source", lambda: track(socket.create_connection(srv.getsockname(), T(2),
                                                         (LO, 0))).getsockname()[0])

# ---------------------------------------------------------------- UDP

u = udp()
v = udp()
dest = u.getsockname()
case("udp.sendto", v.sendto, b"ping", dest)
case("udp.recvfrom", lambda: (lambda d: (d[0], d[1] == v.getsockname()))(u.recvfrom(100)))
case("udp.sendto_flags_form", v.sendto, b"f", 0, dest)
case("udp.recvfrom_flags", lambda: u.recvfrom(100)[0])
v.sendto(b"x" * 100, dest)
case("udp.truncated", lambda: u.recvfrom(10)[0])
v.sendto(b"next", dest)
case("udp.rest_discarded", lambda: u.recvfrom(100)[0])
v.sendto(b"peekaboo", dest)
case("udp.peek_1", lambda: u.recvfrom(1, socket.MSG_PEEK)[0])
case("udp.after_peek", lambda: u.recvfrom(100)[0])
v.sendto(b"0123456789", dest)
buf = bytearray(4)
case("udp.recvfrom_into_cut", lambda: (u.recvfrom_into(buf)[0], bytes(buf)))
v.sendto(b"abc", dest)
case("udp.recvfrom_into_nbytes", lambda: (u.recvfrom_into(buf, 2)[0], bytes(buf[:2])))
case("udp.recvfrom_into_too_big", u.recvfrom_into, buf, 5)
wide = array.array("I", [0] * 2)
v.sendto(b"0123456789", dest)
case("udp.recvfrom_into_array_cut", lambda: (u.recvfrom_into(wide)[0], bytes(wide)))
v.sendto(b"abcdef", dest)
case("udp.recvfrom_into_array_nbytes", lambda: (u.recvfrom_into(wide, 6)[0], bytes(wide)[:6]))
case("udp.recvfrom_into_array_too_big", u.recvfrom_into, wide, 9)
v.sendto(b"one", dest)
v.sendto(b"two", dest)
time.sleep(0.05)
case("udp.recv_one", u.recv, 100)
case("udp.recv_two", u.recv, 100)
case("udp.dontwait_empty_timeout", u.recv, 10, socket.MSG_DONTWAIT)
u.settimeout(None)
case("udp.dontwait_empty_blocking", u.recv, 10, socket.MSG_DONTWAIT)
case("udp.recvfrom_dontwait_empty_blocking", u.recvfrom, 10, socket.MSG_DONTWAIT)
u.settimeout(T(0.1))
case("udp.timeout", u.recvfrom, 10)
u.setblocking(False)
case("udp.nonblocking_empty", u.recvfrom, 10)
case("udp.recvfrom_neg", u.recvfrom, -1)
case("udp.empty_datagram", lambda: (v.sendto(b"", dest), time.sleep(0.05), u.recvfrom(10)[0]))
case("udp.connect", v.connect, dest)
case("udp.send_connected", v.send, b"conn")
case("udp.recv_connected", lambda: (time.sleep(0.05), u.recv(10)))
case("udp.getpeername", lambda: v.getpeername() == dest)
case("udp.listen", u.listen, 1)
case("udp.sendto_port_big", v.sendto, b"x", (LO, 70000))
case("udp.sendto_bad_addr", v.sendto, b"x", 5)

# -- edges: empty buffers, option values, unconnected shutdown, timeouts out of range
p1, p2 = pair()
case("edge.recv_into_empty_buffer", p2.recv_into, bytearray(0))
case("edge.recv_0_nonblocking", lambda: (p2.setblocking(False), p2.recv(0)))
p2.settimeout(T(2))
case("edge.send_empty", p1.send, b"")
case("edge.sendall_view", lambda: (p1.sendall(memoryview(b"0123456789")[2:5]), recv_exactly(p2, 3)))
case("edge.recv_float", p2.recv, 1.5)
case("edge.settimeout_inf", p1.settimeout, float("inf"))
case("edge.settimeout_huge", p1.settimeout, 1e30)
case("edge.settimeout_nan", p1.settimeout, float("nan"))
case("edge.nodelay", lambda: (p1.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1),
                              p1.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0))
case("edge.reuseaddr_bool", lambda: (p1.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True),
                                     p1.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) != 0))
case("edge.accepted_names", lambda: (p2.getpeername() == p1.getsockname(), p2.getsockname() == p1.getpeername()))
case("edge.tcp_recvfrom_into_nbytes", lambda: (p1.sendall(b"ab"), p2.recvfrom_into(bytearray(4), 1)))
case("edge.recv_rest", p2.recv, 10)
q = track(socket.socket())
case("edge.shutdown_unconnected", q.shutdown, socket.SHUT_RDWR)
case("edge.listen_noarg", lambda: (q.bind((LO, 0)), q.listen()))
case("edge.connect_listening", q.connect, (LO, 9))
case("edge.shutdown_listening", q.shutdown, socket.SHUT_WR)
case("edge.bind_empty_host", lambda: track(socket.socket()).bind(("", 0)))
case("edge.bind_tuple_short", track(socket.socket()).bind, (LO,))
case("edge.connect_tuple_long", track(socket.socket()).connect, (LO, 1, 2))
u0 = track(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
case("edge.udp_shutdown_unconnected", u0.shutdown, socket.SHUT_RD)
u0.settimeout(T(0.05))
case("edge.udp_recvfrom_0", u0.recvfrom, 0)
case("edge.udp_unbound_port", lambda: track(socket.socket(socket.AF_INET, socket.SOCK_DGRAM)).getsockname()[1])
case("edge.closed_fileno", lambda: (q.close(), q.fileno()))

# -- listen, accept and connect edges; resolver, inet_* and flag argument types
r = track(socket.socket())
case("misc.listen_0", lambda: (r.bind((LO, 0)), r.listen(0)))
r2 = track(socket.socket())
case("misc.accept_not_listening", lambda: (r2.settimeout(T(0.05)), r2.accept()))
case("misc.connect_port_0", track(socket.socket()).connect, (LO, 0))
case("misc.connect_bad_quad", track(socket.socket()).connect, ("256.1.1.1", 80))
case("misc.connect_port_neg", track(socket.socket()).connect, (LO, -1))
case("misc.gai_inet6", socket.getaddrinfo, LO, 80, socket.AF_INET6)
case("misc.gai_empty_host", lambda: [x[4] for x in socket.getaddrinfo("", 80, socket.AF_INET, socket.SOCK_STREAM)])
case("misc.ghbn_empty", socket.gethostbyname, "")
case("misc.inet_aton_bytes", socket.inet_aton, b"1.2.3.4")
case("misc.settimeout_bool", lambda: (r2.settimeout(True), secs(r2.gettimeout())))
case("misc.setblocking_int", lambda: (r2.setblocking(0), r2.gettimeout()))
case("misc.setblocking_none", r2.setblocking, None)
case("misc.udp_connect_then_refused", lambda: _udp_refused())
case("misc.udp_recvfrom_into_empty", lambda: _udp_empty_into())
case("misc.sendto_tcp_unconnected", track(socket.socket()).sendto, b"x", (LO, 9))
case("misc.recv_unconnected_timeout", lambda: _tcp_unconnected_recv())
case("misc.getsockopt_unknown", lambda: track(socket.socket()).getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE))
case("misc.ctor_bad_family", socket.socket, 12345)
case("misc.ctor_bad_type", socket.socket, socket.AF_INET, 12345)

# -- a connected socket rebound or relistened, busy and foreign addresses, empty peeks,
# a view, a send to a closed peer, the default timeout
k1, k2 = pair()
case("more.bind_in_use", lambda: track(socket.socket()).bind(k2.getsockname()))
case("more.bind_not_local", lambda: track(socket.socket()).bind(("10.255.255.1", 0)))
case("more.bind_after_connect", k1.bind, (LO, 0))
case("more.listen_connected", k1.listen, 1)
k2.setblocking(False)
case("more.peek_empty_nonblocking", k2.recv, 4, socket.MSG_PEEK)
case("more.view_recv_into", lambda: (k1.sendall(b"wxyz"), time.sleep(0.05), _view_into(k2)))
case("more.send_after_peer_close", lambda: _send_after_close())
case("more.default_timeout_new_socket", lambda: _default_timeout_socket())
case("more.udp_peek_empty_nonblocking", lambda: _udp_peek_empty())
case("more.udp_bind_any_then_name", lambda: _udp_any_name())

# -- options: inherited by accepted sockets, read back as bytes, values of the wrong type
lo = track(socket.socket())
for level, opt in ((socket.SOL_SOCKET, socket.SO_REUSEADDR), (socket.SOL_SOCKET, socket.SO_KEEPALIVE),
                   (socket.IPPROTO_TCP, socket.TCP_NODELAY)):
    lo.setsockopt(level, opt, 1)
lo.bind((LO, 0))
lo.listen(2)
lo.settimeout(T(5))
oc = track(socket.create_connection(lo.getsockname(), T(5)))
oa = track(lo.accept()[0])
case("opt.inherit_reuseaddr", lambda: oa.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) != 0)
case("opt.inherit_keepalive", lambda: oa.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) != 0)
case("opt.inherit_nodelay", lambda: oa.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0)
case("opt.inherit_not_timeout", lambda: secs(oa.gettimeout()))
case("opt.buflen", lo.getsockopt, socket.SOL_SOCKET, socket.SO_REUSEADDR, 4)
case("opt.buflen_1", lambda: len(lo.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)))
case("opt.buflen_big", lo.getsockopt, socket.SOL_SOCKET, socket.SO_REUSEADDR, 2000)
case("opt.buflen_neg", lo.getsockopt, socket.SOL_SOCKET, socket.SO_REUSEADDR, -1)
case("opt.type_buflen", oa.getsockopt, socket.SOL_SOCKET, socket.SO_TYPE, 4)
case("opt.error_buflen", oa.getsockopt, socket.SOL_SOCKET, socket.SO_ERROR, 4)
case("opt.value_str", oa.setsockopt, socket.SOL_SOCKET, socket.SO_KEEPALIVE, "1")
case("opt.value_none", oa.setsockopt, socket.SOL_SOCKET, socket.SO_KEEPALIVE, None)
case("opt.value_float", oa.setsockopt, socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1.0)
case("opt.level_str", oa.setsockopt, "x", socket.SO_KEEPALIVE, 1)
case("opt.value_function", oa.setsockopt, socket.SOL_SOCKET, socket.SO_KEEPALIVE, len)
case("opt.callback_20", oa.setsockopt, socket.SOL_SOCKET, 20, len)  # MicroPython's readable callback
case("opt.callback_20_none", oa.setsockopt, socket.SOL_SOCKET, 20, None)
case("opt.linger_bytes", lambda: (oa.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x05\x00\x00\x00"),
                                  oa.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 8)))
case("opt.linger_bytearray", lambda: (oa.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, bytearray(b"\x01\x00\x00\x00\x07\x00\x00\x00")),
                                      oa.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 8)))
case("opt.linger_array", lambda: (oa.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, array.array("i", [1, 9])),
                                  oa.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 8)))
case("opt.linger_memoryview_slice", lambda: (oa.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                                           memoryview(b"xx\x01\x00\x00\x00\x03\x00\x00\x00")[2:]),
                                             oa.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 8)))
case("opt.value_tuple", oa.setsockopt, socket.SOL_SOCKET, socket.SO_KEEPALIVE, (1,))

# -- create_server, the default timeout, host names, context managers, buffers as addresses


def _server(**kw):
    return track(socket.create_server((LO, 0), **kw))


case("srv.ok", lambda: (lambda s: (s.family == socket.AF_INET, s.type == socket.SOCK_STREAM,
                                   s.getsockname()[0]))(_server()))
case("srv.accepts", lambda: (lambda s: track(socket.create_connection(s.getsockname(), T(5))).getpeername()
                             == s.getsockname())(_server()))
case("srv.backlog", lambda: _server(backlog=1).getsockname()[0])
case("srv.reuseaddr", lambda: _server().getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) != 0)
case("srv.dualstack", lambda: _server(dualstack_ipv6=True))
case("srv.has_dualstack", socket.has_dualstack_ipv6)
case("srv.reuse_port", lambda: _server(reuse_port=True).getsockname()[0])
case("srv.in_use", lambda: socket.create_server(_server().getsockname()))
case("srv.bare_ip", lambda: track(socket.create_server(LO)).getsockname()[0])
case("dflt.negative", socket.setdefaulttimeout, T(-1))
case("dflt.str", socket.setdefaulttimeout, "1")
case("dflt.none", lambda: (socket.setdefaulttimeout(None), socket.getdefaulttimeout()))
hs = listener()
hs.settimeout(T(5))
case("host.connect_localhost", lambda: (lambda c: (c.settimeout(T(5)), c.connect(("localhost", hs.getsockname()[1])),
                                                   c.getpeername()[0]))(track(socket.socket()))[2])
case("host.bind_localhost", lambda: (lambda c: (c.bind(("localhost", 0)), c.getsockname()[0]))(track(socket.socket()))[1])
case("host.with_closes", lambda: (lambda s: (s.__enter__() is s, s.__exit__(None, None, None), s.fileno()))(socket.socket()))
case("host.listen_neg", lambda: (lambda s: (s.bind((LO, 0)), s.listen(-1)))(track(socket.socket())))
case("host.ctor_proto_mismatch", lambda: track(socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_UDP)))
case("inet_ntoa(bytearray)", socket.inet_ntoa, bytearray(b"\x01\x02\x03\x04"))
case("inet_ntoa(memoryview)", socket.inet_ntoa, memoryview(b"\x01\x02\x03\x04"))
case("inet_ntop4(bytearray)", socket.inet_ntop, socket.AF_INET, bytearray(b"\x01\x02\x03\x04"))
case("inet_ntoa(str)", socket.inet_ntoa, "abcd")
case("inet_aton('1.2.3.4.')", socket.inet_aton, "1.2.3.4.")
case("gai.bytes_port", socket.getaddrinfo, LO, b"80", socket.AF_INET, socket.SOCK_STREAM)
case("gai.service_name", socket.getaddrinfo, LO, "http", socket.AF_INET, socket.SOCK_STREAM)
case("gai.unknown_service", socket.getaddrinfo, LO, "no-such-service", socket.AF_INET, socket.SOCK_STREAM)
case("gai.bad_type", socket.getaddrinfo, LO, 80, socket.AF_INET, 99)
case("gai.keywords", lambda: socket.getaddrinfo(host=LO, port=80, family=socket.AF_INET, type=socket.SOCK_STREAM))

# -- datagram sizes and buffers; a negative size
du = udp()
case("dgram.too_big", du.sendto, bytes(65508), du.getsockname())
case("dgram.largest", lambda: (du.sendto(bytes(65507), du.getsockname()), len(du.recv(70000))))
case("dgram.port_0", du.sendto, b"x", (LO, 0))
case("dgram.bytearray", lambda: (du.sendto(bytearray(b"ba"), du.getsockname()), du.recv(10)))
case("dgram.view", lambda: (du.sendto(memoryview(b"xview")[1:], du.getsockname()), du.recv(10)))
case("dgram.send_unconnected", du.send, b"x")
case("dgram.recvfrom_into_neg", lambda: (du.sendto(b"neg", du.getsockname()), du.recvfrom_into(bytearray(4), -1)[0]))
case("dgram.connect_name", lambda: (du.connect((LO, 9)), du.getpeername()))
n1, n2 = pair()
case("size.recv_into_neg", lambda: (n1.sendall(b"abcd"), time.sleep(0.05), n2.recv_into(bytearray(4), -1)))

# -- MSG_WAITALL at EOF, peeks, shutdown twice and both ways, makefile
w1, w2 = pair()
case("wait.peek_waitall", lambda: (w1.sendall(b"abcdef"), w2.recv(6, socket.MSG_PEEK | socket.MSG_WAITALL)))
case("wait.shut_rd_then_recv", lambda: (w2.shutdown(socket.SHUT_RD), w2.recv(10)))
case("wait.shutdown_twice", lambda: (w1.shutdown(socket.SHUT_WR), w1.shutdown(socket.SHUT_WR)))
case("wait.getpeername_after_shutdown", lambda: w1.getpeername() == w2.getsockname())
w3, w4 = pair()
case("wait.waitall_peer_closes", lambda: (w3.sendall(b"abc"), w3.close(), w4.recv(10, socket.MSG_WAITALL)))
case("wait.waitall_after_eof", w4.recv, 10, socket.MSG_WAITALL)
w5, w6 = pair()
w6.settimeout(T(0.2))
case("wait.peer_shut_wr_eof", lambda: (w5.shutdown(socket.SHUT_WR), w6.recv(10)))
case("wait.peer_shut_wr_still_receives", lambda: (w6.send(b"still"), recv_exactly(w5, 5)))
m1, m2 = pair()
case("mkf.write", lambda: (lambda f: (f.write(b"fw"), f.flush(), recv_exactly(m2, 2)))(m1.makefile("wb"))[2])
case("mkf.text_mode", lambda: (m2.sendall(b"t1\nt2\n"), m1.makefile("r").readline())[1])
case("mkf.close_keeps_socket", lambda: (m1.makefile("rb").close(), m1.fileno() >= 0)[1])

# -- detach, peeks that do not wait, argument types, closed and shut sockets, resolver
# argument types, create_connection's edges
e1, e2 = pair()
case("arg.detach", lambda: (lambda s: (s.detach() >= 0, s.fileno()))(track(socket.socket())))


def _readable(s):
    p = select.poll()
    p.register(s, select.POLLIN)
    return bool(p.poll(2000))


case("arg.peek_dontwait", lambda: (e1.sendall(b"pk"), _readable(e2), e2.recv(2, socket.MSG_PEEK | socket.MSG_DONTWAIT)))
case("arg.after_peek_dontwait", e2.recv, 2)
case("arg.recv_bytearray_size", e2.recv, bytearray(2))
case("arg.recv_into_read_only_view", e2.recv_into, memoryview(b"abcd"))
case("arg.sendall_view_of_bytearray", lambda: (e1.sendall(memoryview(bytearray(b"xyz"))[1:]), time.sleep(0.05), e2.recv(10)))
case("arg.send_list", e1.send, [1, 2])
case("arg.sendall_120k_bytearray", lambda: (e1.sendall(bytearray(120000)), drain(e2, 120000)))
case("arg.fileno_is_int", lambda: type(e2.fileno()).__name__)
case("arg.sockname_types", lambda: [type(x).__name__ for x in e2.getsockname()])
case("arg.hashable", lambda: {e2: 1}[e2])
case("arg.setblocking_true_timeout", lambda: (e2.setblocking(True), e2.gettimeout()))
ns_ = track(socket.socket())
ns_.setblocking(False)
es = listener()


def _connect_ex_twice():
    first = ns_.connect_ex(es.getsockname())
    p = select.poll()
    p.register(ns_, select.POLLOUT)
    p.poll(2000)  # (established before the second call, however loaded the machine)
    return first, ns_.connect_ex(es.getsockname())


case("arg.nb_connect_ex_twice", _connect_ex_twice)
case("arg.udp_sendto_flags_then_recv", lambda: (lambda u: (u.bind((LO, 0)), u.sendto(b"f", 0, u.getsockname()),
                                                          u.settimeout(T(1)), u.recv(4)))(track(socket.socket(socket.AF_INET, socket.SOCK_DGRAM)))[1:])
case("arg.udp_bind_twice", lambda: (lambda u: (u.bind((LO, 0)), u.bind((LO, 0))))(track(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))))
case("arg.shut_rdwr_then_send", lambda: (lambda p, q: (p.shutdown(socket.SHUT_RDWR), p.send(b"x")))(*pair()))
case("arg.shutdown_closed", lambda: (lambda s: (s.close(), s.shutdown(socket.SHUT_RDWR)))(socket.socket()))
case("arg.recv_after_own_close", lambda: (lambda p, q: (q.close(), q.recv(1)))(*pair()))
case("arg.listen_closed", lambda: (lambda s: (s.close(), s.listen()))(socket.socket()))
case("arg.tcp_recvfrom_unconnected_nb", lambda: (lambda s: (s.setblocking(False), s.recvfrom(1)))(track(socket.socket())))
case("arg.gai_proto_keyword", lambda: sorted(socket.getaddrinfo(LO, 80, proto=socket.IPPROTO_TCP)))
case("arg.gai_family_str", socket.getaddrinfo, LO, 80, "x")
case("arg.gai_type_float", socket.getaddrinfo, LO, 80, 0, 1.0)
case("arg.gai_port_0", socket.getaddrinfo, LO, 0, socket.AF_INET, socket.SOCK_DGRAM)
case("arg.gai_host_int", socket.getaddrinfo, 1, 80)
case("arg.ghbn_bytes", socket.gethostbyname, b"127.0.0.1")
case("arg.pton_bytes", socket.inet_pton, socket.AF_INET, b"1.2.3.4")
case("arg.ntop_str", socket.inet_ntop, socket.AF_INET, "abcd")
case("arg.cc_timeout_0", lambda: secs(track(socket.create_connection(es.getsockname(), 0)).gettimeout()))
case("arg.cc_source_busy", socket.create_connection, es.getsockname(), T(2), es.getsockname())

for s in _open:
    s.close()
print("done\t('ok', None)")
