# Nothing received is ever lost to a reset: a CPython peer sends, then resets the
# connection (SO_LINGER 0) 0-80 µs later, racing the RST against our poll and read,
# over thousands of connections per read flavour (recv and MSG_WAITALL).
# mptest: timeout=900
import mptest
from mptest import eq
import errno
import socket
from netutil import pattern, scenario

ROUNDS = 5000
SIZE = 1000


def race(read_all):
    """-> the rounds whose bytes did not all arrive, in order, before the error."""
    bad = []
    for i in range(ROUNDS):
        s = scenario("send_rst_after %d %d" % (SIZE, i % 81))
        got = read_all(s)
        s.close()
        if got != pattern(SIZE):
            bad.append((i % 81, len(got)))
    return bad


def until_error(recv_some):
    def read_all(s):
        out = bytearray()
        while True:
            try:
                data = recv_some(s)
            except OSError as e:
                assert e.errno == errno.ECONNRESET, "a reset, not %r" % (e,)
                return bytes(out)
            if not data:
                return bytes(out)
            out += data
    return read_all


def into_until_error(read_into):
    # the zero-allocation reads, through one reused buffer
    buf = bytearray(SIZE + 100)

    def recv_some(s):
        n = read_into(s, buf)
        return bytes(buf[:n]) if n else b""
    return until_error(recv_some)


def needs_single_read():
    # Without the firmware's C helper (firmware/cmodules/netfast: the [py]/[mpy]
    # variants on the stock binary), recv_into/readinto read through the built-in's
    # stream readinto, whose loop can drop a short read when the reset lands within
    # microseconds of it: the documented window (docs/socket.md, "Resets").
    import _socket_ms

    if _socket_ms._readinto1 is None:
        mptest.skip("no _netfast in this firmware: the Python fallback keeps the documented window")


def test_recv_into_loses_nothing_to_a_reset():
    needs_single_read()
    eq(race(into_until_error(lambda s, b: s.recv_into(b))), [], "rounds with data lost")


def test_stream_readinto_loses_nothing_to_a_reset():
    needs_single_read()

    # blocking: it fills the buffer until the stream ends, and returns what came before the reset
    eq(race(into_until_error(lambda s, b: s.readinto(b))), [], "rounds with data lost")


def test_stream_read_to_the_end_loses_nothing_to_a_reset():
    # read() takes one recv() per piece: the data comes back, the reset from the next call
    eq(race(until_error(lambda s: s.read())), [], "rounds with data lost")


def test_msg_waitall_loses_nothing_to_a_reset():
    eq(race(until_error(lambda s: s.recv(SIZE, socket.MSG_WAITALL))), [], "rounds with data lost")


mptest.main(globals())
