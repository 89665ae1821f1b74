# MicroPython side of the C++ SFML Packet interop tests (tests/host/test_sfnet_sfml_cpp.py).
# argv: tcp_port udp_port of tests/peers/sfml_peer.cpp
import sys
import time
import mptest
from mptest import eq
from sfnet import IpAddress, TcpSocket, UdpSocket, Packet, SocketSelector, SocketNotReady

TCP_PORT, UDP_PORT = int(sys.argv[1]), int(sys.argv[2])
LOCAL = IpAddress.LOCAL_HOST
UTF8 = "h\u00e9llo w\u00f6rld"
WIDE = "wide \u2713 \U0001F600"


def write_types(p):
    return (p.write_bool(True).write_bool(False).write_int8(-128).write_uint8(255)
            .write_int16(-12345).write_uint16(54321).write_int32(-2000000000)
            .write_uint32(4000000000).write_int64(-9000000000000000000)
            .write_uint64(18000000000000000000).write_float(123.456).write_double(789.123)
            .write_string(UTF8).write_string("").write_wstring(WIDE))


def check_types(p):
    eq(p.read_bool(), True, "bool true")
    eq(p.read_bool(), False, "bool false")
    eq(p.read_int8(), -128, "int8")
    eq(p.read_uint8(), 255, "uint8")
    eq(p.read_int16(), -12345, "int16")
    eq(p.read_uint16(), 54321, "uint16")
    eq(p.read_int32(), -2000000000, "int32")
    eq(p.read_uint32(), 4000000000, "uint32")
    eq(p.read_int64(), -9000000000000000000, "int64")
    eq(p.read_uint64(), 18000000000000000000, "uint64")
    f = p.read_float()
    assert abs(f - 123.456) < 1e-4, "float %r" % f
    eq(p.read_double(), 789.123, "double")
    eq(p.read_string(), UTF8, "string")
    eq(p.read_string(), "", "empty string")
    eq(p.read_wstring(), WIDE, "wide string")
    assert p.end_of_packet and p, "packet fully and validly read"


def types_roundtrip(send, receive):
    mine = write_types(Packet().write_string("types"))
    send(mine)
    reply = receive()
    eq(reply.read_string(), "ok", "SFML's verdict on sfnet's encoding")
    at = reply.read_position
    check_types(reply)
    # Same values, same bytes: SFML's encoding of every field equals sfnet's.
    eq(reply.data[at:], mine.data[4 + len("types"):], "SFML's bytes vs sfnet's")


def connect():
    s = TcpSocket()
    s.connect(LOCAL, TCP_PORT, 5000)
    return s


def test_types_over_tcp():
    s = connect()
    types_roundtrip(s.send_packet, s.receive_packet)
    s.disconnect()


def test_types_over_udp():
    u = UdpSocket()
    u.bind(UdpSocket.ANY_PORT, LOCAL)

    def receive():
        p, ip, port = u.receive_packet()
        eq((ip, port), (LOCAL, UDP_PORT), "sender")
        return p

    types_roundtrip(lambda p: u.send_packet(p, LOCAL, UDP_PORT), receive)
    u.unbind()


def test_many_values():
    s = connect()
    p = Packet().write_string("sum").write_uint32(5000)
    total = 0
    for i in range(5000):
        v = (i * 7919) % 2000001 - 1000000
        p.write_int32(v)
        total += v
    s.send_packet(p)
    r = s.receive_packet()
    eq(r.read_string(), "sum", "reply kind")
    eq(r.read_int64(), total, "SFML's sum")
    s.disconnect()


def test_big_packet_nonblocking_resume():
    # 300 KB each way in non-blocking mode: whenever the stack is full or empty the
    # call raises SocketNotReady and the next call resumes where it stopped.
    s = connect()
    s.max_packet_size = 400000  # the default (64 KiB) would refuse the echo
    s.blocking = False
    text = "0123456789abcdef" * 19200
    p = Packet().write_string("echo").write_string(text).write_uint32(0xDEADBEEF)
    not_ready = 0
    deadline = time.ticks_add(time.ticks_ms(), 20000)
    while True:
        try:
            s.send_packet(p)
            break
        except SocketNotReady as e:
            not_ready += 1
            assert time.ticks_diff(deadline, time.ticks_ms()) > 0, "send_packet never finished"
            time.sleep_ms(1)
    sel = SocketSelector()
    sel.add(s)
    while True:
        try:
            r = s.receive_packet()
            break
        except SocketNotReady:
            not_ready += 1
            assert sel.wait(5000), "no data from the SFML peer"
    eq(r.data_size, p.data_size, "echo size")
    eq(r.read_string(), "echo", "command")
    eq(r.read_string(), text, "300 KB string")
    eq(r.read_uint32(), 0xDEADBEEF, "trailer")
    s.disconnect()


mptest.main(globals())
