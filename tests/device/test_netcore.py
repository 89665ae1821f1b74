# _netcore.timeout_until: the deadline -> settimeout(left) step that sfnet's Http, Ftp
# and local-address lookup share; _netcore.attempt: a call that returns its OSError
# (the C one on our firmware, the Python one elsewhere); _netcore.byte_len and byte_view:
# what a send counts, and a receive's view of a buffer.
import array
import time
import mptest
from mptest import eq
import _netcore


class Sock:
    timeout = "untouched"

    def settimeout(self, t):
        self.timeout = t


def test_byte_len_counts_bytes_not_items():
    eq(_netcore.byte_len(b"abc"), 3, "bytes")
    eq(_netcore.byte_len(bytearray(5)), 5, "bytearray")
    eq(_netcore.byte_len(b""), 0, "empty")
    eq(_netcore.byte_len(array.array("I", [1, 2, 3])), 12, "an array of 4-byte items")
    eq(_netcore.byte_len(memoryview(array.array("h", [1, 2]))[1:]), 2, "a view of 2-byte items")
    eq(_netcore.byte_len(memoryview(b"abcdef")[2:]), 4, "a view of bytes")
    eq(_netcore.byte_len(array.array("d")), 0, "an empty array")
    eq(_netcore.byte_len("h\u00e9"), 3, "a str: its UTF-8 bytes")


def test_byte_view_is_the_buffer_unless_its_items_are_wider():
    for buf in (bytearray(4), b"abc", memoryview(bytearray(3))[1:], array.array("B", [1, 2]),
                array.array("I")):
        assert _netcore.byte_view(buf) is buf, buf
    a = array.array("H", [0x0201, 0x0403])
    v = _netcore.byte_view(a)
    eq(len(v), 4, "a bytearray of its 4 bytes")
    v[0] = 0x09  # the array's own memory, not a copy
    eq(bytes(a), bytes(v), "shared")
    if hasattr(memoryview(b""), "itemsize"):
        eq(len(_netcore.byte_view(memoryview(a)[1:])), 2, "a view of wider items: its bytes")


def test_gives_the_ms_left_until_the_deadline():
    s = Sock()
    assert _netcore.timeout_until(s, time.ticks_add(time.ticks_ms(), 5000))
    assert 4000 < s.timeout <= 5000, s.timeout


def test_no_deadline_is_blocking():
    s = Sock()
    assert _netcore.timeout_until(s, None)
    eq(s.timeout, None, "blocking")


def test_a_passed_deadline_is_false_and_leaves_the_timeout():
    s = Sock()
    eq(_netcore.timeout_until(s, time.ticks_add(time.ticks_ms(), -1)), False, "passed")
    eq(s.timeout, "untouched", "timeout")
    eq(_netcore.timeout_until(s, time.ticks_ms()), False, "the deadline is now")


def test_attempt_returns_results_and_oserrors_and_raises_the_rest():
    import errno
    import micropython

    def f(a, b=0, c=0):
        if a == "reset":
            raise OSError(errno.ECONNRESET, "reset")
        if a == "bug":
            raise ValueError("bug")
        return a + b + c

    eq(_netcore.attempt(f, 1), 1, "one argument")
    eq(_netcore.attempt(f, 1, 2), 3, "two")
    eq(_netcore.attempt(f, 1, 2, 3), 6, "three")
    e = _netcore.attempt(f, "reset")
    assert isinstance(e, OSError) and e.errno == errno.ECONNRESET, repr(e)
    mptest.raises(ValueError, _netcore.attempt, f, "bug")
    micropython.heap_lock()
    try:
        r = _netcore.attempt(f, 1, 2)  # allocates nothing of its own
    finally:
        micropython.heap_unlock()
    eq(r, 3, "with the heap locked")


mptest.main(globals())
