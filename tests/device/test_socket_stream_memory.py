# mptest: heapsize=256K timeout=120
# mptest: not-on-board test_nonblocking_read_n_takes_all_that_is_there: sets Linux socket buffer sizes
# The stream methods cost what the built-in's do: read(n), read(), readline() and
# recv(n, MSG_WAITALL) need one buffer of the result's size, even when the data
# arrives in many pieces. Each reads 60% of the free heap; a read that copied its
# buffer into the result (twice the data) cannot fit.
import gc
import socket
import mptest
from mptest import eq
from netutil import scenario

PIECE = 8192


def largest_block():
    lo, hi = 0, gc.mem_free()
    while hi - lo > 256:
        mid = (lo + hi) // 2
        try:
            b = bytearray(mid)
            b = None
            lo = mid
        except MemoryError:
            hi = mid
        gc.collect()
    return lo


def share():
    """60% of the free heap, or less where the heap is in pieces (the [py] variant
    compiles the library in it): any read that needs twice the data fails."""
    gc.collect()
    return min(gc.mem_free() * 6 // 10, largest_block() * 8 // 10)


def check_pattern(data, n):
    eq(len(data), n, "length")
    eq(type(data), bytes, "type")
    for i in range(n):
        if data[i] != (i * 7 + 3) & 0xFF:
            raise AssertionError("byte %d differs" % i)


def test_read_n_in_pieces():
    n = share()
    s = scenario("pieces %d %d 2" % (n, PIECE))
    data = s.read(n)
    s.close()
    check_pattern(data, n)


def test_read_n_short_at_eof():
    n = share() // 2
    s = scenario("pieces %d %d 2" % (n, PIECE))
    data = s.read(n + 10)  # the stream ends first: what arrived, all of it
    s.close()
    check_pattern(data, n)


def test_nonblocking_read_n_takes_all_that_is_there():
    # All of it queued first (a loopback pair in this process, fed from a small
    # buffer, so nothing depends on a peer's timing), then one non-blocking read(n):
    # everything, in one buffer of n, as the built-in's (which loops until EAGAIN).
    n = share()
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(1)
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, 8, 4 * n)  # SO_RCVBUF (Linux): room for all of it
    c.connect(ls.getsockname())
    a, _ = ls.accept()
    a.settimeout(5000)  # a window too small would time out here, not hang
    chunk = bytes(range(256)) * 32
    sent = 0
    while sent < n:
        k = min(len(chunk), n - sent)
        a.sendall(memoryview(chunk)[:k])
        sent += k
    chunk = None
    c.setblocking(False)
    data = c.read(n)
    for x in (a, c, ls):
        x.close()
    eq(len(data), n, "all that was there, in one call")
    for i in range(0, n, 97):
        if data[i] != i & 0xFF:
            raise AssertionError("byte %d differs" % i)


def test_read_to_eof_in_pieces():
    n = share()
    s = scenario("pieces %d %d 2" % (n, PIECE))
    data = s.read()
    s.close()
    check_pattern(data, n)


def test_recv_waitall_in_pieces():
    n = share()
    s = scenario("pieces %d %d 2" % (n, PIECE))
    data = s.recv(n, socket.MSG_WAITALL)
    s.close()
    check_pattern(data, n)


def test_readline_in_pieces():
    n = share()
    s = scenario("line_pieces %d %d 2" % (n - 1, PIECE))
    line = s.readline()
    eq(s.read(), b"", "nothing after the line")
    s.close()
    eq(len(line), n, "length")
    eq(line[-1:], b"\n", "ends with the newline")
    eq(line.count(b"L"), n - 1, "content")


def test_results_are_ordinary_bytes():
    s = scenario("pieces 3000 1000 20")
    a = s.read(3000)
    s.close()
    s = scenario("pieces 3000 1000 20")
    b = s.read()
    s.close()
    eq(a, b, "equal")
    eq(hash(a), hash(b), "hash")
    eq({a: 1}[b], 1, "dict key")
    eq(a[:4] + b"!", bytes([3, 10, 17, 24]) + b"!", "slice and concatenation")


mptest.main(globals())
