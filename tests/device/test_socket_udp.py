# UDP behaviour of the socket module against the CPython UDP echo peer.
import mptest
from mptest import eq, raises
import errno
import socket
import time
import testenv


def udp(timeout=2000):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    return s


def test_sendto_recvfrom_echo():
    s = udp()
    eq(s.sendto(b"ping", testenv.UDP_ECHO), 4, "sendto count")
    data, addr = s.recvfrom(100)
    eq(data, b"ping", "echo")
    eq(addr, testenv.UDP_ECHO, "sender address")
    s.close()


def test_sendto_accepts_every_address_form():
    s = udp()
    host, port = testenv.UDP_ECHO
    a, b, c, d = socket.ip_to_tuple(host)
    for form in ((host, port), (a, b, c, d, port), ("localhost", port)):
        s.sendto(b"f", form)
        eq(s.recvfrom(10)[0], b"f", "form %r" % (form,))
    s.sendto(b"z", 0, (host, port))  # CPython order: data, flags, address
    eq(s.recvfrom(10)[0], b"z", "flags form")
    s.sendto(b"y", (host, port), 0)  # Zerynth order: data, address, flags
    eq(s.recvfrom(10)[0], b"y", "zerynth form")
    s.close()


def test_recvfrom_into_and_address_reuse():
    s = udp()
    buf = bytearray(64)
    s.sendto(b"one", testenv.UDP_ECHO)
    n1, a1 = s.recvfrom_into(buf)
    eq((n1, bytes(buf[:n1])), (3, b"one"), "first")
    s.sendto(b"two!", testenv.UDP_ECHO)
    n2, a2 = s.recvfrom_into(buf, 10)
    eq((n2, bytes(buf[:n2])), (4, b"two!"), "second")
    assert a1 is a2, "a repeated sender reuses the address tuple"
    e = raises(ValueError, s.recvfrom_into, buf, 100)
    assert "too small" in str(e)
    s.close()


def test_oversize_datagram_is_truncated_as_bsd():
    # BSD/CPython: cut to what fits, that count returned, the rest discarded.
    s = udp()
    s.sendto(b"x" * 100, testenv.UDP_ECHO)
    eq(s.recvfrom(10)[0], b"x" * 10, "cut to bufsize")
    s.sendto(b"y" * 100, testenv.UDP_ECHO)
    buf = bytearray(50)
    eq(s.recvfrom_into(buf)[0], 50, "recvfrom_into count")
    s.sendto(b"exact", testenv.UDP_ECHO)
    eq(s.recvfrom(5)[0], b"exact", "the rest of each was discarded, the next is intact")
    # MSG_PEEK never discards: a 1-byte peek, then the whole datagram.
    s.sendto(b"peekaboo", testenv.UDP_ECHO)
    eq(s.recvfrom(1, socket.MSG_PEEK)[0], b"p", "1-byte peek")
    eq(s.recvfrom(100)[0], b"peekaboo", "still queued whole")
    s.close()


def test_datagrams_stay_separate():
    rx = udp()
    rx.bind(("127.0.0.1", 0))
    tx = udp()
    for msg in (b"a", b"bb", b"ccc"):
        tx.sendto(msg, rx.getsockname())
    time.sleep_ms(50)
    buf = bytearray(100)
    got = []
    for _ in range(3):
        n, _ = rx.recvfrom_into(buf)
        got.append(bytes(buf[:n]))
    eq(got, [b"a", b"bb", b"ccc"], "one datagram per call")
    rx.close()
    tx.close()


def test_recvfrom_timeout():
    s = udp(100)
    s.bind(("127.0.0.1", 0))
    t0 = time.ticks_ms()
    e = raises(socket.timeout, s.recvfrom, 10)
    assert time.ticks_diff(time.ticks_ms(), t0) < 600
    eq(e.errno, errno.ETIMEDOUT, "errno")
    s.close()


def test_connected_udp_send_recv():
    s = udp()
    s.connect(testenv.UDP_ECHO)
    eq(s.getpeername(), testenv.UDP_ECHO, "peer")
    s.send(b"conn")
    eq(s.recv(10), b"conn", "recv")
    s.close()


def test_unbound_sockname_after_send():
    s = udp()
    s.sendto(b"q", testenv.UDP_ECHO)
    name = s.getsockname()
    assert name[1] > 0, "the stack picked a port: %r" % (name,)
    data, addr = s.recvfrom(10)
    s.close()


mptest.main(globals())
