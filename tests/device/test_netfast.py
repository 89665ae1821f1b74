# _netfast, the firmware's C helpers (firmware/cmodules/netfast): readinto1 is one
# read, None when a non-blocking stream has nothing, 0 at the end, bad counts refused;
# recv1/recvfrom1 are one recv()/recvfrom(), None on EAGAIN, any other error raised;
# recvfrom_into1 is one datagram into a buffer, a repeated sender as the count alone;
# given ms, each of these reads waits up to ms for data first, and None means the time is
# up; sendto1 is one sendto, a failure as -errno; attempt returns a
# call's OSError; wait1 is one object's poll wait without a poll object: its events, or
# 0 once the time is up.
# The [py]/[mpy] variants run the stock binary, which has no such module.
import errno
import io
import mptest
from mptest import eq, raises
from netutil import scenario

try:
    from _netfast import readinto1, recv1, recvfrom1, recvfrom_into1, sendto1, attempt, wait1
except ImportError:
    readinto1 = recv1 = recvfrom1 = recvfrom_into1 = sendto1 = attempt = wait1 = None


def need():
    if readinto1 is None:
        mptest.skip("no _netfast in this firmware (the stock binary): the socket uses its Python fallback")


def test_reads_one_piece_of_a_stream():
    need()
    buf = bytearray(8)
    f = io.BytesIO(b"hello world")
    eq(readinto1(f, buf, 5), 5, "count")
    eq(bytes(buf[:5]), b"hello", "data")
    eq(readinto1(f, buf, 8), 6, "the rest, short")
    eq(readinto1(f, buf, 8), 0, "end of stream")
    eq(readinto1(f, buf, 0), 0, "n = 0")
    f = io.BytesIO(b"0123456789")
    eq(readinto1(f, buf, -1), 8, "n = -1: the whole buffer")


def test_bad_counts_and_objects_are_refused():
    need()
    buf = bytearray(4)
    f = io.BytesIO(b"abc")
    raises(ValueError, readinto1, f, buf, 5)
    raises(ValueError, readinto1, f, buf, -2)
    raises(TypeError, readinto1, f, b"read-only", 1)
    e = raises(OSError, readinto1, object(), buf, 1)  # not a stream: the closed socket's stand-in
    eq(e.errno, errno.EBADF, "EBADF")


def test_nonblocking_socket_gives_none_when_nothing_is_there():
    need()
    # No timing involved: one peer never sends, the other sends before we read.
    buf = bytearray(16)
    s = scenario("hold 5000")
    eq(readinto1(s._s, buf, 16), None, "nothing there")  # s._s: the built-in, non-blocking
    s.close()
    s = scenario("send 5")
    s._wait(1, s._deadline())
    eq(readinto1(s._s, buf, 16), 5, "one read, once data is there")
    s.close()


class Peer(io.IOBase):
    """A stream whose reads and recvfrom() answer `code`: None (nothing yet, as a
    non-blocking stream says) or an errno raised."""

    def __init__(self, code=None):
        self.code = code

    def readinto(self, buf):
        if self.code is None:
            return None
        raise OSError(self.code, "stand-in")

    def recvfrom(self, n):
        raise OSError(self.code or errno.EAGAIN, "stand-in")


def test_recv1_and_recvfrom1_turn_only_nothing_into_none():
    need()
    eq(recv1(Peer(), 4), None, "nothing yet")
    eq(recvfrom1(Peer(), 4), None, "EAGAIN")
    for fn in (recv1, recvfrom1):
        e = raises(OSError, fn, Peer(errno.ECONNRESET), 4)
        eq(e.errno, errno.ECONNRESET, "another error propagates")
        e = raises(OSError, fn, object(), 4)
        eq(e.errno, errno.EBADF, "not a stream")
    s = scenario("hold 5000")
    eq(recv1(s._s, 16), None, "nothing there")
    eq(recvfrom1(s._s, 16), None, "nothing there (poll)")
    s.close()
    e = raises(OSError, recv1, s._s, 16)  # the closed socket's stand-in
    eq(e.errno, errno.EBADF, "closed")
    s = scenario("send 5")
    s._wait(1, s._deadline())
    eq(len(recv1(s._s, 16)), 5, "one read, once data is there")
    s.close()


def test_recvfrom1_gives_the_datagram_and_its_sender():
    need()
    import socket
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    a.bind(("127.0.0.1", 0))
    eq(recvfrom1(a._s, 16), None, "nothing there")
    b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    b.bind(("127.0.0.1", 0))
    b.sendto(b"ping", a.getsockname())
    a._wait(1, a._deadline())
    data, raw = recvfrom1(a._s, 16)
    eq(data, b"ping", "datagram")
    eq(socket._port.from_native(raw), b.getsockname(), "sender")
    a.close()
    b.close()


def _udp_pair():
    import socket
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    a.bind(("127.0.0.1", 0))
    b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    b.bind(("127.0.0.1", 0))
    return a, b


def test_recvfrom_into1_counts_a_repeated_sender_without_allocating():
    need()
    import micropython
    import socket
    a, b = _udp_pair()
    buf = bytearray(8)
    eq(recvfrom_into1(a._s, buf, None), None, "nothing there")
    b.sendto(b"ping", a.getsockname())
    a._wait(1, a._deadline())
    k, raw = recvfrom_into1(a._s, buf, None)
    eq((k, bytes(buf[:k])), (4, b"ping"), "a new sender: (count, sender)")
    eq(socket._port.from_native(raw), b.getsockname(), "sender")
    b.sendto(b"pong!", a.getsockname())
    a._wait(1, a._deadline())
    descriptors = socket._port.__name__ == "_port_unix"  # (ESP32: the built-in allocates)
    if descriptors:
        micropython.heap_lock()
    try:
        k = recvfrom_into1(a._s, buf, raw)  # (on unix: recvfrom(2) into buf, nothing else)
    finally:
        if descriptors:
            micropython.heap_unlock()
    eq((k, bytes(buf[:k])), (5, b"pong!"), "the same sender: the count alone")
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    c.sendto(b"0123456789", a.getsockname())
    a._wait(1, a._deadline())
    view = memoryview(buf)[:6]
    r = recvfrom_into1(a._s, view, raw)
    assert type(r) is tuple, "another sender: (count, sender), not %r" % (r,)
    eq((r[0], bytes(buf[:6])), (6, b"012345"), "cut to the buffer, as recvfrom(n) does")
    eq(recvfrom_into1(a._s, buf, raw), None, "the rest of a cut datagram is gone")
    raises(TypeError, recvfrom_into1, a._s, b"read-only", None)
    for s in (a, b, c):
        s.close()
    raises(OSError, recvfrom_into1, a._s, buf, None)  # the closed stand-in: EBADF


class ScriptedDatagrams(io.IOBase):
    # A datagram socket without a descriptor (ESP32's: tuple addresses): recvfrom gives
    # what `queue` holds; its poll says "not yet" to the first `busy` looks.
    def __init__(self, queue, busy=0):
        self.queue = queue
        self.busy = busy

    def readinto(self, buf):
        return None

    def ioctl(self, req, arg):
        if req != 3:  # MP_STREAM_POLL only
            return -errno.EINVAL
        if self.busy:
            self.busy -= 1
            return 0
        return arg & 1 if self.queue else 0

    def recvfrom(self, n):
        data, addr = self.queue.pop(0)
        return data[:n], addr


def test_recvfrom_into1_without_a_descriptor_copies_the_builtins_datagram():
    need()
    sender = ("10.0.0.7", 5000)
    f = ScriptedDatagrams([(b"abc", sender), (b"defgh", ("10.0.0.7", 5000)), (b"x", ("10.0.0.8", 1))])
    buf = bytearray(4)
    eq(recvfrom_into1(f, buf, None), (3, sender), "a new sender: (count, sender)")
    eq(bytes(buf[:3]), b"abc", "copied")
    eq(recvfrom_into1(f, buf, sender), 4, "an equal sender: the count alone")
    eq(bytes(buf), b"defg", "cut to the buffer")
    eq(recvfrom_into1(f, buf, sender), (1, ("10.0.0.8", 1)), "another sender")
    eq(recvfrom_into1(f, buf, sender), None, "nothing ready: None, recvfrom not called")
    f.queue.append(("not bytes", 1))
    f.recvfrom = lambda n: "no tuple"
    raises(TypeError, recvfrom_into1, f, buf, None)


def test_sendto1_counts_and_reports_failures_as_negative_errno():
    need()
    import socket

    def native(port):
        return socket._port.to_native(socket._aton("127.0.0.1"), port)

    a, b = _udp_pair()
    eq(sendto1(b._s, b"ping", native(a.getsockname()[1])), 4, "sent")
    a._wait(1, a._deadline())
    eq(a.recv(8), b"ping", "received")
    raises(TypeError, sendto1, b._s, 5, native(9))  # not an OSError: raised
    a.close()
    b.close()
    raises(OSError, sendto1, b._s, b"x", None)  # the closed stand-in: EBADF
    t = socket._n.socket(socket.AF_INET, socket.SOCK_STREAM)  # never connected
    try:
        t.sendto(b"x", native(9))
        want = None
    except OSError as e:
        want = -e.errno
    if want is not None:
        eq(sendto1(t, b"x", native(9)), want, "a failure: -errno, not raised")
    t.close()
    if want is None:
        mptest.skip("this port's built-in sends on an unconnected TCP socket: no failure to report")


def test_attempt_returns_the_oserror_instead_of_raising_it():
    need()
    f = io.BytesIO(b"data")
    eq(attempt(io.BytesIO.read, f, 2), b"da", "a result")
    eq(attempt(io.BytesIO.seek, f, 0, 0), 0, "three arguments")

    def fails(code):
        raise OSError(code, "stand-in")

    e = attempt(fails, errno.ECONNRESET)
    assert isinstance(e, OSError) and e.errno == errno.ECONNRESET, repr(e)
    raises(TypeError, attempt, io.BytesIO.read, f, "x")  # not an OSError: raised
    import socket
    s = scenario("hold 5000")
    s.close()
    e = attempt(socket.socket.recv, s, 4)
    assert isinstance(e, OSError) and e.errno == errno.EBADF, repr(e)


def test_wait1_gives_the_events_or_zero_once_the_time_is_up():
    need()
    import select
    import time
    s = scenario("send_rst 3")
    raw = s._s
    got = wait1(raw, select.POLLIN, 5000)
    assert got & select.POLLIN, "readable once the peer sent: %r" % got
    eq(raw.recv(3), b"\x03\x0a\x11", "the peer's bytes")
    t0 = time.ticks_ms()
    while not wait1(raw, 0, 50) & (select.POLLERR | select.POLLHUP):
        # asked for nothing, and still told of the reset (as poll(2) always is)
        assert time.ticks_diff(time.ticks_ms(), t0) < 5000, "no hang-up reported"
    for mask in (select.POLLIN, select.POLLOUT):  # the outside reference: select.poll
        ref = select.poll()
        ref.register(raw, mask | select.POLLERR | select.POLLHUP)  # (what wait1 asks)
        eq(wait1(raw, mask, 0), ref.poll(0)[0][1], "what select.poll reports for mask %d" % mask)
    s.close()
    s = scenario("hold 5000")
    raw = s._s
    t0 = time.ticks_ms()
    eq(wait1(raw, select.POLLIN, 50), 0, "nothing within 50 ms")
    assert time.ticks_diff(time.ticks_ms(), t0) >= 45, "it waited"
    eq(wait1(raw, select.POLLIN, 0), 0, "a zero-wait look")
    assert wait1(raw, select.POLLOUT, -1) & select.POLLOUT, "writable at once"
    s.close()
    raises(OSError, wait1, s._s, select.POLLIN, 0)  # the closed stand-in: EBADF


def test_reads_given_ms_wait_for_data_and_give_none_once_the_time_is_up():
    need()
    import time
    buf = bytearray(16)
    reads = (("readinto1", lambda raw, ms: readinto1(raw, buf, 16, ms)),
             ("recv1", lambda raw, ms: recv1(raw, 16, ms)))
    for name, read in reads:
        for ms in (5000, None, -1):  # None and -1: no limit
            s = scenario("delay 30 5")
            got = read(s._s, ms)
            eq(got if got.__class__ is int else len(got), 5, "%s(ms=%r): the late bytes" % (name, ms))
            s.close()
        s = scenario("hold 5000")
        t0 = time.ticks_ms()
        eq(read(s._s, 40), None, "%s: nothing within 40 ms" % name)
        assert time.ticks_diff(time.ticks_ms(), t0) >= 40, "%s waited the time" % name
        eq(read(s._s, 0), None, "%s: ms=0, one look and one try" % name)
        s.close()
        e = raises(OSError, read, s._s, 10)  # the closed socket's stand-in
        eq(e.errno, errno.EBADF, "%s: closed" % name)
    s = scenario("send_rst 3")
    eq(readinto1(s._s, buf, 16, 5000), 3, "the data before the reset")
    e = raises(OSError, readinto1, s._s, buf, 16, 5000)
    eq(e.errno, errno.ECONNRESET, "then the reset, from the read after the wait")
    s.close()
    a, b = _udp_pair()
    for name, read in (("recvfrom1", lambda ms: recvfrom1(a._s, 16, ms)),
                       ("recvfrom_into1", lambda ms: recvfrom_into1(a._s, buf, None, ms))):
        t0 = time.ticks_ms()
        eq(read(40), None, "%s: nothing within 40 ms" % name)
        assert time.ticks_diff(time.ticks_ms(), t0) >= 40, "%s waited the time" % name
        b.sendto(b"late", a.getsockname())
        got = read(None)
        eq(got[0] if got[0].__class__ is int else len(got[0]), 4, "%s: the datagram" % name)
    a.close()
    b.close()


class ScriptedStream(io.IOBase):
    # A stream without a file descriptor (as sockets are on ESP32): its poll ioctl says
    # "not yet" `busy` times, then ready. Each look is recorded.
    def __init__(self, busy):
        self.busy = busy
        self.looks = []

    def readinto(self, buf):
        return None

    def ioctl(self, req, arg):
        if req != 3:  # MP_STREAM_POLL; no MP_STREAM_GET_FILENO
            return -errno.EINVAL
        self.looks.append(arg)
        if self.busy:
            self.busy -= 1
            return 0
        return arg & 1


def test_wait1_polls_a_stream_without_a_descriptor_between_event_waits():
    need()
    import select
    import time
    f = ScriptedStream(3)
    eq(wait1(f, select.POLLIN, 5000), select.POLLIN, "ready on the fourth look")
    eq(len(f.looks), 4, "looks")
    eq(f.looks[0], select.POLLIN | select.POLLERR | select.POLLHUP, "error and hang-up always asked for")
    f = ScriptedStream(1 << 30)
    t0 = time.ticks_ms()
    eq(wait1(f, select.POLLIN, 40), 0, "never ready: 0 once the time is up")
    assert time.ticks_diff(time.ticks_ms(), t0) >= 40, "it waited the time"
    assert len(f.looks) >= 2, "it looked again after waiting"


def test_a_read_given_ms_waits_on_a_stream_without_a_descriptor():
    need()
    f = ScriptedDatagrams([(b"late", ("10.0.0.7", 5000))], busy=3)
    buf = bytearray(8)
    eq(recvfrom_into1(f, buf, None, 5000), (4, ("10.0.0.7", 5000)), "read once the poll said ready")
    assert f.busy == 0, "it waited through the busy looks"
    eq(recvfrom_into1(f, buf, None, 30), None, "nothing more within 30 ms")


mptest.main(globals())
