# Conformance fixes found by MicroPython's own network tests, a CPython differential
# and the Zerynth spec (issue 12), each against real CPython peers on loopback.
# mptest: timeout=120
import mptest
from mptest import eq, raises
import errno
import select
import socket
import time
import testenv
from netutil import pattern, scenario


def elapsed_since(t0):
    return time.ticks_diff(time.ticks_ms(), t0)


def listening():
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(2)
    return srv


def udp_pair():
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    a.bind(("127.0.0.1", 0))
    b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    b.settimeout(2000)
    return a, b


def test_msg_dontwait_never_blocks_a_blocking_socket():
    s = scenario("hold 2000", timeout=None)  # blocking, and the peer sends nothing
    t0 = time.ticks_ms()
    eq(raises(OSError, s.recv, 8, socket.MSG_DONTWAIT).errno, errno.EAGAIN, "TCP recv")
    eq(raises(OSError, s.recv_into, bytearray(8), 8, socket.MSG_DONTWAIT).errno, errno.EAGAIN,
       "TCP recv_into")
    s.close()
    a, b = udp_pair()
    a.settimeout(None)
    eq(raises(OSError, a.recv, 8, socket.MSG_DONTWAIT).errno, errno.EAGAIN, "UDP recv")
    eq(raises(OSError, a.recvfrom, 8, socket.MSG_DONTWAIT).errno, errno.EAGAIN, "UDP recvfrom")
    assert elapsed_since(t0) < 1000, "no wait: %d ms" % elapsed_since(t0)
    b.sendto(b"now", a.getsockname())
    for _ in range(100):
        try:
            eq(a.recv(8, socket.MSG_DONTWAIT), b"now", "then the datagram")
            break
        except OSError as e:
            eq(e.errno, errno.EAGAIN, "only EAGAIN while it is on its way")
            time.sleep_ms(10)
    else:
        raise AssertionError("the datagram never arrived")
    a.close()
    b.close()


def test_recv_on_a_listening_socket_raises_enotconn():
    for blocking in (True, False):
        srv = listening()
        srv.setblocking(blocking)
        for call in (lambda: srv.recv(10), lambda: srv.recv_into(bytearray(4)),
                     lambda: srv.readinto(bytearray(4)), lambda: srv.recvfrom(10)):
            eq(raises(OSError, call).errno, errno.ENOTCONN, "blocking=%r" % blocking)
        srv.close()


def test_listen_takes_zerynths_maxlog_keyword():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(maxlog=2)
    c = socket.create_connection(srv.getsockname(), 2000)
    srv.settimeout(2000)
    conn, _ = srv.accept()
    conn.close()
    c.close()
    srv.close()


def test_constructor_type_errors_and_af_can():
    raises(TypeError, socket.socket, None)
    raises(TypeError, socket.socket, socket.AF_INET, None)
    raises(TypeError, socket.socket, socket.AF_INET, socket.SOCK_STREAM, None)
    e = raises(OSError, socket.socket, socket.AF_CAN)
    assert "CAN" in str(e), str(e)


def test_builtin_names_are_forwarded():
    native = socket._n
    for name in dir(native):
        if name[0] != "_":
            assert hasattr(socket, name), "socket.%s is missing" % name
    if hasattr(native, "SO_LINGER"):
        eq(socket.SO_LINGER, native.SO_LINGER, "SO_LINGER")
    assert socket.SO_RCVTIMEO, "SO_RCVTIMEO"
    assert socket.IOError is OSError, "IOError"


def test_recvfrom_on_connected_tcp_returns_data_and_none():
    s = scenario("send 600")
    got = b""
    while len(got) < 500:
        data, addr = s.recvfrom(500 - len(got))
        eq(addr, None, "address")
        got += data
    buf = bytearray(200)
    n, addr = s.recvfrom_into(buf)
    eq(addr, None, "recvfrom_into address")
    got += buf[:n]
    while len(got) < 600:
        got += s.recv(600)
    eq(got, pattern(600), "nothing lost")
    s.close()


def test_msg_waitall_is_one_deadline_for_the_call():
    s = scenario("trickle 100 30", timeout=300)  # 1 byte / 100 ms: 3 s for all of it
    t0 = time.ticks_ms()
    data = s.recv(30, socket.MSG_WAITALL)
    took = elapsed_since(t0)
    assert took < 2000, "a per-chunk deadline would run ~3 s, took %d ms" % took
    assert 0 < len(data) < 30, "what arrived is returned first: %r" % (data,)
    eq(data, pattern(len(data)), "bytes")
    raises(socket.timeout, s.recv, 30)  # the timeout comes from the next call
    s.close()


def test_recv_into_bufsize_keywords():
    s = scenario("echo")
    s.sendall(b"abcdef")
    buf = bytearray(4)
    eq(s.recv_into(buf, bufsize=-1), 4, "bufsize < 0 is len(buffer)")
    eq(bytes(buf), b"abcd", "data")
    eq(s.recv_into(buf, nbytes=1), 1, "CPython's nbytes")
    eq(s.recv_into(buf, bufsize=-7), 1, "any negative bufsize")
    eq(bytes(buf[:1]), b"f", "rest")
    s.close()
    a, b = udp_pair()
    b.sendto(b"12345", a.getsockname())
    a.settimeout(2000)
    n, addr = a.recvfrom_into(buf, bufsize=-1)
    eq((n, bytes(buf)), (4, b"1234"), "recvfrom_into bufsize, cut as BSD")
    a.close()
    b.close()


def test_datagram_stream_read_returns_one_datagram():
    a, b = udp_pair()
    a.settimeout(2000)
    dest = a.getsockname()
    b.sendto(b"first", dest)
    b.sendto(b"second", dest)
    time.sleep_ms(50)  # both queued
    buf = bytearray(100)
    eq(a.readinto(buf), 5, "readinto: one datagram")
    eq(a.read(100), b"second", "read: the next one")
    a.setblocking(False)
    eq(a.readinto(buf), None, "non-blocking, nothing queued")
    a.close()
    b.close()


def test_inet_ntop_v6_checks_the_length():
    raises(ValueError, socket.inet_ntop, socket.AF_INET6, b"1234")
    raises(ValueError, socket.inet_ntop, socket.AF_INET6, bytes(17))
    eq(socket.inet_ntop(socket.AF_INET6, bytes(15) + b"\x01"), "::1", "16 bytes")


def test_nul_in_host_name_is_refused():
    raises(ValueError, socket.getaddrinfo, "localhost\x00.evil", 80)
    raises(ValueError, socket.gethostbyname, "localhost\x00")
    s = socket.socket()
    raises(ValueError, s.connect, ("localhost\x00.evil", 80))
    s.close()


def test_so_error_reports_a_refused_nonblocking_connect():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    dead = probe.getsockname()  # bound, never listening: a connect is refused
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect(dead)
        err = None
    except OSError as e:
        err = e.errno
    if err == errno.EINPROGRESS:
        p = select.poll()
        p.register(s, select.POLLOUT)
        assert p.poll(2000), "the connect never finished"
        err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    eq(err, errno.ECONNREFUSED, "SO_ERROR")
    eq(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0, "read once, then cleared")
    s.close()
    probe.close()
    # and a successful one reads 0
    srv = listening()
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect(srv.getsockname())
    except OSError as e:
        eq(e.errno, errno.EINPROGRESS, "in progress")
    p = select.poll()
    p.register(s, select.POLLOUT)
    assert p.poll(2000), "connected"
    eq(s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), 0, "success")
    s.close()
    srv.close()


def test_every_call_on_a_closed_socket_raises_ebadf():
    s = socket.socket()
    s.close()
    for call in (lambda: s.settimeout(5), lambda: s.setblocking(True), lambda: s.recv(1),
                 lambda: s.send(b"x"), lambda: s.listen(1)):
        eq(raises(OSError, call).errno, errno.EBADF, "EBADF")


def test_so_rcvtimeo_sets_the_timeout_in_ms():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, 1500)
    eq(s.gettimeout(), 1500, "Zerynth's SO_RCVTIMEO")
    s.close()


def test_shutdown_peer_sees_eof_only_at_close():
    # The echo peer closes when it reads EOF; our recv then returns b"".
    s = scenario("echo", timeout=300)
    s.sendall(b"request")
    got = b""
    while len(got) < 7:
        got += s.recv(7 - len(got))
    eq(got, b"request", "echo")
    s.shutdown(socket.SHUT_WR)
    eq(raises(OSError, s.send, b"x").errno, socket.EPIPE, "our side obeys SHUT_WR")
    if hasattr(socket._n.socket, "shutdown"):
        eq(s.recv(10), b"", "a built-in with shutdown: the peer saw the FIN")
    else:
        # No FIN without close() on this port: the peer is still waiting for our EOF.
        raises(socket.timeout, s.recv, 10)
    s.close()


mptest.main(globals())
