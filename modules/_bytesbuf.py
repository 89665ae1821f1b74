# One buffer for a stream read's result, as the built-in's C loop has (it grows one
# vstr in place and hands it to a bytes object): grow() extends a bytearray without
# another block in its way, and take() turns it into bytes without a copy. Firmware
# built from firmware/manifest.py has that primitive in C (_netfast.take, which also
# shrinks the buffer in place, as the built-in does). Elsewhere Python has none
# (bytes(buf) copies), so take() points a fresh bytes object at the bytearray's
# storage. Both objects are four machine words,
# (type, hash|typecode+free, len, data) in MicroPython's objstr.h/objarray.h; every
# call checks those words against what the objects must hold and copies instead when
# anything differs (another layout, no uctypes), so the result is always right.
import gc
import sys
from micropython import const

try:
    import uctypes
except ImportError:
    uctypes = None  # type: ignore[assignment]
try:  # the firmware's C version (firmware/cmodules/netfast): shrinks the buffer in place
    from _netfast import take as _native_take
except ImportError:
    _native_take = None  # type: ignore[assignment]

_HASH = const(1)
_LEN = const(2)
_DATA = const(3)
_layout = None
_ok = None  # None: not yet checked on this build


def _addr(obj):
    # id() is the address, except that one in the top quarter below 2**31 (2**63)
    # comes back as a negative small int on 32-bit (64-bit) builds.
    a = id(obj)
    return a & sys.maxsize if a < 0 else a


def _words(obj):
    return uctypes.struct(_addr(obj), _layout, uctypes.NATIVE).w


def _adopt(buf, n):
    b = bytes(1)  # a new object each time: bytes(0) would be the shared empty one
    w = _words(b)
    a = _words(buf)
    if (w[0] != _addr(bytes) or w[_LEN] != 1 or w[_DATA] != uctypes.addressof(b)
            or a[0] != _addr(bytearray) or a[_LEN] != len(buf) or a[_DATA] != uctypes.addressof(buf)):
        return None
    w[_DATA] = a[_DATA]  # buf's storage stays alive through this pointer: the GC scans b
    w[_LEN] = n
    w[_HASH] = 0  # 0 = not computed yet; hash() and == compute it from the data
    return b


def _check():
    global _layout, _ok
    _ok = False
    if uctypes is None or sys.implementation.name != "micropython":
        return
    word = uctypes.UINT64 if sys.maxsize > 0xFFFFFFFF else uctypes.UINT32
    _layout = {"w": (uctypes.ARRAY | 0, word | 4)}
    buf = bytearray(b"ok\x00\x00")
    b = _adopt(buf, 2)
    _ok = (b is not None and type(b) is bytes and len(b) == 2 and b == b"ok"
           and hash(b) == hash(b"ok") and {b: 1}.get(b"ok") == 1)


def take(buf, n):
    """bytes equal to buf[:n], from buf's storage (no copy; buf must not be used
    again). In C (_netfast) the storage is shrunk in place to the result. In Python,
    when more than an eighth of the buffer would go unused, the result is copied
    instead, so that it does not hold on to the whole buffer. Needs
    len(buf) > n: the byte at buf[n] becomes the terminating NUL every MicroPython
    bytes object has."""
    if _native_take is not None:
        return _native_take(buf, n)
    if _ok is None:
        _check()
    if _ok and n < len(buf) and len(buf) - 1 - n <= n >> 3:
        buf[n] = 0
        b = _adopt(buf, n)
        if b is not None:
            return b
    return bytes(memoryview(buf)[:n])


def grow(buf, k):
    """Make buf k bytes longer, the new bytes (any content) just before its last byte,
    which stays last. The bytes come from buf itself, which MicroPython's slice store
    re-reads if the buffer moves, so no temporary block sits past buf to stop it from
    growing in place; garbage there is collected and the growth tried again."""
    while k > 0:
        n = len(buf) - 1
        step = min(k, n + 1)
        try:
            buf[n:n] = memoryview(buf)[:step]
        except MemoryError:
            gc.collect()
            buf[n:n] = memoryview(buf)[:step]
        k -= step
