# Fault tests, run by tests/host/test_netns_faults.py inside a network namespace whose
# veth link leads to the fault peer (tests/peers/fault_peers.py) in another namespace.
#   micropython fault_netns.py HOST PORT [noloss]
# The script asks the host to break or restore the path by printing "FAULT <action>"
# and waiting for "ok" on stdin (actions: linkdown, linkup, loss, restore).
import errno
import sys
import time
import mptest
import socket
from netutil import pattern, open_fds

HOST = sys.argv[1]
PORT = int(sys.argv[2])
NOLOSS = "noloss" in sys.argv[3:]
PEER = (HOST, PORT)
SLACK = 500  # ms a timed-out call may take beyond its timeout
FDS0 = open_fds()
# MicroPython's errno has no ENETUNREACH; this script only runs on Linux
ENETUNREACH = getattr(errno, "ENETUNREACH", 101)
EHOSTUNREACH = errno.EHOSTUNREACH


def fault(action):
    print("FAULT", action)
    line = sys.stdin.readline().strip()
    if line != "ok":
        raise AssertionError("host could not %s: %r" % (action, line))


def measure(name, ms):
    print("MEASURE %s %d" % (name, ms))


def connect(command, timeout=5000):
    s = socket.socket()
    s.settimeout(timeout)
    s.connect(PEER)
    s.sendall(command.encode() + b"\n")
    return s


def timed(fn, *args):
    """(exception or None, elapsed ms)."""
    t0 = time.ticks_ms()
    try:
        fn(*args)
        err = None
    except Exception as e:
        err = e
    return err, time.ticks_diff(time.ticks_ms(), t0)


def expect_timeout(name, bound, fn, *args):
    err, ms = timed(fn, *args)
    measure(name, ms)
    assert isinstance(err, socket.timeout), "%s: want socket.timeout, got %r" % (name, err)
    mptest.eq(err.errno, errno.ETIMEDOUT, name + " errno")
    assert bound - 5 <= ms <= bound + SLACK, "%s: %d ms for a %d ms timeout" % (name, ms, bound)
    return err


def echo_works(timeout=5000):
    s = connect("echo", timeout)
    try:
        s.sendall(b"ping after the fault")
        buf = bytearray(64)
        got = 0
        while got < 20:
            n = s.recv_into(memoryview(buf)[got:])
            assert n, "echo closed early"
            got += n
        mptest.eq(bytes(buf[:got]), b"ping after the fault", "echo")
    finally:
        s.close()


class Reader:
    """Reads a pattern stream, checking every byte against the peer's pattern."""

    def __init__(self, s):
        self.s = s
        self.got = 0
        self.buf = bytearray(4096)

    def read(self):
        n = self.s.recv_into(self.buf)
        if n:
            want = pattern(n, self.got)
            assert self.buf[:n] == want, "corrupt byte near offset %d" % self.got
            self.got += n
        return n


def test_half_close_by_peer():
    s = connect("halfclose 3000")
    r = Reader(s)
    while r.read():
        pass
    mptest.eq(r.got, 3000, "bytes before the peer's FIN")
    mptest.eq(s.recv(10), b"", "EOF stays EOF")
    # our direction still works after the peer's half-close
    data = pattern(20000)
    s.sendall(data)
    port = s.getsockname()[1]
    s.close()
    q = connect("result %d" % port)
    reply = q.recv(64).split()
    q.close()
    mptest.eq([int(w) for w in reply], [20000, sum(data) & 0xFFFFFFFF], "what the peer counted")


def test_link_down_mid_transfer():
    total = 300000
    s = connect("stream %d 5" % total)  # 1 KB every 5 ms: about 1.5 s
    r = Reader(s)
    try:
        while r.got < 30000:
            assert r.read(), "stream ended early"
        fault("linkdown")
        s.settimeout(1000)
        # what already arrived is delivered; then the read times out, within its bound
        before = r.got
        while True:
            err, ms = timed(r.read)
            if err is not None:
                break
            assert ms <= 1000 + SLACK, "a read took %d ms" % ms
        measure("link-down read timeout", ms)
        assert isinstance(err, socket.timeout), "want socket.timeout, got %r" % err
        assert ms <= 1000 + SLACK, ms
        print("MEASURE link-down bytes delivered after the cut %d" % (r.got - before))
        # a new connection while the link is down fails fast, with a documented errno
        c = socket.socket()
        c.settimeout(1000)
        err, ms = timed(c.connect, PEER)
        c.close()
        measure("link-down connect", ms)
        assert isinstance(err, OSError), "connect over a down link: %r" % err
        assert err.errno in (ENETUNREACH, EHOSTUNREACH, errno.ETIMEDOUT), err
        assert ms <= 1000 + SLACK, ms
    finally:
        fault("linkup")
    # the same connection resumes once TCP retransmits: every byte, once, in order
    s.settimeout(20000)
    t0 = time.ticks_ms()
    while r.read():
        pass
    measure("link-up stream resumed and finished", time.ticks_diff(time.ticks_ms(), t0))
    mptest.eq(r.got, total, "bytes over a link that went down and up")
    s.close()
    echo_works()


def test_http_link_down_mid_body():
    from sfnet.http import Http, HttpRequest, HttpResponse
    total = 200000
    got = [0]
    cut = []

    def sink(mv):
        want = pattern(len(mv), got[0])
        assert mv == want, "corrupt body near offset %d" % got[0]
        got[0] += len(mv)
        if got[0] >= 20000 and not cut:
            cut.append(time.ticks_ms())
            fault("linkdown")

    box = []
    try:
        err, ms = timed(lambda: box.append(
            Http(HOST, PORT).send_request(HttpRequest("/stream/%d" % total), 3000, sink=sink)))
    finally:
        if cut:
            fault("linkup")
    assert err is None, "send_request raised %r" % err  # failures are a status, never raised
    r = box[0]
    measure("http request with the link cut mid-body (3000 ms deadline)", ms)
    mptest.eq(r.status, HttpResponse.CONNECTION_FAILED, "status")
    assert "timed out" in r.error, r.error
    assert ms <= 3000 + SLACK, ms
    assert 20000 <= r.body_size < total, r.body_size  # a partial body, never taken as whole
    mptest.eq(r.body_size, got[0], "body_size")
    # after the link returns, a new request gets the whole body
    got[0] = 0
    cut.append(0)  # no second cut
    r = Http(HOST, PORT).send_request(HttpRequest("/stream/30000"), 10000, sink=sink)
    mptest.eq((r.status, r.body_size, got[0]), (200, 30000, 30000), "request after the link returned")


def test_loss_100_percent():
    if NOLOSS:
        mptest.skip("no qdisc to drop packets in this kernel")
    s = connect("echo")
    s.sendall(b"before")
    mptest.eq(s.recv(16), b"before", "echo before the loss")
    try:
        fault("loss")
        s.sendall(b"during the loss")  # into the send buffer: nothing reaches the peer
        buf = bytearray(64)
        s.settimeout(800)
        expect_timeout("loss recv_into timeout", 800, s.recv_into, buf)
        c = socket.socket()
        c.settimeout(800)
        expect_timeout("loss connect timeout", 800, c.connect, PEER)
        c.close()
        expect_timeout("loss create_connection timeout", 600, socket.create_connection, PEER, 600)
    finally:
        fault("restore")
    # the established connection recovers: the echo of what was sent during the loss
    s.settimeout(20000)
    got = b""
    while len(got) < 15:
        d = s.recv(64)
        assert d, "echo peer closed"
        got += d
    mptest.eq(got, b"during the loss", "data sent during the loss, echoed after it")
    s.close()
    echo_works()


def test_udp_under_loss():
    if NOLOSS:
        mptest.skip("no qdisc to drop packets in this kernel")
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2000)
    s.sendto(b"one", PEER)
    mptest.eq(s.recvfrom(16), (b"one", PEER), "UDP echo before the loss")
    try:
        fault("loss")
        s.sendto(b"lost", PEER)  # UDP: goes out without complaint, never arrives
        s.settimeout(500)
        expect_timeout("loss UDP recvfrom timeout", 500, s.recvfrom, 16)
        expect_timeout("loss UDP recvfrom_into timeout", 500, s.recvfrom_into, bytearray(16))
        try:
            from sfnet import UdpSocket, SocketSelector
        except ImportError:
            UdpSocket = None
        if UdpSocket is not None:
            box = []
            u = UdpSocket()
            u.bind(0)
            u.send(b"x", HOST, PORT)
            sel = SocketSelector()
            sel.add(u)
            err, ms = timed(lambda: box.append(sel.wait(500)))
            measure("loss sfnet SocketSelector.wait(500) on a UdpSocket", ms)
            assert err is None, err
            mptest.eq(box.pop(), False, "SocketSelector.wait under loss")
            assert 495 <= ms <= 500 + SLACK, ms
            u.unbind()
    finally:
        fault("restore")
    s.settimeout(2000)
    s.sendto(b"two", PEER)
    mptest.eq(s.recvfrom(16), (b"two", PEER), "UDP echo after the loss")  # "lost" never came back
    s.close()


def test_peer_resets():
    s = connect("send_rst 20000")
    r = Reader(s)
    try:
        while True:
            n = r.read()
            assert n, "orderly EOF instead of a reset"
    except OSError as e:
        mptest.eq(e.errno, errno.ECONNRESET, "errno after the RST")
    mptest.eq(r.got, 20000, "bytes received before the reset")
    # later calls fail at once, they do not hang
    s.settimeout(2000)
    err, ms = timed(s.sendall, b"after the reset")
    assert isinstance(err, OSError) and not isinstance(err, socket.timeout), err
    assert err.errno in (errno.ECONNRESET, socket.EPIPE), err
    assert ms < 500, ms
    s.close()
    mptest.raises(OSError, s.recv, 1)  # closed: EBADF


def test_peer_stops_reading():
    s = connect("sink")
    s.settimeout(1000)
    chunk = memoryview(bytearray(65536))
    total = 0
    err = None
    while total < (64 << 20):
        err, ms = timed(s.sendall, chunk)
        if err is not None:
            break
        total += len(chunk)
    measure("stalled-peer sendall timeout", ms)
    assert isinstance(err, socket.timeout), "want socket.timeout, got %r" % err
    assert ms <= 1000 + SLACK, ms
    assert 0 <= err.sent < len(chunk), err.sent
    print("MEASURE stalled-peer bytes accepted before the stall %d" % (total + err.sent))
    s.close()


def test_sfnet_under_faults():
    from sfnet import TcpSocket, IpAddress, SocketDisconnected, SocketError, Socket
    ip = IpAddress.from_string(HOST)
    t = TcpSocket()
    t.connect(ip, PORT, 5000)
    t.send(b"send_rst 5000\n")
    got = 0
    try:
        while True:
            got += len(t.receive(4096))
    except SocketDisconnected as e:
        mptest.eq(e.status, Socket.DISCONNECTED, "status after RST")
    mptest.eq(got, 5000, "TcpSocket bytes before the RST")
    t.disconnect()
    if NOLOSS:
        return
    try:
        fault("loss")
        err, ms = timed(t.connect, ip, PORT, 700)
        measure("sfnet connect timeout under loss", ms)
        assert isinstance(err, SocketError), "want SocketError, got %r" % err
        mptest.eq(err.status, Socket.ERROR, "status of a connect timeout")
        mptest.eq(err.errno, errno.ETIMEDOUT, "errno of a connect timeout")
        assert 695 <= ms <= 700 + SLACK, ms
    finally:
        fault("restore")
    t.connect(ip, PORT, 5000)
    t.send(b"echo\nabc")
    mptest.eq(t.receive(3), b"abc", "TcpSocket after the loss")
    t.disconnect()


def test_zz_every_socket_closed():
    mptest.eq(open_fds(), FDS0, "open file descriptors at the end")


mptest.main(globals())
