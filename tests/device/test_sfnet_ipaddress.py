# sfnet.IpAddress: constants, parsing (inet_aton's rules, as pySFML), value semantics,
# and local/public address discovery. tests/host/test_sfnet_pysfml.py compares the
# parser with the real pySFML on a larger table.
# mptest: timeout=60
import mptest
from mptest import eq, raises
import socket
import time
import testenv
import sfnet
from sfnet import IpAddress, TcpListener

NONE = IpAddress.NONE


def ip(s):
    return IpAddress.from_string(s)


def test_constants():
    eq((IpAddress.ANY.string, IpAddress.ANY.integer), ("0.0.0.0", 0), "ANY")
    eq((IpAddress.LOCAL_HOST.string, IpAddress.LOCAL_HOST.integer), ("127.0.0.1", 0x7F000001), "LOCAL_HOST")
    eq((IpAddress.BROADCAST.string, IpAddress.BROADCAST.integer), ("255.255.255.255", 0xFFFFFFFF), "BROADCAST")
    eq((NONE.string, NONE.integer), ("0.0.0.0", 0), "NONE reads as 0.0.0.0, like pySFML")
    eq(IpAddress(), NONE, "IpAddress() is NONE")
    assert NONE != IpAddress.ANY, "NONE is not ANY"


def test_from_string_sfml_vectors():
    eq(ip("203.0.113.2").integer, 0xCB007102, "dotted quad")
    eq(ip("203.0.113.2").string, "203.0.113.2", "string")
    eq(ip("255.255.255.255"), IpAddress.BROADCAST, "broadcast is valid, not NONE")
    eq(ip("0.0.0.0"), IpAddress.ANY, "any")
    eq(ip("localhost"), IpAddress.LOCAL_HOST, "host name")
    eq(ip("198.51.100.4").integer, 0xC6336404, "parse")
    for bad in ("", "255.255.255.256", " 1.2.3.4", "1.2.3.4x", "1.2.3.4.5", "1..2", "08.1.1.1", "0x",
                "-1", "abc def", "no.such.host.invalid", "999.1.1.1"):
        eq(ip(bad), NONE, repr(bad))


def test_from_string_follows_inet_aton():
    eq(ip("127.1"), IpAddress.LOCAL_HOST, "a.d")
    eq(ip("1.2.3").string, "1.2.0.3", "a.b.d")
    eq(ip("0x7f.1"), IpAddress.LOCAL_HOST, "hex part")
    eq(ip("010.0.0.1").string, "8.0.0.1", "octal part")
    eq(ip("4294967295"), IpAddress.BROADCAST, "one 32-bit number")
    eq(ip("4294967296"), NONE, "too big")
    eq(ip("1.2.3.4 anything").string, "1.2.3.4", "text after whitespace is ignored")
    eq(ip("1.2.3.4\n").string, "1.2.3.4", "trailing newline")
    eq(ip(b"127.0.0.1"), IpAddress.LOCAL_HOST, "bytes")
    raises(TypeError, IpAddress.from_string, 127)
    raises(TypeError, IpAddress.from_string, None)


def test_from_integer_and_bytes():
    eq(IpAddress.from_integer(0xCB00719A).string, "203.0.113.154", "integer")
    a = IpAddress.from_bytes(198, 51, 100, 234)
    eq((a.string, a.integer), ("198.51.100.234", 0xC63364EA), "bytes")
    eq(a.bytes, b"\xc6\x33\x64\xea", ".bytes")
    eq(IpAddress.from_bytes(*a.bytes), a, "round trip")
    raises(OverflowError, IpAddress.from_integer, -1)
    raises(OverflowError, IpAddress.from_integer, 1 << 32)
    raises(TypeError, IpAddress.from_integer, "1")
    raises(OverflowError, IpAddress.from_bytes, 256, 0, 0, 0)
    raises(OverflowError, IpAddress.from_bytes, 0, 0, 0, -1)
    raises(TypeError, IpAddress.from_bytes, "1", 0, 0, 0)


def test_equality_order_hash_repr():
    fb = IpAddress.from_bytes
    fi = IpAddress.from_integer
    eq(fb(0xC6, 0x33, 0x64, 0x7B), fi(0xC633647B), "==")
    assert fi(0x12344321) != fi(1234)
    assert fb(198, 51, 100, 1) != fb(198, 51, 100, 11)
    assert fi(1) < fi(2)
    assert fb(0, 0, 0, 1) < fb(0, 0, 1, 0) < fb(0, 1, 0, 0) < fb(1, 0, 0, 0)
    assert fb(1, 0, 0, 1) > fb(0, 0, 0, 1)
    assert fi(5) <= fi(5) and fi(5) >= fi(5)
    assert NONE < IpAddress.ANY, "invalid sorts first"
    raises(TypeError, lambda: fi(1) < 2)
    assert fi(1) != 1
    d = {IpAddress.LOCAL_HOST: "lo"}
    eq(d[ip("127.0.0.1")], "lo", "hashable, equal addresses hash equal")
    eq(len(set([ip("127.1"), IpAddress.LOCAL_HOST, NONE, IpAddress()])), 2, "set")
    eq(repr(IpAddress.LOCAL_HOST), "IpAddress('127.0.0.1')", "repr")
    eq(repr(NONE), "IpAddress.NONE", "repr of NONE")
    eq(str(IpAddress.BROADCAST), "255.255.255.255", "str")


def test_string_attribute_works_as_a_socket_host():
    s = socket.socket()
    s.settimeout(2000)
    s.connect((ip(testenv.SCENARIO[0]), testenv.SCENARIO[1]))
    eq(s.getpeername(), testenv.SCENARIO, "connected through .string")
    s.close()


def test_get_local_address():
    a = IpAddress.get_local_address()
    assert isinstance(a, IpAddress)
    if a == NONE:
        mptest.skip("no active interface with a route (the host test compares with pySFML)")
    assert a != IpAddress.ANY


def test_local_address_from_the_network_interface():
    # Boards whose built-in socket has no getsockname fall back to the interface, as
    # the Wi-Fi driver reports it; the simulated ESP32 `network` module
    # (tests/lib/simnet) stands in for the firmware. The user drives `network` directly.
    import sys
    import simnet
    from sfnet import _local

    network = simnet.install()
    try:
        world = simnet.boot(aps=(network.AP("home", "password1"),))
        from drivers.wifi import esp32wifi

        esp32wifi.init()  # the driver an ESP32 board gets by default
        eq(_local.from_interfaces(), None, "no interface up")
        wlan = network.WLAN(network.STA_IF)
        wlan.active(True)
        wlan.connect("home", "password1")
        t0 = time.ticks_ms()
        while not wlan.isconnected():
            assert time.ticks_diff(time.ticks_ms(), t0) < 3000, "simulated Wi-Fi never connected"
            world.advance()
            time.sleep_ms(10)
        want = wlan.ifconfig()[0]
        eq(socket._quad(_local.from_interfaces()), want, "station address")
        wlan.disconnect()
        world.advance()
        ap = network.WLAN(network.AP_IF)
        ap.active(True)
        eq(socket._quad(_local.from_interfaces()), ap.ifconfig()[0], "access point address")
    finally:
        for name in ("network", "machine") + simnet._LIBRARY:  # and the drivers registered above
            sys.modules.pop(name, None)


def test_public_address_failures_return_none():
    lst = TcpListener()
    lst.listen(0, IpAddress.LOCAL_HOST)
    port = lst.local_port
    lst.close()
    eq(IpAddress.get_public_address(1000, "http://127.0.0.1:%d/" % port), None, "refused")
    url = "http://%s:%d/not-an-address" % testenv.HTTP
    eq(IpAddress.get_public_address(2000, url), None, "a body that is not an address")
    # A server that accepts (backlog) but never answers: bounded by the timeout.
    lst.listen(0, IpAddress.LOCAL_HOST)
    t0 = time.ticks_ms()
    eq(IpAddress.get_public_address(sfnet.milliseconds(300), "http://127.0.0.1:%d/" % lst.local_port),
       None, "silent server")
    assert time.ticks_diff(time.ticks_ms(), t0) < 300 + 500
    lst.close()
    raises(ValueError, IpAddress.get_public_address, 100, "https://example.com/")
    raises(ValueError, IpAddress.get_public_address, -1, "http://127.0.0.1:9/")
    # a malformed URL is the caller's error, not a network failure: ValueError naming it
    for url in ("http://127.0.0.1:99999/", "http://127.0.0.1:x/", "http://127.0.0.1:0/",
                "http://127.0.0.1:/", "http://127.0.0.1:+80/", "http://h/ip HTTP/1.1\r\nX: y"):
        e = raises(ValueError, IpAddress.get_public_address, 100, url)
        assert repr(url) in str(e), str(e)
    eq(IpAddress.PUBLIC_ADDRESS_URL, "http://www.sfml-dev.org/ip-provider.php", "SFML's provider")


def test_public_address_from_a_provider():
    try:
        import _thread
    except ImportError:
        mptest.skip("needs _thread for the in-process provider")
    lst = TcpListener()
    lst.listen(0, IpAddress.LOCAL_HOST)

    def provider():
        c = lst.accept()
        req = b""
        while b"\r\n\r\n" not in req:
            req += c.receive(512)
        c.send(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n203.0.113.9\n")
        c.disconnect()

    _thread.start_new_thread(provider, ())
    got = IpAddress.get_public_address(3000, "http://127.0.0.1:%d/ip" % lst.local_port)
    eq(got, ip("203.0.113.9"), "address from the provider")
    lst.close()


mptest.main(globals())
