# mptest: timeout=180
# Soak: 1,000 connect/send/close cycles each for socket (against the CPython echo peer
# and against a listener in this process) and for sfnet.TcpSocket. Open file
# descriptors (unix port: /proc/self/fd) and the heap (gc.mem_alloc after collect)
# must come back to their baseline: no leaked sockets, pollers or buffers.
import gc
import mptest
import socket
import testenv
from netutil import open_fds, fds_before

CYCLES = 1000
WARMUP = 20  # first-use allocations (poll objects, caches) happen here, not in the loop
HEAP_SLACK = 1024  # bytes; a leak of even 2 bytes per cycle would exceed it


def heap():
    gc.collect()
    gc.collect()
    return gc.mem_alloc()


def soak(name, cycle):
    for i in range(WARMUP):
        cycle(i)
    fds0, mem0 = fds_before(), heap()
    mid = None
    for i in range(CYCLES):
        cycle(i)
        if i == CYCLES // 2:
            mid = heap()
    fds1, mem1 = open_fds(), heap()
    print("SOAK %s cycles=%d fds %s->%s heap %d->%d (mid %d)" % (
        name, CYCLES, fds0, fds1, mem0, mem1, mid))
    mptest.eq(fds1, fds0, "open file descriptors after %d cycles" % CYCLES)
    assert mem1 - mem0 <= HEAP_SLACK, "heap grew by %d bytes over %d cycles" % (mem1 - mem0, CYCLES)
    assert mem1 - mid <= HEAP_SLACK, "heap still growing in the second half: %d" % (mem1 - mid)


MSG = bytes(range(64))


def test_socket_echo_cycles():
    buf = bytearray(64)

    def cycle(i):
        s = socket.socket()
        s.settimeout(5000)
        s.connect(testenv.SCENARIO)
        s.sendall(b"echo\n")
        s.sendall(MSG)
        got = 0
        while got < 64:
            n = s.recv_into(memoryview(buf)[got:])
            assert n, "echo peer closed early"
            got += n
        assert buf == MSG
        s.close()

    soak("socket-echo", cycle)


def test_socket_local_listener_cycles():
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    srv.settimeout(5000)
    addr = srv.getsockname()
    buf = bytearray(64)

    def cycle(i):
        c = socket.socket()
        c.settimeout(5000)
        c.connect(addr)
        a, peer = srv.accept()
        a.settimeout(5000)
        c.sendall(MSG)
        got = 0
        while got < 64:
            got += a.recv_into(memoryview(buf)[got:])
        assert buf == MSG
        c.close()
        assert a.recv_into(buf) == 0  # the FIN arrived
        a.close()

    try:
        soak("socket-listener", cycle)
    finally:
        srv.close()


def test_sfnet_tcpsocket_cycles():
    from sfnet import TcpSocket, IpAddress
    host = IpAddress.from_string(testenv.SCENARIO[0])
    port = testenv.SCENARIO[1]
    buf = bytearray(64)
    t = TcpSocket()

    def cycle(i):
        t.connect(host, port, 5000)
        t.send(b"echo\n")
        t.send(MSG)
        got = 0
        while got < 64:
            got += t.receive_into(memoryview(buf)[got:])
        assert buf == MSG
        t.disconnect()

    soak("sfnet-TcpSocket", cycle)


def test_failed_connect_cycles():
    """Error paths leak nothing either: refused connects and timeouts."""
    port = socket.socket()
    port.bind(("127.0.0.1", 0))
    closed = port.getsockname()  # bound, never listening: connects are refused
    import errno

    def cycle(i):
        s = socket.socket()
        s.settimeout(2000)
        try:
            s.connect(closed)
            raise AssertionError("connect to a closed port succeeded")
        except OSError as e:
            assert e.errno == errno.ECONNREFUSED, e
        s.close()

    try:
        soak("socket-refused", cycle)
    finally:
        port.close()


mptest.main(globals())
