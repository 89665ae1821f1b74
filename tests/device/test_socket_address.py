# Address forms, conversions and resolution of the socket module.
import mptest
from mptest import eq, raises
import socket
import netutil


def test_every_address_form_reaches_the_same_peer():
    for form in (
        lambda p: ("127.0.0.1", p),
        lambda p: (127, 0, 0, 1, p),
        lambda p: ("localhost", p),
        lambda p: ("127.1", p),
    ):
        s = netutil.scenario("peer")
        port = s.getsockname()[1]
        s.close()
        srv = socket.socket()
        srv.bind(("127.0.0.1", 0))
        srv.listen()
        addr = srv.getsockname()
        c = socket.socket()
        c.settimeout(2000)
        c.connect(form(addr[1]))
        conn, peer = srv.accept()
        eq(c.getpeername(), ("127.0.0.1", addr[1]), "peer name")
        eq(peer, c.getsockname(), "accept address vs client sockname")
        for x in (c, conn, srv):
            x.close()
        assert port > 0


def test_bind_int_port_is_all_interfaces():
    port = netutil.free_port()
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(port)
    eq(s.getsockname(), ("0.0.0.0", port), "bind(int)")
    s.close()


def test_bind_string_and_four_tuple_mean_port_zero():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind("127.0.0.1")
    name = s.getsockname()
    eq(name[0], "127.0.0.1", "bind(str) ip")
    assert name[1] > 0, "port 0 picks a free port"
    s.close()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((127, 0, 0, 1))
    eq(s.getsockname()[0], "127.0.0.1", "bind(4-tuple) ip")
    s.close()


def test_returned_addresses_are_str_int_tuples():
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    v.sendto(b"x", u.getsockname())
    data, addr = u.recvfrom(16)
    assert type(addr) is tuple and type(addr[0]) is str and type(addr[1]) is int, addr
    eq(addr, ("127.0.0.1", v.getsockname()[1]), "recvfrom address")
    for info in socket.getaddrinfo("127.0.0.1", 80):
        assert type(info[4]) is tuple and info[4] == ("127.0.0.1", 80), info
    u.close()
    v.close()


def test_getaddrinfo_filters():
    all_ = socket.getaddrinfo("127.0.0.1", 8080)
    eq([(i[1], i[2]) for i in all_], [(socket.SOCK_STREAM, 6), (socket.SOCK_DGRAM, 17)], "types")
    eq(len(socket.getaddrinfo("127.0.0.1", 1, 0, socket.SOCK_DGRAM)), 1, "type filter")
    eq(socket.getaddrinfo("127.0.0.1", 1, 0, 0, socket.IPPROTO_TCP)[0][1], socket.SOCK_STREAM, "proto")
    eq(socket.getaddrinfo("127.0.0.1", "80")[0][4], ("127.0.0.1", 80), "numeric service string")
    eq(socket.getaddrinfo(None, 5)[0][4], ("127.0.0.1", 5), "None host is loopback")
    raises(socket.gaierror, socket.getaddrinfo, "127.0.0.1", 80, socket.AF_INET6)
    raises(socket.gaierror, socket.getaddrinfo, "127.0.0.1", "http")
    e = raises(OverflowError, socket.getaddrinfo, "127.0.0.1", 70000)
    assert "65535" in str(e)
    for bad in (("x",), (0, 1.0), (0, 0, "6"), (0, 0, 0, None)):  # family, type, proto, flags
        raises(TypeError, socket.getaddrinfo, "127.0.0.1", 80, *bad)


def test_resolution_failures_are_gaierror():
    for name in ("no-such-host.invalid", "256.1.1.1", "1.2.3.4.5"):
        e = raises(socket.gaierror, socket.getaddrinfo, name, 80)
        assert isinstance(e, OSError)
        eq(e.errno, socket.EAI_NONAME, "errno")
    raises(socket.gaierror, socket.gethostbyname, "no-such-host.invalid")
    s = socket.socket()
    raises(socket.gaierror, s.connect, ("no-such-host.invalid", 80))
    s.close()


def test_gethostbyname():
    eq(socket.gethostbyname("localhost"), "127.0.0.1", "localhost")
    eq(socket.gethostbyname("10.1.2.3"), "10.1.2.3", "numeric")
    eq(socket.gethostbyname("0x7f.1"), "127.0.0.1", "inet_aton shorthand")
    eq(socket.gethostbyname(b"10.1.2.3"), "10.1.2.3", "bytes, as CPython takes")
    raises(TypeError, socket.gethostbyname, 1234)


def test_ip_to_tuple():
    eq(socket.ip_to_tuple("192.168.1.10"), (192, 168, 1, 10), "ip_to_tuple")
    raises(ValueError, socket.ip_to_tuple, "192.168.1.300")
    raises(ValueError, socket.ip_to_tuple, "nonsense")


def test_inet_aton_follows_bsd_rules():
    table = [
        ("1.2.3.4", b"\x01\x02\x03\x04"),
        ("127.1", b"\x7f\x00\x00\x01"),
        ("1.2.3", b"\x01\x02\x00\x03"),
        ("0x7f.0.0.1", b"\x7f\x00\x00\x01"),
        ("010.0.0.1", b"\x08\x00\x00\x01"),
        ("4294967295", b"\xff\xff\xff\xff"),
        ("1.2.3.4 trailing", b"\x01\x02\x03\x04"),
    ]
    for text, want in table:
        eq(socket.inet_aton(text), want, text)
    for bad in ("", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "08.1.1.1", "0x", "1..2", "1.2.3.", "a.b.c.d",
                "4294967296", "1.16777216"):
        raises(OSError, socket.inet_aton, bad)
    for wrong in (b"1.2.3.4", 16909060, None):  # not a str: TypeError, as CPython
        raises(TypeError, socket.inet_aton, wrong)


def test_inet_pton_ntop_ntoa():
    eq(socket.inet_pton(socket.AF_INET, "10.0.0.255"), b"\x0a\x00\x00\xff", "pton")
    for bad in ("127.1", "01.2.3.4", "1.2.3.4 ", "1.2.3.256", ""):
        raises(OSError, socket.inet_pton, socket.AF_INET, bad)
    raises(TypeError, socket.inet_pton, socket.AF_INET, b"10.0.0.255")
    eq(socket.inet_ntop(socket.AF_INET, b"\xc0\xa8\x01\x0a"), "192.168.1.10", "ntop")
    eq(socket.inet_ntoa(b"\x7f\x00\x00\x01"), "127.0.0.1", "ntoa")
    raises(OSError, socket.inet_ntoa, b"\x01\x02\x03")
    raises(ValueError, socket.inet_ntop, socket.AF_INET, b"\x01")


def test_byte_order_helpers():
    import sys

    eq(socket.htons(0x1234), 0x3412 if sys.byteorder == "little" else 0x1234, "htons")
    eq(socket.ntohs(socket.htons(8080)), 8080, "round trip 16")
    eq(socket.ntohl(socket.htonl(0xC0A8010A)), 0xC0A8010A, "round trip 32")
    raises(OverflowError, socket.htons, 70000)
    raises(OverflowError, socket.htonl, -1)
    raises(TypeError, socket.htonl, "1")
    raises(TypeError, socket.htons, 1.0)
    eq(socket.htons(True), socket.htons(1), "a bool is an int, as in CPython")


def test_malformed_addresses_are_rejected_clearly():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    e = raises(OverflowError, s.sendto, b"x", ("127.0.0.1", 65536))
    assert "0-65535" in str(e), e
    raises(OverflowError, s.sendto, b"x", ("127.0.0.1", -1))
    raises(TypeError, s.sendto, b"x", ("127.0.0.1", "80"))
    raises(ValueError, s.sendto, b"x", (127, 0, 0, 256, 80))
    raises(TypeError, s.sendto, b"x", (127, 0, 0))
    raises(TypeError, s.sendto, b"x", 3.5)
    raises(TypeError, s.sendto, b"x", (None, 80))
    raises(TypeError, s.bind, [127, 0, 0, 1])
    s.close()


mptest.main(globals())
