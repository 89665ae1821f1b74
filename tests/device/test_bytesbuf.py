# _bytesbuf: a bytearray grown in place and handed over as bytes without a copy: by
# the firmware's C helper (_netfast.take, frozen variants) or in Python (the layout-
# checked path); the copying fallback (another layout, no uctypes) gives the same results.
import gc
import _bytesbuf
import mptest
from mptest import eq


def fill(n):
    buf = bytearray(n + 1)
    for i in range(n):
        buf[i] = (i * 7 + 3) & 0xFF
    return buf


def check_ordinary(b, n):
    eq(type(b), bytes, "type")
    eq(len(b), n, "length")
    ref = bytes(fill(n)[:n])
    eq(b, ref, "content")
    eq(hash(b), hash(ref), "hash")
    eq({ref: 1}[b], 1, "dict key")
    eq(b[1:4] + b"!", ref[1:4] + b"!", "slice and concatenation")
    eq(b.find(bytes([10])), ref.find(bytes([10])), "find")


def python_path(fn):
    # run fn with the Python implementation, whatever the firmware has
    saved = _bytesbuf._native_take
    _bytesbuf._native_take = None
    try:
        return fn()
    finally:
        _bytesbuf._native_take = saved


def test_layout_check_passes_on_this_build():
    _bytesbuf._check()
    eq(_bytesbuf._ok, True, "the no-copy Python path is usable (objstr.h/objarray.h layout)")


def hands_over():
    n = 20000
    buf = fill(n)
    gc.collect()
    before = gc.mem_free()
    b = _bytesbuf.take(buf, n)
    buf = None
    gc.collect()
    # no second copy of the data: the result costs a small object, not n more bytes
    assert before - gc.mem_free() < 256, "took %d bytes" % (before - gc.mem_free())
    check_ordinary(b, n)
    junk = [bytearray(64) for _ in range(200)]  # reuse freed blocks: nothing may alias b
    junk = None
    gc.collect()
    check_ordinary(b, n)


def test_take_hands_over_the_storage():
    hands_over()
    python_path(hands_over)


def test_native_take_shrinks_the_buffer_in_place():
    if _bytesbuf._native_take is None:
        mptest.skip("no _netfast in this firmware (the stock binary): the Python path is tested above")
    buf = fill(30000)
    gc.collect()
    before = gc.mem_free()
    b = _bytesbuf.take(buf, 1000)  # a short result: the rest of the buffer is given back
    gc.collect()
    assert gc.mem_free() - before > 25000, "only %d bytes given back" % (gc.mem_free() - before)
    eq(len(buf), 0, "the bytearray is left empty")
    check_ordinary(b, 1000)
    mptest.raises(ValueError, _bytesbuf.take, bytearray(4), 5)
    mptest.raises(TypeError, _bytesbuf.take, memoryview(bytearray(4)), 1)


def test_short_results_are_copied_on_the_python_path():
    def check():
        buf = fill(1000)
        b = _bytesbuf.take(buf, 100)
        buf[0] = 0xEE  # the result does not share the buffer
        check_ordinary(b, 100)
        eq(_bytesbuf.take(bytearray(10), 0), b"", "empty")
    python_path(check)


def test_copying_fallback_gives_the_same_results():
    saved = _bytesbuf._ok
    _bytesbuf._ok = False
    try:
        python_path(lambda: check_ordinary(_bytesbuf.take(fill(3000), 3000), 3000))
        python_path(lambda: check_ordinary(_bytesbuf.take(fill(3000), 2000), 2000))
    finally:
        _bytesbuf._ok = saved


def test_grow_keeps_content_and_the_last_byte():
    buf = bytearray(b"abc\x00")
    _bytesbuf.grow(buf, 10)  # more than the buffer holds: grown in steps
    eq(len(buf), 14, "length")
    eq(buf[:3], b"abc", "content kept")
    eq(buf[-1], 0, "the last byte stays last")
    buf[3:13] = b"0123456789"
    eq(_bytesbuf.take(buf, 13), b"abc0123456789", "taken")


mptest.main(globals())
