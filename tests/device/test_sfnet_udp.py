# sfnet.UdpSocket against the CPython UDP echo peer and itself.
# mptest: timeout=60
import mptest
import array
from mptest import eq, raises
import errno
import socket
import testenv
from sfnet import IpAddress, UdpSocket, Socket, Packet, SocketNotReady, SocketError

LOCAL = IpAddress.LOCAL_HOST
ECHO = IpAddress.from_string(testenv.UDP_ECHO[0])
ECHO_PORT = testenv.UDP_ECHO[1]


def bound(blocking=True):
    u = UdpSocket()
    u.blocking = blocking
    u.bind(Socket.ANY_PORT, LOCAL)
    return u


def test_bind_any_port_and_unbind():
    u = UdpSocket()
    eq(u.local_port, 0, "fresh")
    eq(UdpSocket.MAX_DATAGRAM_SIZE, 65507, "MAX_DATAGRAM_SIZE")
    u.bind(Socket.ANY_PORT)
    p = u.local_port
    assert p > 0, p
    u.bind(Socket.ANY_PORT, "127.0.0.1")  # rebinding moves the socket
    assert u.local_port > 0
    u.unbind()
    eq(u.local_port, 0, "after unbind")
    u.unbind()  # no effect


def test_bind_errors():
    u = UdpSocket()
    raises(SocketError, u.bind, Socket.ANY_PORT, IpAddress.BROADCAST)
    eq(u.local_port, 0, "not bound after a failed bind")
    raises(OverflowError, u.bind, 65536)
    raises(TypeError, u.bind, "0")
    raises(TypeError, u.bind, 0, 5)
    a = bound()
    e = raises(SocketError, UdpSocket().bind, a.local_port, LOCAL)
    eq(e.errno, errno.EADDRINUSE, "original errno kept")
    a.unbind()


def test_echo_via_cpython_peer():
    u = bound()
    u.send(b"ping", ECHO, ECHO_PORT)
    data, ip, port = u.receive(100)
    eq((data, ip, port), (b"ping", ECHO, ECHO_PORT), "echo")
    u.send(b"pong", testenv.UDP_ECHO[0], ECHO_PORT)  # a str address works too
    data2, ip2, port2 = u.receive(100)
    eq(data2, b"pong", "second echo")
    assert ip2 is ip, "the sender's IpAddress is reused for the same sender"
    u.unbind()


def test_send_without_bind_then_receive_needs_bind():
    a = bound()
    b = UdpSocket()
    b.send(b"hi", LOCAL, a.local_port)
    data, ip, port = a.receive(10)
    eq((data, ip), (b"hi", LOCAL), "unbound sender")
    e = raises(SocketError, b.receive, 10)
    assert "bind" in str(e)
    a.unbind()
    b.unbind()


def test_largest_datagram_and_oversize_refused():
    a = bound(False)
    b = UdpSocket()
    b.send(bytes(65507), LOCAL, a.local_port)
    data, ip, port = a.receive(65507)
    eq(len(data), 65507, "MAX_DATAGRAM_SIZE goes through")
    e = raises(SocketError, b.send, bytes(65508), LOCAL, a.local_port)
    eq(e.errno, socket.EMSGSIZE, "EMSGSIZE")
    wide = memoryview(array.array("I", bytes(65508)))  # 16377 items: the limit counts bytes
    e = raises(SocketError, b.send, wide, LOCAL, a.local_port)
    assert "65508 bytes" in str(e), str(e)
    raises(SocketNotReady, a.receive, 65507)  # and nothing was sent
    a.unbind()
    b.unbind()


def test_receive_buffer_too_small_loses_the_datagram():
    a = bound(False)
    b = UdpSocket()
    b.send(b"0123456789", LOCAL, a.local_port)
    b.send(b"next", LOCAL, a.local_port)
    e = raises(SocketError, a.receive, 5)
    eq(e.errno, socket.EMSGSIZE, "errno")
    eq(a.receive(100)[0], b"next", "the following datagram is intact")
    a.unbind()
    b.unbind()


def test_non_blocking_receive_and_bad_input():
    a = bound(False)
    e = raises(SocketNotReady, a.receive, 10)
    eq(e.status, Socket.NOT_READY, "status")
    raises(TypeError, a.send, "text", LOCAL, 9)
    raises(OverflowError, a.send, b"x", LOCAL, 65536)
    raises(SocketError, a.send, b"x", IpAddress.NONE, 9)
    raises(SocketError, a.send, b"x", "1.2.3.4.5", 9)
    raises(TypeError, a.send, b"x", 1234, 9)
    raises(ValueError, a.receive, 0)
    raises(TypeError, a.receive, None)
    a.unbind()


def test_receive_into():
    a = bound()
    b = bound()
    buf = bytearray(32)
    b.send(b"into", LOCAL, a.local_port)
    n, ip, port = a.receive_into(buf)
    eq((bytes(buf[:n]), ip, port), (b"into", LOCAL, b.local_port), "receive_into")
    a.unbind()
    b.unbind()


def test_packets_one_per_datagram():
    a = bound()
    b = bound()
    p = Packet().write_uint16(12345).write_string("udp")
    b.send_packet(p, LOCAL, a.local_port)
    raw, ip, port = a.receive(100)
    eq(raw, p.data, "no length prefix over UDP")
    b.send_packet(p, LOCAL, a.local_port)
    q, ip, port = a.receive_packet()
    eq((q.read_uint16(), q.read_string(), q.end_of_packet), (12345, "udp", True), "packet")
    eq((ip, port), (LOCAL, b.local_port), "sender")
    b.send_packet(Packet(), LOCAL, a.local_port)
    q, ip, port = a.receive_packet(q)  # an existing packet is cleared and refilled
    eq(q.data_size, 0, "empty packet")
    a.max_packet_size = 10
    b.send_packet(Packet().write_string("more than ten"), LOCAL, a.local_port)
    raises(SocketError, a.receive_packet)
    raises(TypeError, b.send_packet, b"raw", LOCAL, 9)
    a.unbind()
    b.unbind()


mptest.main(globals())
