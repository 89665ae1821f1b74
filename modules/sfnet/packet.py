# sfnet.packet: SFML's sf::Packet, byte for byte. Integers are big-endian; float and
# double are little-endian (SFML copies host order, and every SFML host is LE);
# strings are a uint32 BE byte length + UTF-8; wide strings a uint32 BE count +
# UTF-32BE code points. Reading past the end makes the packet invalid (falsy) until
# clear(), and later reads return None, as SFML's reads become no-ops.
import struct

# MicroPython's str() checks UTF-8's structure but not these (RFC 3629): lead bytes that
# never start a character (C0/C1 overlong, F5-FF past U+10FFFF), and lead bytes whose
# second byte is limited (E0: overlong, ED: surrogates, F0: overlong, F4: past U+10FFFF).
_NEVER = tuple(bytes((c,)) for c in (0xC0, 0xC1, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF))
_SECOND = ((b"\xe0", 0xA0, 0xBF), (b"\xed", 0x80, 0x9F), (b"\xf0", 0x90, 0xBF), (b"\xf4", 0x80, 0x8F))


def _strict_utf8(d, p, end):
    """No overlong form, surrogate or code point past U+10FFFF in d[p:end] (a few
    scans in C, no copy)."""
    for b in _NEVER:
        if d.find(b, p, end) >= 0:
            return False
    for b, lo, hi in _SECOND:
        k = d.find(b, p, end)
        while k >= 0:
            if k + 1 >= end or not lo <= d[k + 1] <= hi:
                return False
            k = d.find(b, k + 1, end)
    return True


def _int(value, lo, hi, what):
    if type(value) is not int:
        raise TypeError("%s needs an int, not %s" % (what, type(value).__name__))
    if not lo <= value <= hi:
        raise OverflowError("%s: %d out of range %d..%d" % (what, value, lo, hi))
    return value


class Packet:
    """A buffer of typed values for TcpSocket/UdpSocket send_packet/receive_packet.
    Every write_* returns the packet, so calls chain."""

    def __init__(self):
        self._data = bytearray()
        self._pos = 0
        self._valid = True

    # -- state

    def __bool__(self):
        return self._valid

    def clear(self):
        self._data = bytearray()
        self._pos = 0
        self._valid = True

    def append(self, data):
        """Append raw bytes to the end of the packet."""
        t = type(data)
        if t is not bytes and t is not bytearray and t is not memoryview:
            raise TypeError("append needs bytes, bytearray or memoryview, not %s" % t.__name__)
        self._data.extend(data)
        return self

    @property
    def data(self):
        """The packet's bytes (a copy)."""
        return bytes(self._data)

    @property
    def data_size(self):
        return len(self._data)

    @property
    def end_of_packet(self):
        return self._pos >= len(self._data)

    @property
    def read_position(self):
        return self._pos

    def __repr__(self):
        return "<Packet %d bytes, read at %d%s>" % (
            len(self._data), self._pos, "" if self._valid else ", invalid")

    # -- hooks for subclasses (compression, encryption...)

    def on_send(self):
        """Return the bytes to put on the wire. Default: the packet's data."""
        return self._data

    def on_receive(self, data):
        """Fill the (cleared) packet from the bytes that came off the wire."""
        self._data.extend(data)

    # -- writing

    def _pack(self, fmt, value):
        self._data.extend(struct.pack(fmt, value))
        return self

    def write_bool(self, value):
        self._data.append(1 if value else 0)
        return self

    def write_int8(self, value):
        return self._pack(">b", _int(value, -0x80, 0x7F, "write_int8"))

    def write_uint8(self, value):
        self._data.append(_int(value, 0, 0xFF, "write_uint8"))
        return self

    def write_int16(self, value):
        return self._pack(">h", _int(value, -0x8000, 0x7FFF, "write_int16"))

    def write_uint16(self, value):
        return self._pack(">H", _int(value, 0, 0xFFFF, "write_uint16"))

    def write_int32(self, value):
        return self._pack(">i", _int(value, -0x80000000, 0x7FFFFFFF, "write_int32"))

    def write_uint32(self, value):
        return self._pack(">I", _int(value, 0, 0xFFFFFFFF, "write_uint32"))

    def write_int64(self, value):
        return self._pack(">q", _int(value, -0x8000000000000000, 0x7FFFFFFFFFFFFFFF, "write_int64"))

    def write_uint64(self, value):
        return self._pack(">Q", _int(value, 0, 0xFFFFFFFFFFFFFFFF, "write_uint64"))

    def _float(self, fmt, value, what):
        if type(value) is not float and type(value) is not int or type(value) is bool:
            raise TypeError("%s needs a float, not %s" % (what, type(value).__name__))
        return self._pack(fmt, value)

    def write_float(self, value):
        return self._float("<f", value, "write_float")

    def write_double(self, value):
        return self._float("<d", value, "write_double")

    def write_string(self, value):
        """A str as uint32 BE byte length + UTF-8 (bytes are written as they are)."""
        t = type(value)
        if t is str:
            value = value.encode()
        elif t is not bytes and t is not bytearray:
            raise TypeError("write_string needs a str, not %s" % t.__name__)
        self._pack(">I", len(value))
        self._data.extend(value)
        return self

    def write_wstring(self, value):
        """A str as uint32 BE code-point count + one uint32 BE per code point (UTF-32BE)."""
        if type(value) is not str:
            raise TypeError("write_wstring needs a str, not %s" % type(value).__name__)
        self._pack(">I", len(value))
        for c in value:
            self._pack(">I", ord(c))
        return self

    # -- reading

    def _take(self, n):
        """Start offset of the next n bytes, or -1 (and the packet turns invalid)."""
        if not self._valid:
            return -1
        p = self._pos
        if n > len(self._data) - p:
            self._valid = False
            return -1
        self._pos = p + n
        return p

    def _unpack(self, fmt, n):
        p = self._take(n)
        if p < 0:
            return None
        return struct.unpack_from(fmt, self._data, p)[0]

    def read_bool(self):
        p = self._take(1)
        return None if p < 0 else self._data[p] != 0

    def read_int8(self):
        return self._unpack(">b", 1)

    def read_uint8(self):
        p = self._take(1)
        return None if p < 0 else self._data[p]

    def read_int16(self):
        return self._unpack(">h", 2)

    def read_uint16(self):
        return self._unpack(">H", 2)

    def read_int32(self):
        return self._unpack(">i", 4)

    def read_uint32(self):
        return self._unpack(">I", 4)

    def read_int64(self):
        return self._unpack(">q", 8)

    def read_uint64(self):
        return self._unpack(">Q", 8)

    def read_float(self):
        return self._unpack("<f", 4)

    def read_double(self):
        return self._unpack("<d", 8)

    def read_string(self):
        """A str; None (packet invalid) if the data is short or not valid UTF-8
        (overlong forms and surrogates included)."""
        start = self._pos
        n = self.read_uint32()
        if n is None:
            return None
        p = self._take(n)  # checks the length against what is there: no huge allocation
        if p < 0:
            return None
        try:
            if _strict_utf8(self._data, p, p + n):
                return str(memoryview(self._data)[p:p + n], "utf-8")
        except UnicodeError:
            pass
        self._pos = start
        self._valid = False
        return None

    def read_wstring(self):
        """A str from UTF-32BE code points; None (packet invalid) if short or not Unicode."""
        start = self._pos
        n = self.read_uint32()
        if n is None:
            return None
        if n > (len(self._data) - self._pos) // 4:
            self._valid = False
            return None
        d = self._data
        p = self._pos
        out = []
        for i in range(n):
            cp = (d[p] << 24) | (d[p + 1] << 16) | (d[p + 2] << 8) | d[p + 3]
            if cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
                self._pos = start
                self._valid = False
                return None
            out.append(chr(cp))
            p += 4
        self._pos = p
        return "".join(out)
