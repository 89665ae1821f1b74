# _netcore: the pure pieces every network module shares (IPv4 codec, port and timeout
# checks, deadlines, errno names), with no network stack needed: importable on any port, so
# address parsing works even where there is no built-in socket. Private to the library.
import errno
import sys
from micropython import const
from time import ticks_ms, ticks_diff

MAX_TIMEOUT_MS = const(0x1FFFFFFF)  # keeps ticks_add in range on every port
_LITTLE = sys.byteorder == "little"

# errno names the port's errno module may lack; ESP32 uses newlib numbering.
_NEWLIB = errno.ETIMEDOUT == 116
EISCONN = getattr(errno, "EISCONN", 127 if _NEWLIB else 106)
EMSGSIZE = getattr(errno, "EMSGSIZE", 122 if _NEWLIB else 90)
EPIPE = getattr(errno, "EPIPE", 32)
ENOPROTOOPT = getattr(errno, "ENOPROTOOPT", 109 if _NEWLIB else 92)
EAFNOSUPPORT = getattr(errno, "EAFNOSUPPORT", 106 if _NEWLIB else 97)
ENOTCONN = getattr(errno, "ENOTCONN", 128 if _NEWLIB else 107)
EPROTONOSUPPORT = getattr(errno, "EPROTONOSUPPORT", 123 if _NEWLIB else 93)


def _item_size(buf, t, unknown_view):
    # bytes per item: a memoryview's itemsize (unknown_view on a build without it, when
    # given), else measured on a copy of the first item
    if t is memoryview:
        size = getattr(buf, "itemsize", 0)
        if size or unknown_view:
            return size or unknown_view
    return len(bytes(memoryview(buf)[:1]))


def byte_len(data):
    """The bytes a buffer holds (what a send counts): len() counts an array's items,
    or a str's characters."""
    n = len(data)
    t = type(data)
    if t is bytes or t is bytearray or not n:
        return n
    if t is str:
        return len(data.encode())
    return n * _item_size(data, t, 0)


def byte_view(buf):
    """buf, or for a buffer of items wider than a byte (an array('I'), a view of one) a
    bytearray over buf's own memory: what a receive counts and slices is bytes. A
    memoryview on a build without memoryview.itemsize is taken as bytes (no way to tell
    without allocating); pass the array itself there."""
    t = type(buf)
    if t is bytearray or t is bytes:
        return buf
    n = len(buf)
    size = _item_size(buf, t, 1) if n else 1
    if size == 1:
        return buf
    try:
        import uctypes
    except ImportError:
        raise TypeError("a buffer of %d-byte items needs uctypes, which this build lacks: "
                        "use a bytearray" % size)
    return uctypes.bytearray_at(uctypes.addressof(buf), n * size)


def aton(s, exact=True):
    """inet_aton's rules (1-4 parts, hex/octal/decimal). Returns the address as an
    int, or None. exact=False also accepts trailing whitespace and anything after
    it, as glibc's inet_aton does."""
    if type(s) is not str:
        return None
    n = len(s)
    i = 0
    parts = []
    while True:
        if i >= n or not ("0" <= s[i] <= "9"):
            return None
        base = 10
        val = 0
        if s[i] == "0":
            i += 1
            if i < n and s[i] in "xX":
                base = 16
                i += 1
                if i >= n or s[i] not in "0123456789abcdefABCDEF":
                    return None
            else:
                base = 8
        while i < n:
            c = s[i]
            if "0" <= c <= "9":
                d = ord(c) - 48
                if d >= base:
                    return None
            elif base == 16 and c in "abcdefABCDEF":
                d = (ord(c) | 32) - 87
            else:
                break
            val = val * base + d
            if val > 0xFFFFFFFF:
                return None
            i += 1
        if i < n and s[i] == ".":
            if len(parts) == 3 or val > 0xFF:
                return None
            parts.append(val)
            i += 1
            continue
        break
    if i < n:
        if exact or s[i] not in " \t\n\r\f\v":
            return None
    k = len(parts)
    if val > (0xFFFFFFFF, 0xFFFFFF, 0xFFFF, 0xFF)[k]:
        return None
    for j in range(k):
        val |= parts[j] << (24 - 8 * j)
    return val


def quad(v):
    return "%d.%d.%d.%d" % (v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255)


def int_in(v, lo, hi, what, out_of_range=OverflowError):
    """v, if it is an int in lo..hi (hi None: no upper bound): TypeError when not an int
    (bool included), OverflowError when out of range (what CPython raises for a port) or
    the given error (ValueError for a setting)."""
    if type(v) is not int:
        raise TypeError("%s must be an int, not %s" % (what, type(v).__name__))
    if v < lo or (hi is not None and v > hi):
        if hi is None:
            raise out_of_range("%s must be >= %d, got %d" % (what, lo, v))
        raise out_of_range("%s must be %d-%d, got %d" % (what, lo, hi, v))
    return v


def check_port(port):
    return int_in(port, 0, 65535, "port")


def ints_to_ip(parts):
    v = 0
    for b in parts:
        if type(b) is not int:
            raise TypeError("address bytes must be ints")
        if not 0 <= b <= 255:
            raise ValueError("address byte out of range 0-255: %d" % b)
        v = (v << 8) | b
    return v


def ip_to_tuple(ip):
    """'a.b.c.d' -> (a, b, c, d)."""
    v = aton(ip)
    if v is None:
        raise ValueError("not an IPv4 address: %r" % (ip,))
    return (v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255)


def inet_aton(ip):
    """inet_aton's rules ('127.1' and hex parts accepted) -> 4 bytes."""
    if type(ip) is not str:
        raise TypeError("inet_aton() argument must be str, not %s" % type(ip).__name__)
    v = aton(ip, False)
    if v is None:
        raise OSError(errno.EINVAL, "illegal IP address string passed to inet_aton: %r" % (ip,))
    return bytes((v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255))


def inet_ntoa(packed):
    if len(packed) != 4:
        raise OSError(errno.EINVAL, "packed IP wrong length for inet_ntoa: %d" % len(packed))
    return "%d.%d.%d.%d" % (packed[0], packed[1], packed[2], packed[3])


def pton4(s):
    parts = s.split(".") if type(s) is str else ()
    if len(parts) != 4:
        return None
    out = bytearray(4)
    for i in range(4):
        p = parts[i]
        if not p or len(p) > 3 or (len(p) > 1 and p[0] == "0"):
            return None
        for c in p:
            if not "0" <= c <= "9":
                return None
        v = int(p)
        if v > 255:
            return None
        out[i] = v
    return bytes(out)


def uint(x, bits):
    if type(x) is not int:
        if type(x) is not bool:
            raise TypeError("expected an int")
        x = int(x)  # (an int in CPython: htons(True) is 256)
    if not 0 <= x < (1 << bits):
        raise OverflowError("value out of range for %d-bit unsigned: %d" % (bits, x))
    return x


def htons(x):
    x = uint(x, 16)
    return ((x & 0xFF) << 8) | (x >> 8) if _LITTLE else x


def htonl(x):
    x = uint(x, 32)
    if not _LITTLE:
        return x
    return ((x & 0xFF) << 24) | ((x & 0xFF00) << 8) | ((x >> 8) & 0xFF00) | (x >> 24)


ntohs = htons
ntohl = htonl


def check_timeout(t, scale=1, unit="milliseconds"):
    """A timeout in `unit` (scale = ms per unit) -> whole ms, or None for blocking.
    Rounds up, so a positive wait never becomes non-blocking; float error below 1 us is
    not rounded up (1.1 s is 1100 ms, not 1101)."""
    if t is None:
        return None
    if type(t) is bool or not (type(t) is int or type(t) is float):
        raise TypeError("timeout must be %s (int or float) or None" % unit)
    if t < 0:
        raise ValueError("timeout must be >= 0 %s or None, got %r" % (unit, t))
    ms = t * scale
    if ms > MAX_TIMEOUT_MS:  # (CPython: OverflowError for a timeout the OS cannot take)
        raise OverflowError("timeout too large: max %s %s" % (MAX_TIMEOUT_MS / scale if scale > 1 else MAX_TIMEOUT_MS, unit))
    n = int(ms)
    if ms - n > 0.001 or (n == 0 and ms > 0):
        n += 1
    return n


def timeout_until(sock, deadline):
    """Give sock the ms left until `deadline` (ticks_ms; None: blocking) as its timeout;
    False, and the timeout untouched, once the deadline has passed."""
    if deadline is None:
        sock.settimeout(None)
        return True
    left = ticks_diff(deadline, ticks_ms())
    if left <= 0:
        return False
    sock.settimeout(left)
    return True


_NO = object()  # attempt(): no third argument

try:  # in C on our firmware: the caller then needs no try, whose frame goes on the heap
    from _netfast import attempt
except ImportError:
    def attempt(fn, a, b=_NO, c=_NO):  # type: ignore[misc]
        """fn(a[, b[, c]]), or the OSError it raised, returned instead of raised. fn is a
        plain function (socket.socket.sendall), so the call allocates nothing."""
        try:
            if b is _NO:
                return fn(a)
            return fn(a, b) if c is _NO else fn(a, b, c)
        except OSError as e:
            return e
