# sfnet under heap pressure: the everyday paths (TCP, packets, UDP, a selector) work
# in a small heap and leave nothing behind. The .py variant compiles the library in its
# heap, so it gets 256K; the .mpy variant runs in 128K, and frozen firmware keeps the
# bytecode out of the heap.
# mptest: heapsize=192K heapsize_py=256K timeout=60
import mptest
from mptest import eq
import gc
import testenv
from sfnet import IpAddress, TcpSocket, TcpListener, UdpSocket, SocketSelector, Packet

LOCAL = IpAddress.LOCAL_HOST


def round_trip():
    t = TcpSocket()
    t.connect(IpAddress.from_string(testenv.SCENARIO[0]), testenv.SCENARIO[1], 2000)
    t.send(b"echo\n")
    buf = bytearray(64)
    msg = b"x" * 64
    for _ in range(50):
        t.send(msg)
        n = 0
        while n < 64:
            n += t.receive_into(memoryview(buf)[n:]) if n else t.receive_into(buf)
    t.disconnect()

    lst = TcpListener()
    lst.listen(0, LOCAL)
    sel = SocketSelector()
    sel.add(lst)
    a = TcpSocket()
    a.connect(LOCAL, lst.local_port)
    assert sel.wait(2000) and sel.is_ready(lst)
    b = lst.accept()
    for i in range(20):
        a.send_packet(Packet().write_uint32(i).write_string("packet %d" % i))
        p = b.receive_packet()
        eq((p.read_uint32(), p.read_string()), (i, "packet %d" % i), "packet")
    a.disconnect()
    b.disconnect()
    lst.close()

    u = UdpSocket()
    u.bind(0, LOCAL)
    u.send_packet(Packet().write_string("udp"), testenv.UDP_ECHO[0], testenv.UDP_ECHO[1])
    p, ip, port = u.receive_packet()
    eq(p.read_string(), "udp", "udp packet")
    u.unbind()


def test_everyday_paths_in_a_small_heap():
    round_trip()  # warm up: modules and poll objects
    gc.collect()
    free = gc.mem_free()
    for _ in range(3):
        round_trip()
    gc.collect()
    assert free - gc.mem_free() < 2048, "heap kept %d bytes" % (free - gc.mem_free())


mptest.main(globals())
