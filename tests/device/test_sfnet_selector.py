# sfnet.TcpListener and sfnet.SocketSelector on loopback.
# mptest: timeout=60
import mptest
from mptest import eq, raises
import errno
import socket
import time
import netutil
import testenv
from sfnet import (IpAddress, TcpListener, TcpSocket, UdpSocket, SocketSelector, Socket,
                   SocketNotReady, SocketDisconnected, SocketError, milliseconds)

LOCAL = IpAddress.LOCAL_HOST


def listener(blocking=True):
    lst = TcpListener()
    lst.blocking = blocking
    lst.listen(Socket.ANY_PORT, LOCAL)
    return lst


def pair():
    """(listener, client TcpSocket, accepted TcpSocket)."""
    lst = listener()
    c = TcpSocket()
    c.connect(LOCAL, lst.local_port, 2000)
    return lst, c, lst.accept()


def elapsed(t0):
    return time.ticks_diff(time.ticks_ms(), t0)


def test_listener_lifecycle():
    lst = TcpListener()
    eq(lst.local_port, 0, "fresh")
    lst.listen(Socket.ANY_PORT)
    assert lst.local_port > 0
    lst.listen(Socket.ANY_PORT, "127.0.0.1")  # listening again moves the listener
    assert lst.local_port > 0
    lst.close()
    eq(lst.local_port, 0, "closed")
    lst.close()  # no effect


def test_listener_errors():
    lst = TcpListener()
    e = raises(SocketError, lst.listen, Socket.ANY_PORT, IpAddress.BROADCAST)
    eq(lst.local_port, 0, "not listening after refusing broadcast")
    assert "broadcast" in str(e)
    raises(SocketError, lst.accept)  # not listening
    raises(OverflowError, lst.listen, 65536)
    raises(TypeError, lst.listen, None)
    raises(SocketError, lst.listen, 0, IpAddress.NONE)
    other = listener()
    before = netutil.fds_before()
    e = raises(SocketError, lst.listen, other.local_port, LOCAL)
    eq(e.errno, errno.EADDRINUSE, "port in use")
    eq(netutil.open_fds(), before, "the failed listen closed its socket")
    other.close()


def test_accept_returns_connected_blocking_socket():
    lst, c, s = pair()
    assert isinstance(s, TcpSocket)
    eq(s.blocking, True, "accepted sockets are blocking")
    eq(s.remote_address, LOCAL, "peer address")
    eq(s.remote_port, c.local_port, "peer port")
    eq(s.local_port, lst.local_port, "local port")
    c.send(b"over")
    eq(s.receive(10), b"over", "data")
    c.disconnect()
    s.disconnect()
    lst.close()


def test_non_blocking_accept():
    lst = listener(False)
    e = raises(SocketNotReady, lst.accept)
    eq(e.errno, errno.EAGAIN, "errno")
    c = TcpSocket()
    c.connect(LOCAL, lst.local_port)
    t0 = time.ticks_ms()
    while True:
        try:
            s = lst.accept()
            break
        except SocketNotReady:
            assert elapsed(t0) < 2000
    eq(s.remote_port, c.local_port, "accepted")
    c.disconnect()
    s.disconnect()
    lst.close()


def test_listener_ready_when_a_connection_waits():
    lst = listener()
    sel = SocketSelector()
    sel.add(lst)
    eq(sel.wait(0), False, "nobody yet")
    eq(sel.is_ready(lst), False, "not ready")
    c = TcpSocket()
    c.connect(LOCAL, lst.local_port)
    assert sel.wait(2000)
    assert sel.is_ready(lst)
    s = lst.accept()
    eq(sel.wait(0), False, "accepted: nothing waits any more")
    c.disconnect()
    s.disconnect()
    lst.close()


def test_several_clients_tcp_and_udp():
    lst = listener()
    sel = SocketSelector()
    sel.add(lst)
    clients = [TcpSocket() for _ in range(3)]
    for c in clients:
        c.connect(LOCAL, lst.local_port)
    served = []
    t0 = time.ticks_ms()
    while len(served) < 3:
        assert sel.wait(2000), "selector timed out"
        if sel.is_ready(lst):
            s = lst.accept()
            served.append(s)
            sel.add(s)
    for i, c in enumerate(clients):
        c.send(b"c%d" % i)
    u = UdpSocket()
    u.bind(0, LOCAL)
    sel.add(u)
    UdpSocket().send(b"dgram", LOCAL, u.local_port)
    ready = set()
    while len(ready) < 4 and elapsed(t0) < 3000:
        sel.wait(1000)
        for s in served + [u]:
            if sel.is_ready(s):
                ready.add(s)
    eq(len(ready), 4, "three TCP sockets and one UDP socket ready")
    got = sorted(s.receive(10) for s in served)
    eq(got, [b"c0", b"c1", b"c2"], "each client's data")
    eq(u.receive(10)[0], b"dgram", "UDP data")
    eq(sel.wait(0), False, "everything read")
    for s in clients + served:
        s.disconnect()
    u.unbind()
    lst.close()


def test_closed_and_reset_peers_count_as_ready():
    lst, c, s = pair()
    sel = SocketSelector()
    sel.add(s)
    c.disconnect()
    assert sel.wait(2000), "a closed peer must wake the selector"
    assert sel.is_ready(s)
    raises(SocketDisconnected, s.receive, 10)
    s.disconnect()
    # a reset peer: the scenario server answers "rst" with an RST
    s2 = TcpSocket()
    s2.connect(IpAddress.from_string(testenv.SCENARIO[0]), testenv.SCENARIO[1], 2000)
    sel.clear()
    sel.add(s2)
    s2.send(b"rst\n")
    assert sel.wait(2000), "a reset peer must wake the selector"
    e = raises(SocketDisconnected, s2.receive, 10)
    eq(e.errno, errno.ECONNRESET, "reset")
    s2.disconnect()
    lst.close()


def test_sockets_closed_elsewhere_are_tolerated():
    lst, c, s = pair()
    sel = SocketSelector()
    sel.add(s)
    sel.add(lst)
    eq(sel.wait(0), False, "idle")
    s.disconnect()  # closed behind the selector's back
    assert sel.wait(1000), "the closed socket is reported, not waited on"
    assert sel.is_ready(s)
    raises(SocketError, s.receive, 10)
    sel.remove(s)
    eq(sel.is_ready(s), False, "removed")
    lst._sock.close()  # even the underlying socket closed directly
    assert sel.wait(1000)
    raises(SocketError, lst.accept)
    sel.remove(lst)
    c.disconnect()


def test_reconnected_socket_is_followed():
    lst, c, s = pair()
    sel = SocketSelector()
    sel.add(c)
    eq(sel.wait(0), False, "idle")
    c.connect(LOCAL, lst.local_port)  # a new connection under the same TcpSocket
    s2 = lst.accept()
    s2.send(b"new")
    assert sel.wait(2000) and sel.is_ready(c)
    eq(c.receive(10), b"new", "data on the new connection")
    for t in (c, s, s2):
        t.disconnect()
    lst.close()


def test_wait_timeouts_and_bad_input():
    lst = listener()
    sel = SocketSelector()
    sel.add(lst)
    t0 = time.ticks_ms()
    eq(sel.wait(200), False, "timeout in ms")
    assert 150 <= elapsed(t0) < 200 + 500, elapsed(t0)
    t0 = time.ticks_ms()
    eq(sel.wait(milliseconds(100)), False, "timeout as Time")
    assert elapsed(t0) < 100 + 500
    raises(ValueError, sel.wait, -1)
    raises(TypeError, sel.wait, "1")
    raises(TypeError, sel.add, socket.socket())
    sel.add(lst)  # twice: no effect
    sel.clear()
    eq(sel.wait(None), False, "an empty selector returns at once")
    eq(SocketSelector().is_ready(lst), False, "unregistered socket")
    sel.remove(lst)  # not registered: no effect
    lst.close()


mptest.main(globals())
