# _netfast, the firmware's C helpers (firmware/cmodules/netfast): readinto1 is one
# read, None when a non-blocking stream has nothing, 0 at the end, bad counts refused;
# recv1/recvfrom1 are one recv()/recvfrom(), None on EAGAIN, any other error raised.
# The [py]/[mpy] variants run the stock binary, which has no such module.
import errno
import io
import mptest
from mptest import eq, raises
from netutil import scenario

try:
    from _netfast import readinto1, recv1, recvfrom1
except ImportError:
    readinto1 = recv1 = recvfrom1 = None


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


class Raises:
    def __init__(self, code):
        self.code = code

    def recv(self, n):
        raise OSError(self.code, "stand-in")

    recvfrom = recv


def test_recv1_and_recvfrom1_turn_only_eagain_into_none():
    need()
    for fn in (recv1, recvfrom1):
        eq(fn(Raises(errno.EAGAIN), 4), None, "EAGAIN")
        e = raises(OSError, fn, Raises(errno.ECONNRESET), 4)
        eq(e.errno, errno.ECONNRESET, "another error propagates")
    s = scenario("hold 5000")
    eq(recv1(s._s, 16), None, "nothing there")
    s.close()
    e = raises(OSError, recv1, s._s, 16)  # the closed socket's stand-in
    eq(e.errno, errno.EBADF, "closed")
    s = scenario("send 5")
    s._wait(1, s._deadline())
    eq(len(recv1(s._s, 16)), 5, "one recv, once data is there")
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


mptest.main(globals())
