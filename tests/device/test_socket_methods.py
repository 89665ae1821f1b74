# The hot methods socket.sendall, recv and recv_into, and sfnet's TcpSocket.send and
# receive_into: on
# our firmware they are C functions of _netfast stored in the classes (netfast.c),
# bound as Python methods are; on the stock binary they are the Python methods. Both
# must behave alike however they are called: positionally, with keywords (handed to
# the Python twin, _py_<name>), from the class, through super(), or wrongly.
# mptest: timeout=60 heapsize=24M
# mptest: not-on-board test_sendall_waits_for_room_and_sends_everything: a 2 MB payload, more than a board's heap
# mptest: not-on-board test_sendall_nonblocking_gives_eagain_with_the_count: an 8 MB payload, more than a board's heap
# mptest: not-on-board test_sendall_deadline_counts_the_first_write: an 8 MB payload, more than a board's heap
# mptest: not-on-board test_sendall_nonblocking_of_an_array_reports_bytes: an 8 MB array, more than a board's heap
import mptest
from mptest import eq, raises
import array
import socket
import time
import netutil
from netutil import pattern, scenario
import testenv
import sfnet
from sfnet import TcpSocket, SocketError, SocketDisconnected

try:
    import _netfast
except ImportError:
    _netfast = None

METHODS = ("sendall", "recv", "recv_into")


def echo(s, data):
    s.sendall(data)
    got = b""
    while len(got) < len(data):
        got += s.recv(len(data) - len(got))
    return got


def test_our_firmware_uses_the_c_methods():
    if _netfast is None:
        mptest.skip("no _netfast in this firmware (the stock binary): the Python methods are the socket's")
    for name in METHODS:
        assert getattr(socket.socket, name) is getattr(_netfast, name), name
        assert getattr(socket.socket, "_py_" + name) is not getattr(_netfast, name), name
    assert TcpSocket.send is _netfast.tcp_send
    assert TcpSocket.receive_into is _netfast.tcp_receive_into


def test_positional_and_keyword_calls_agree():
    s = scenario("echo")
    s.sendall(b"ab")
    s.sendall(b"cd", 0)
    s.sendall(b"ef", flags=0)  # keywords: the Python method
    s.sendall(data=b"gh")
    got = bytearray()
    while len(got) < 8:
        got += s.recv(8 - len(got))
    eq(bytes(got), b"abcdefgh", "four sendall forms")
    s.sendall(b"0123456789")
    eq(len(s.recv(bufsize=3)), 3, "recv(bufsize=)")  # may come short only if split: 3 are there
    eq(len(s.recv(2, flags=0)), 2, "recv(n, flags=0)")
    buf = bytearray(8)
    eq(s.recv_into(buf, nbytes=2), 2, "recv_into(nbytes=)")
    eq(s.recv_into(buf, bufsize=1), 1, "recv_into(bufsize=): Zerynth's name")
    eq(s.recv_into(buf, 1, 0, None), 1, "recv_into with four positional arguments")
    n = s.recv_into(memoryview(buf)[1:], flags=0)
    eq(bytes(buf[1:1 + n]), b"9", "recv_into(flags=) into a view")
    s.close()


def test_class_level_and_bound_calls():
    s = scenario("echo")
    socket.socket.sendall(s, b"xyz")
    eq(socket.socket.recv(s, 3), b"xyz", "called from the class")
    send, recv = s.sendall, s.recv
    send(b"12")
    eq(recv(2), b"12", "bound methods kept in variables")
    buf = bytearray(4)
    s.sendall(b"AB")
    eq(socket.socket.recv_into(s, buf, 2), 2, "recv_into from the class")
    eq(bytes(buf[:2]), b"AB", "data")
    s.close()


def test_a_subclass_overrides_and_calls_up():
    calls = []

    class Counting(socket.socket):
        def sendall(self, data, flags=0):
            calls.append(len(data))
            return super().sendall(data, flags)

        def recv(self, n, flags=0):
            return super().recv(n, flags)

    s = Counting()
    s.settimeout(5000)
    s.connect(testenv.SCENARIO)
    s.sendall(b"echo\n")
    eq(echo(s, b"through super"), b"through super", "echo")
    eq(calls, [5, 13], "the override ran")
    s.close()


def test_wrong_calls_raise_typeerror():
    s = scenario("echo")
    raises(TypeError, s.sendall)
    raises(TypeError, s.sendall, b"x", 0, 1)
    raises(TypeError, s.recv)
    raises(TypeError, s.recv, 1, 0, 2)
    raises(TypeError, s.recv_into)
    raises(TypeError, s.recv, 1, nosuch=1)
    raises(TypeError, socket.socket.recv)
    raises(TypeError, s.sendall, 5)  # not a buffer
    raises(TypeError, s.recv_into, b"read-only", 1)
    raises(ValueError, s.recv_into, bytearray(2), 3)  # more than the buffer holds
    eq(echo(s, b"still fine"), b"still fine", "the socket is unharmed")
    s.close()


def test_sendall_counts_bytes_of_any_buffer():
    # an array's length is its items; sendall sends all of its bytes
    payload = array.array("H", range(40000))
    s = scenario("count %d" % (2 * len(payload)))
    s.sendall(payload)
    line = s.recv(100)
    eq(int(line.split()[0]), 2 * len(payload), "bytes the peer counted")
    s.close()


def test_sendall_nonblocking_of_an_array_reports_bytes():
    # a first write that takes part of an array: the rest, and the error, count bytes,
    # not items (non-blocking: the Python rest of a sendall on every firmware)
    payload = array.array("I", bytes(8 << 20))  # 2 M items, 8 MB
    for data in (payload, memoryview(payload)):
        s = scenario("sink 4000")
        s.setblocking(False)
        e = raises(OSError, s.sendall, data)
        assert e.errno in (11, 35), e.errno
        assert 0 < e.sent < 8 << 20, e.sent
        assert ("of %d bytes" % (8 << 20)) in str(e), str(e)
        s.close()


def wide(items):
    return array.array("I", bytes(4 * items))  # 4-byte items


def test_recv_into_a_buffer_of_wider_items_counts_bytes():
    # CPython's rule: recv_into's nbytes and count are bytes, whatever the buffer's
    # items; every path (ready, waited, nbytes, MSG_WAITALL, readinto) reads bytes
    views = [lambda a: a]
    if hasattr(memoryview(b""), "itemsize"):  # (without it a view is taken as bytes)
        views.append(lambda a: memoryview(a))
    for view in views:
        s = scenario("send 64")
        buf = wide(4)
        while 0 < len(s.recv(64, socket.MSG_PEEK)) < 64:  # all 64 there: the ready read
            time.sleep_ms(5)
        eq(s.recv_into(view(buf)), 16, "the whole buffer, in bytes")
        eq(bytes(buf), pattern(16), "the bytes")
        eq(s.recv_into(view(buf), 8), 8, "nbytes in bytes")
        eq(bytes(buf)[:8], pattern(8, 16), "the next 8")
        raises(ValueError, s.recv_into, view(buf), 17)  # more than its 16 bytes
        eq(s.recv_into(view(buf), nbytes=12), 12, "a keyword: the Python method")
        eq(bytes(buf)[:12], pattern(12, 24), "the next 12")
        eq(s.recv_into(view(buf), 16, socket.MSG_WAITALL), 16, "MSG_WAITALL gathers bytes")
        eq(bytes(buf), pattern(16, 36), "the next 16")
        eq(s.readinto(view(buf)), 12, "the stream readinto: the 12 left, then the end")
        eq(bytes(buf)[:12], pattern(12, 52), "the last 12")
        eq(s.recv_into(view(buf)), 0, "the end of the stream")
        s.close()
        s = scenario("delay 100 16")  # nothing there yet: the waited read
        buf = wide(4)
        eq(s.recv_into(view(buf)), 16, "after a wait, in bytes")
        eq(bytes(buf), pattern(16), "the waited bytes")
        s.close()


def test_recvfrom_into_a_buffer_of_wider_items_counts_bytes():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2000)
    buf = wide(4)
    for nbytes, sent in ((-1, b"0123456789abcdef"), (8, b"ABCDEFGH"), (-1, b"xyz")):
        s.sendto(sent, testenv.UDP_ECHO)
        if nbytes == -1:
            n, addr = s.recvfrom_into(buf)
        else:
            n, addr = s.recvfrom_into(buf, nbytes)
        eq(n, len(sent), "count in bytes, nbytes %d" % nbytes)
        eq(bytes(buf)[:n], sent, "the datagram")
        eq(addr, testenv.UDP_ECHO, "sender")
    s.setblocking(False)
    raises(OSError, s.recvfrom_into, buf)  # nothing there: the non-blocking path
    s.sendto(b"late", testenv.UDP_ECHO)
    s.settimeout(2000)
    eq(s.recvfrom_into(buf)[0], 4, "the waited read")
    eq(bytes(buf)[:4], b"late", "its bytes")
    s.close()


def test_sendall_waits_for_room_and_sends_everything():
    # a big sendall meets a full send buffer many times (the C loop's wait), blocking
    # and with a timeout, and still every byte arrives in order
    payload = pattern(2 << 20)
    for timeout in (None, 5000):
        s = scenario("count %d" % len(payload))
        s.settimeout(timeout)
        s.sendall(memoryview(payload))
        eq(s.recv(100), b"%d %d\n" % (len(payload), sum(payload) & 0xFFFFFFFF), "peer count, timeout %r" % timeout)
        s.close()


def test_sendall_nonblocking_gives_eagain_with_the_count():
    s = scenario("sink 4000")
    s.setblocking(False)
    e = raises(OSError, s.sendall, bytes(8 << 20))
    assert e.errno in (11, 35), e.errno  # EAGAIN (EWOULDBLOCK)
    assert 0 < e.sent < 8 << 20, e.sent
    eq(type(e).__name__, "OSError", "named as the built-in's error in a traceback")
    assert ("after sending %d of %d bytes" % (e.sent, 8 << 20)) in str(e), str(e)
    s.close()


def test_sendall_deadline_counts_the_first_write():
    s = scenario("sink 4000")
    s.settimeout(200)
    t0 = time.ticks_ms()
    e = raises(socket.timeout, s.sendall, bytes(8 << 20))
    dt = time.ticks_diff(time.ticks_ms(), t0)
    assert 150 <= dt < 1500, dt
    assert 0 < e.sent < 8 << 20 and ("%d of" % e.sent) in str(e), str(e)
    s.close()


def test_recv_after_shutdown_and_close():
    s = scenario("send 5")
    eq(netutil.recv_all(s), pattern(5), "all")
    eq(s.recv(10), b"", "end of stream, again")
    eq(s.recv_into(bytearray(4)), 0, "recv_into at the end")
    s.shutdown(socket.SHUT_WR)
    raises(OSError, s.sendall, b"x")  # EPIPE: _check_send, before any write
    s.close()
    for call in (lambda: s.sendall(b"x"), lambda: s.recv(1), lambda: s.recv_into(bytearray(1))):
        eq(raises(OSError, call).errno, 9, "EBADF after close")


# -- sfnet's TcpSocket.send and receive_into


def tcp(command):
    t = TcpSocket()
    t.connect(testenv.SCENARIO[0], testenv.SCENARIO[1], sfnet.seconds(5))
    t.send(command.encode() + b"\n")
    return t


def test_tcp_send_forms_and_errors():
    t = tcp("echo")
    eq(t.send(b"ab"), 2, "bytes")
    eq(t.send(bytearray(b"cd")), 2, "bytearray")
    eq(t.send(memoryview(b"xefx")[1:3]), 2, "memoryview")
    eq(t.send(data=b"gh"), 2, "a keyword: the Python method")
    eq(TcpSocket.send(t, b"ij"), 2, "from the class")
    got = b""
    while len(got) < 10:
        got += t.receive(10)
    eq(got, b"abcdefghij", "all five")
    wide = memoryview(array.array("I", [0x64636261, 0x68676665]))  # 2 items, 8 bytes
    eq(t.send(wide), 8, "a view of wider items: its bytes")
    eq(t.send(data=wide), 8, "the same through the Python method")
    got = b""
    while len(got) < 16:
        got += t.receive(16)
    eq(got, bytes(wide) * 2, "every byte of both")
    raises(TypeError, t.send, "text")
    raises(TypeError, t.send, array.array("b", [1]))  # not bytes-like for sfnet
    raises(TypeError, t.send)
    raises(TypeError, t.send, b"a", b"b")
    e = raises(SocketError, t.send, b"")
    assert "no data" in str(e), str(e)
    t.disconnect()
    e = raises(SocketError, t.send, b"x")
    assert "not connected" in str(e), str(e)


def test_tcp_receive_into_forms_and_errors():
    t = tcp("echo")
    t.send(b"0123456789")
    buf = bytearray(8)
    got = bytearray()
    n = t.receive_into(buf, 2)
    got += buf[:n]
    n = t.receive_into(buffer=buf, nbytes=1)  # keywords: the Python method
    got += buf[:n]
    n = TcpSocket.receive_into(t, memoryview(buf)[:3])
    got += buf[:n]
    while len(got) < 10:
        n = t.receive_into(buf)
        got += buf[:n]
    eq(bytes(got), b"0123456789", "in order, through every form")
    eq(t.receive_into(buf, 0), 0, "nothing asked for: 0, not disconnected")
    eq(t.receive_into(bytearray(0)), 0, "an empty buffer: 0")
    raises(TypeError, t.receive_into)
    raises(TypeError, t.receive_into, buf, 1, 2)
    raises(TypeError, t.receive_into, b"read-only")
    raises(ValueError, t.receive_into, buf, 9)
    t.disconnect()
    e = raises(SocketError, t.receive_into, buf)
    assert "not connected" in str(e), str(e)


def test_tcp_receive_into_at_the_end_and_after_a_reset():
    t = tcp("send 5")
    buf = bytearray(16)
    got = bytearray()
    e = None
    while e is None:
        try:
            n = t.receive_into(buf)
            got += buf[:n]
        except SocketDisconnected as err:
            e = err
    eq(bytes(got), pattern(5), "the data, then disconnected")
    assert "receive_into" in str(e) and "closed" in str(e), str(e)
    t.disconnect()
    t = tcp("rst")
    e = raises(SocketDisconnected, t.receive_into, buf)
    assert "receive_into" in str(e), str(e)
    t.disconnect()


mptest.main(globals())
