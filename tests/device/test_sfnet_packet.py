# sfnet.Packet: SFML's encodings (vectors from SFML's own Packet tests), validity,
# hooks, and the TCP framing with resumable non-blocking transfers.
# mptest: timeout=60 heapsize=16M
# mptest: not-on-board test_send_resumes_after_partial_send: builds a 4 MB packet, more than a board's heap
import mptest
from mptest import eq, raises
import errno
import socket
import time
from sfnet import (IpAddress, Packet, TcpListener, TcpSocket, Socket, SocketNotReady,
                   SocketDisconnected, SocketError)

LOCAL = IpAddress.LOCAL_HOST


def hexs(b):
    return " ".join("%02x" % x for x in b)


def test_fresh_append_clear():
    p = Packet()
    eq((p.read_position, p.data_size, p.end_of_packet, bool(p), p.data), (0, 0, True, True, b""), "fresh")
    p.append(b"\x01\x02\x03\x04\x05\x06")
    eq((p.data_size, p.end_of_packet, bool(p)), (6, False, True), "appended")
    p.clear()
    eq((p.read_position, p.data_size, p.end_of_packet, bool(p)), (0, 0, True, True), "cleared")
    raises(TypeError, p.append, "text")


def test_sfml_byte_order_vectors():
    eq(hexs(Packet().write_uint16(12345).data), "30 39", "uint16")
    eq(hexs(Packet().write_uint32(1234567890).data), "49 96 02 d2", "uint32")
    eq(hexs(Packet().write_float(123.456).data), "79 e9 f6 42", "float little-endian")
    eq(hexs(Packet().write_double(789.123).data), "44 8b 6c e7 fb a8 88 40", "double little-endian")
    eq(hexs(Packet().write_int64(-2).data), "ff ff ff ff ff ff ff fe", "int64 big-endian")
    eq(hexs(Packet().write_bool(True).write_bool(False).data), "01 00", "bools")


def test_integer_round_trips_at_limits():
    kinds = (("int8", -128, 127), ("uint8", 0, 255), ("int16", -32768, 32767), ("uint16", 0, 65535),
             ("int32", -2147483648, 2147483647), ("uint32", 0, 4294967295),
             ("int64", -(1 << 63), (1 << 63) - 1), ("uint64", 0, (1 << 64) - 1))
    width = {"8": 1, "16": 2, "32": 4, "64": 8}
    for name, lo, hi in kinds:
        w = width[name.lstrip("uint")]
        for v in (lo, 0, 1, hi):
            p = getattr(Packet(), "write_" + name)(v)
            eq(p.data_size, w, name + " size")
            eq(getattr(p, "read_" + name)(), v, "%s %d" % (name, v))
            assert p.end_of_packet and p
        raises(OverflowError, getattr(Packet(), "write_" + name), hi + 1)
        raises(OverflowError, getattr(Packet(), "write_" + name), lo - 1)
        raises(TypeError, getattr(Packet(), "write_" + name), 1.0)
        raises(TypeError, getattr(Packet(), "write_" + name), "1")


def test_floats_and_bools():
    p = Packet().write_float(1.0).write_double(-2.5e300).write_bool(7).write_bool(0)
    eq((p.read_float(), p.read_double(), p.read_bool(), p.read_bool()), (1.0, -2.5e300, True, False), "values")
    raises(TypeError, Packet().write_float, "1")
    raises(TypeError, Packet().write_double, None)


def test_strings():
    p = Packet().write_string("testing")
    eq(p.data_size, 11, "4-byte length + 7 bytes")
    eq(p.data[:4], b"\x00\x00\x00\x07", "big-endian byte length")
    p = Packet().write_wstring("testing")
    eq(p.data_size, 32, "4-byte count + 7 x 4 bytes")
    p = Packet().write_string("h\u00e9 \U0001F600").write_wstring("h\u00e9 \U0001F600").write_string("")
    eq(p.data[:4], b"\x00\x00\x00\x08", "UTF-8 byte length, not characters")
    eq(p.read_string(), "h\u00e9 \U0001F600", "string")
    eq(p.read_wstring(), "h\u00e9 \U0001F600", "wstring")
    eq(p.read_string(), "", "empty string")
    assert p.end_of_packet and p
    raises(TypeError, Packet().write_string, 5)
    raises(TypeError, Packet().write_wstring, b"bytes")


def test_reading_past_the_end_invalidates_until_clear():
    p = Packet().write_uint16(7)
    eq(p.read_uint32(), None, "short read")
    eq(bool(p), False, "invalid")
    eq(p.read_uint16(), None, "later reads are no-ops")
    eq(p.read_position, 0, "position unchanged")
    p.clear()
    assert p
    p.write_uint8(1)
    eq(p.read_uint8(), 1, "valid again")


def test_corrupt_string_lengths():
    p = Packet().write_uint32(0xFFFFFFFF).append(b"SFML")
    eq(p.read_string(), None, "huge length: no allocation, no crash")
    eq(bool(p), False, "invalid")
    p = Packet().write_uint32(0xFFFFFFFF).append(b"SFML")
    eq(p.read_wstring(), None, "huge wide length")
    p = Packet().write_uint32(2).append(b"\xff\xfe")
    eq(p.read_string(), None, "not UTF-8")
    eq(bool(p), False, "invalid")
    # well-formed in shape, invalid in RFC 3629: overlong forms, surrogates, past U+10FFFF
    for bad in (b"\xc0\x80", b"\xc1\xbf", b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\xed\xbf\xbf",
                b"\xf0\x80\x80\x80", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"ok\xe0\x9f\xbf"):
        p = Packet().write_uint32(len(bad)).append(bad).write_uint8(7)
        eq((p.read_string(), bool(p), p.read_uint8()), (None, False, None), "invalid UTF-8 %r" % bad)
        eq(p.read_position, 0, "position kept at the string")
    for good, text in ((b"\xc2\x80", "\x80"), (b"\xed\x9f\xbf", "\ud7ff"), (b"\xee\x80\x80", "\ue000"),
                       (b"\xf4\x8f\xbf\xbf", "\U0010ffff"), (b"\xe0\xa0\x80", "\u0800"), (b"\x00", "\x00")):
        p = Packet().write_uint32(len(good)).append(good)
        eq(p.read_string(), text, "valid UTF-8 %r" % good)
    p = Packet().write_uint32(1).write_uint32(0x110000)
    eq(p.read_wstring(), None, "not a code point")
    eq(bool(p), False, "invalid")


def test_chaining_returns_the_packet():
    p = Packet()
    assert p.write_int8(1).write_string("a").write_double(1.0) is p
    assert p.append(b"x") is p
    assert "Packet" in repr(p)


def tcp_pair():
    lst = TcpListener()
    lst.listen(0, LOCAL)
    c = TcpSocket()
    c.connect(LOCAL, lst.local_port, 2000)
    s = lst.accept()
    lst.close()
    return c, s


def raw_pair():
    """(sfnet TcpSocket, the project's raw socket at the other end)."""
    lst = TcpListener()
    lst.listen(0, LOCAL)
    raw = socket.socket()
    raw.connect(("127.0.0.1", lst.local_port))
    s = lst.accept()
    lst.close()
    return s, raw


def test_tcp_framing_on_the_wire():
    s, raw = raw_pair()
    s.send_packet(Packet().write_uint16(0x4142))
    eq(raw.recv(100), b"\x00\x00\x00\x02AB", "4-byte BE length + payload")
    s.send_packet(Packet())
    eq(raw.recv(100), b"\x00\x00\x00\x00", "an empty packet is a bare prefix")
    raw.sendall(b"\x00\x00\x00\x00\x00\x00\x00\x01Z")
    eq(s.receive_packet().data_size, 0, "empty packet")
    eq(s.receive_packet().data, b"Z", "one-byte packet")
    raises(TypeError, s.send_packet, b"raw")
    raises(TypeError, s.receive_packet, "packet")
    s.disconnect()
    raw.close()


def test_receive_resumes_across_partial_arrivals():
    s, raw = raw_pair()
    s.blocking = False
    payload = Packet().write_string("resumed").write_uint32(99).data
    frame = bytes((0, 0, 0, len(payload))) + payload
    for cut in (1, 3, 4, 6, len(frame) - 1):
        raises(SocketNotReady, s.receive_packet)
        raw.sendall(frame[:cut])
        time.sleep_ms(20)
        raises(SocketNotReady, s.receive_packet)  # part of it is kept
        raw.sendall(frame[cut:])
        time.sleep_ms(20)
        p = s.receive_packet()
        eq((p.read_string(), p.read_uint32()), ("resumed", 99), "split at %d" % cut)
    s.disconnect()
    raw.close()


def test_send_resumes_after_partial_send():
    c, s = tcp_pair()
    c.blocking = False
    s.max_packet_size = 8 * 1024 * 1024
    big = Packet().write_string("x" * (4 * 1024 * 1024)).write_uint8(7)
    e = raises(SocketNotReady, c.send_packet, big)  # the peer is not reading yet
    eq(e.status, Socket.PARTIAL, "some of the frame went out")
    assert 0 < e.sent < big.data_size + 4, e.sent
    s.blocking = False
    got = None
    sent_all = False
    t0 = time.ticks_ms()
    while got is None:
        assert time.ticks_diff(time.ticks_ms(), t0) < 10000, "transfer never finished"
        if not sent_all:
            try:
                c.send_packet(big)  # the same packet again: resumes where it stopped
                sent_all = True
            except SocketNotReady as exc:
                assert exc.sent >= e.sent, "progress is cumulative"
        try:
            got = s.receive_packet()
        except SocketNotReady:
            pass
    eq(got.data_size, big.data_size, "whole packet")
    eq((len(got.read_string()), got.read_uint8()), (4 * 1024 * 1024, 7), "content")
    c.disconnect()
    s.disconnect()


def test_oversized_length_is_refused_and_closes():
    s, raw = raw_pair()
    eq(s.max_packet_size, 65536, "default limit")
    raw.sendall(b"\xff\xff\xff\xffSFML")
    e = raises(SocketError, s.receive_packet)
    eq(e.errno, socket.EMSGSIZE, "errno")
    eq(s.remote_address, IpAddress.NONE, "connection closed: the stream cannot be resynchronised")
    raw.close()
    s, raw = raw_pair()
    s.max_packet_size = 3
    raw.sendall(b"\x00\x00\x00\x04abcd")
    raises(SocketError, s.receive_packet)
    raw.close()


def test_peer_closing_mid_packet_is_disconnected():
    s, raw = raw_pair()
    raw.sendall(b"\x00\x00\x00\x10only-part")
    raw.close()
    raises(SocketDisconnected, s.receive_packet)
    s.disconnect()


class Xor(Packet):
    """A subclass with send/receive hooks, as SFML's docs suggest for encryption."""

    def on_send(self):
        return bytes(b ^ 0x5A for b in self._data)

    def on_receive(self, data):
        self.append(bytes(b ^ 0x5A for b in data))


def test_hooks_for_subclasses():
    s, raw = raw_pair()
    s.send_packet(Xor().write_string("secret"))
    wire = raw.recv(100)
    eq(wire[:4], b"\x00\x00\x00\x0a", "prefix counts the transformed bytes")
    assert b"secret" not in wire
    raw.sendall(wire)
    p = s.receive_packet(Xor())
    eq(p.read_string(), "secret", "decoded through on_receive")
    s.disconnect()
    raw.close()


mptest.main(globals())
