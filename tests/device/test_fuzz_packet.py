# mptest: timeout=120
# Bad input for sfnet's Packet decoding, seeded so every run is the same:
#  - random bytes read back with random read_* sequences: every read returns the value
#    an independent reference decoder (struct, a UTF-8 state machine) finds at that
#    position, or None exactly when the reference says invalid; never raises;
#  - random TCP frame streams (valid frames, then a truncated prefix, a truncated body,
#    a huge announced length or a clean end), written in random chunks to a
#    non-blocking TcpSocket: every valid packet arrives intact, then the documented
#    end: SocketDisconnected, or SocketError(EMSGSIZE) with no allocation for the
#    announced size and the connection closed.
import gc
import random
import struct
import mptest
import socket

from sfnet import Packet, TcpSocket, SocketDisconnected, SocketError, SocketNotReady

SEED = 7007
READ_ROUNDS = 3000
STREAMS = 300
_EMSGSIZE = socket.EMSGSIZE

READERS = (
    ("read_bool", bool), ("read_int8", int), ("read_uint8", int), ("read_int16", int),
    ("read_uint16", int), ("read_int32", int), ("read_uint32", int), ("read_int64", int),
    ("read_uint64", int), ("read_float", float), ("read_double", float),
    ("read_string", str), ("read_wstring", str),
)


FORMATS = {"read_int8": ">b", "read_uint8": ">B", "read_int16": ">h", "read_uint16": ">H",
           "read_int32": ">i", "read_uint32": ">I", "read_int64": ">q", "read_uint64": ">Q",
           "read_float": "<f", "read_double": "<d"}
BAD_UTF8 = (b"\xc0\x80", b"\xc1\xbf", b"\xe0\x80\x80", b"\xe0\x9f\xbf", b"\xed\xa0\x80", b"\xed\xbf\xbf",
            b"\xf0\x8f\xbf\xbf", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xff", b"\x80", b"\xe2\x82")
GOOD_UTF8 = (b"\xc2\x80", b"\xdf\xbf", b"\xe0\xa0\x80", b"\xed\x9f\xbf", b"\xee\x80\x80", b"\xef\xbf\xbf",
             b"\xf0\x90\x80\x80", b"\xf4\x8f\xbf\xbf", b"\x00", b"\x7f")


def ref_utf8(b):
    """RFC 3629 decoding, byte by byte: the str, or None."""
    out = []
    i = 0
    n = len(b)
    while i < n:
        c = b[i]
        if c < 0x80:
            cp, k = c, 0
        elif 0xC2 <= c <= 0xDF:
            cp, k = c & 0x1F, 1
        elif 0xE0 <= c <= 0xEF:
            cp, k = c & 0x0F, 2
        elif 0xF0 <= c <= 0xF4:
            cp, k = c & 0x07, 3
        else:
            return None
        for j in range(1, k + 1):
            if i + j >= n or b[i + j] & 0xC0 != 0x80:
                return None
            cp = (cp << 6) | (b[i + j] & 0x3F)
        if (k == 2 and cp < 0x800) or (k == 3 and not 0x10000 <= cp <= 0x10FFFF) or 0xD800 <= cp <= 0xDFFF:
            return None
        out.append(chr(cp))
        i += k + 1
    return "".join(out)


def reference(name, d, pos):
    """(value, position after) of read `name` at pos, or None if it is invalid there."""
    if name == "read_bool":
        return (d[pos] != 0, pos + 1) if pos < len(d) else None
    if name in FORMATS:
        f = FORMATS[name]
        size = struct.calcsize(f)
        return (struct.unpack(f, d[pos:pos + size])[0], pos + size) if pos + size <= len(d) else None
    if pos + 4 > len(d):
        return None
    n = struct.unpack(">I", d[pos:pos + 4])[0]
    pos += 4
    if name == "read_string":
        if pos + n > len(d):
            return None
        s = ref_utf8(d[pos:pos + n])
        return None if s is None else (s, pos + n)
    if pos + 4 * n > len(d):  # read_wstring: UTF-32BE code points
        return None
    out = []
    for i in range(n):
        cp = struct.unpack(">I", d[pos + 4 * i:pos + 4 * i + 4])[0]
        if cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
            return None
        out.append(chr(cp))
    return "".join(out), pos + 4 * n


def same_value(v, want):
    if type(v) is float and v != v:
        return want != want  # NaN read as NaN
    return type(v) is type(want) and v == want


def rand_bytes(n):
    return bytes(random.getrandbits(8) for _ in range(n))


def rand_payload():
    """Random bytes, sometimes shaped like SFML strings with true or lying lengths."""
    r = random.getrandbits(2)
    if r == 0:
        return rand_bytes(random.getrandbits(6))
    p = Packet()
    for _ in range(random.getrandbits(2) + 1):
        k = random.getrandbits(2)
        if k == 0:
            if random.getrandbits(1):
                p.write_string("abc\u00e9"[: random.getrandbits(2) + 1])
            else:  # raw UTF-8, valid or not (overlong, surrogate, past U+10FFFF...)
                raw = random.choice(BAD_UTF8 + GOOD_UTF8) + random.choice((b"", b"ok", random.choice(GOOD_UTF8)))
                p.write_uint32(len(raw)).append(raw)
        elif k == 1:
            p.write_uint32(random.choice((0, 3, 0xFFFFFFFF, 0x7FFFFFFF, random.getrandbits(32))))
        elif k == 2:
            p.write_wstring("x\u20ac")
        else:
            p.append(rand_bytes(random.getrandbits(3)))
    data = p.data
    if r == 3 and data:
        data = data[: random.getrandbits(8) % len(data)]  # truncated
    return data


def test_read_random_bytes():
    random.seed(SEED)
    invalid = 0
    for _ in range(READ_ROUNDS):
        p = Packet()
        data = rand_payload()
        p.append(data)
        was_valid = True
        pos = 0
        for _ in range(random.getrandbits(3) + 1):
            name, kind = READERS[random.getrandbits(4) % len(READERS)]
            want = reference(name, data, pos) if was_valid else None
            v = getattr(p, name)()
            if want is None:
                assert v is None and not p, "%s at %d of %r: %r, want None (invalid)" % (name, pos, data, v)
                was_valid = False
            else:
                assert same_value(v, want[0]), "%s at %d of %r: %r, want %r" % (name, pos, data, v, want[0])
                assert type(v) is kind, (name, v)
                pos = want[1]
                mptest.eq(p.read_position, pos, "read position after " + name)
            assert 0 <= p.read_position <= p.data_size, (p.read_position, p.data_size)
        if not p:
            invalid += 1
        mptest.eq(p.data, data, "reading changed the data")
    print("FUZZ packet-read inputs=%d ended_invalid=%d seed=%d" % (READ_ROUNDS, invalid, SEED))


def frame(data):
    n = len(data)
    return bytes((n >> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255)) + data


def rand_stream():
    """(bytes, expected packets, ending) with ending one of clean/prefix/body/huge."""
    packets = [rand_payload() for _ in range(random.getrandbits(2))]
    out = b"".join(frame(p) for p in packets)
    ending = ("clean", "prefix", "body", "huge")[random.getrandbits(2)]
    if ending == "prefix":
        out += frame(b"xyz")[: random.getrandbits(8) % 3 + 1]
    elif ending == "body":
        body = rand_bytes(random.getrandbits(5) + 2)
        out += frame(body)[: 4 + random.getrandbits(8) % (len(body) - 1) + 1]
    elif ending == "huge":
        n = random.choice((TcpSocket.max_packet_size + 1, 0x7FFFFFFF, 0xFFFFFFFF,
                           TcpSocket.max_packet_size + 1 + random.getrandbits(30)))
        out += bytes((n >> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255)) + rand_bytes(8)
    return out, packets, ending


def pair(srv, addr):
    t = TcpSocket()
    t.connect(addr[0], addr[1], 2000)
    w, _ = srv.accept()
    w.settimeout(2000)
    t.blocking = False
    return t, w


def run_stream(t, w, stream, packets, ending, counts):
    got = []
    pos = 0
    outcome = None
    spins = 0
    open_ = True
    while outcome is None:
        if pos < len(stream):
            k = random.getrandbits(7) % 61 + 1
            w.sendall(stream[pos:pos + k])
            pos += k
        elif open_:
            w.close()  # everything written: the end of the stream
            open_ = False
        try:
            gc.collect()
            before = gc.mem_alloc()
            p = t.receive_packet()
            got.append(p.data)
        except SocketNotReady:
            spins += 1
            assert spins < 10000, "receive_packet never finished"
        except SocketDisconnected:
            outcome = "disconnected"
        except SocketError as e:
            used = gc.mem_alloc() - before
            mptest.eq(e.errno, _EMSGSIZE, "errno for a huge length")
            assert used < 2048, "allocated %d bytes for a refused length" % used
            outcome = "emsgsize"
    w.close()
    mptest.eq(got, packets, "packets before the %s ending" % ending)
    mptest.eq(outcome, "emsgsize" if ending == "huge" else "disconnected", "ending " + ending)
    # the connection is closed either way: further calls say so, they do not hang
    try:
        t.receive_packet()
        raise AssertionError("receive_packet after the end succeeded")
    except (SocketDisconnected, SocketError):
        pass
    counts[outcome] = counts.get(outcome, 0) + 1


def test_receive_packet_random_streams():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    srv.settimeout(2000)
    addr = srv.getsockname()
    counts = {}
    try:
        for i in range(STREAMS):
            random.seed(SEED * 1000 + i)  # per stream: chunking depends on timing, inputs must not
            stream, packets, ending = rand_stream()
            t, w = pair(srv, addr)
            try:
                run_stream(t, w, stream, packets, ending, counts)
            finally:
                t.disconnect()
                w.close()
    finally:
        srv.close()
    assert counts.get("emsgsize") and counts.get("disconnected"), counts
    print("FUZZ packet-stream inputs=%d outcomes=%r seeds=%d.." % (STREAMS, counts, SEED * 1000))


def test_huge_length_table():
    """Each announced size just past the limit up to 4 GiB is refused without allocating it."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(2)
    srv.settimeout(2000)
    addr = srv.getsockname()
    sizes = (TcpSocket.max_packet_size + 1, 1 << 20, 1 << 24, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF)
    try:
        for n in sizes:
            t, w = pair(srv, addr)
            t.blocking = True
            w.sendall(bytes((n >> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255)))
            gc.collect()
            before = gc.mem_alloc()
            e = mptest.raises(SocketError, t.receive_packet)
            mptest.eq(e.errno, _EMSGSIZE, "errno for %d" % n)
            assert gc.mem_alloc() - before < 2048, n
            mptest.eq(t.remote_port, 0, "connection closed after refusing %d" % n)
            w.close()
    finally:
        srv.close()
    print("FUZZ packet-huge inputs=%d" % len(sizes))


mptest.main(globals())
