# mptest: timeout=120
# Bad input for sfnet's Packet decoding, seeded so every run is the same:
#  - random bytes read back with random read_* sequences: every read returns a value
#    of its type or None (packet then invalid), never raises;
#  - random TCP frame streams (valid frames, then a truncated prefix, a truncated body,
#    a huge announced length or a clean end), written in random chunks to a
#    non-blocking TcpSocket: every valid packet arrives intact, then the documented
#    end: SocketDisconnected, or SocketError(EMSGSIZE) with no allocation for the
#    announced size and the connection closed.
import gc
import random
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
            p.write_string("abc\u00e9"[: random.getrandbits(2) + 1])
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
        for _ in range(random.getrandbits(3) + 1):
            name, kind = READERS[random.getrandbits(4) % len(READERS)]
            v = getattr(p, name)()
            if v is None:
                assert not p, "%s returned None on a valid packet" % name
            else:
                assert was_valid, "%s read after the packet turned invalid" % name
                assert type(v) is kind, (name, v)
            assert 0 <= p.read_position <= p.data_size, (p.read_position, p.data_size)
            if not p:
                was_valid = False
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
