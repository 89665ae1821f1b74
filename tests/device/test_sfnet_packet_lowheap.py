# mptest: heapsize=384K timeout=60
# 52 KB Packets round trip through the echo peer with 64 KB, then 96 KB, of free heap
# (tests/lib/heapsqueeze.py: the library is imported in a larger heap, which the .py
# variant's compiler leaves fragmented, then ballast holds all but that much).
import gc
import mptest
from mptest import eq
import testenv
from sfnet import IpAddress, TcpSocket, Packet


STR_A, STR_B = "a" * 47 + "A", "b" * 47 + "B"
COUNT = 1000  # strings per packet: 1000 x (4 + 48) + 5 = 52,005 bytes


def send_50_kb(t, seed, pieces):
    # built in place (appending prebuilt string encodings: nothing else is allocated
    # while the packet grows) and sent in a call of its own, so that no reference to
    # the packet outlives it
    p = Packet()
    p.write_uint32(seed)
    for i in range(COUNT):
        p.append(pieces[i & 1])
    p.write_uint8(seed)
    t.send_packet(p)


def check_50_kb(q, seed):
    eq(q.data_size, 4 + COUNT * 52 + 1, "packet size")
    eq(q.read_uint32(), seed, "first value")
    for i in range(COUNT):
        s = q.read_string()
        if s != (STR_B if i & 1 else STR_A):
            raise AssertionError("string %d: %r" % (i, s))
    eq(q.read_uint8(), seed, "last value")
    assert q.end_of_packet


def test_packet_round_trips_of_50_kb_with_64_kb_free():
    # 52 KB packets to the echo peer and back, with 64 KB (then 96 KB) of heap left:
    # send_packet sends the prefix and the packet's own buffer (no second copy) and
    # receive_packet receives into one buffer of the announced size
    import heapsqueeze

    pieces = (Packet().write_string(STR_A).data, Packet().write_string(STR_B).data)
    t = TcpSocket()
    t.connect(IpAddress.from_string(testenv.SCENARIO[0]), testenv.SCENARIO[1], 2000)
    t.send(b"echo\n")
    t.send_packet(Packet().write_string("warm up"))  # the socket's own small buffers exist now
    eq(t.receive_packet().read_string(), "warm up")
    for free in (64 * 1024, 96 * 1024):
        for seed in (1, 2):
            keep = heapsqueeze.squeeze(free)
            send_50_kb(t, seed, pieces)
            gc.collect()
            check_50_kb(t.receive_packet(), seed)
            del keep
    t.disconnect()


mptest.main(globals())
