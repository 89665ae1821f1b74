# The port adapters: the lwIP one (ESP32: ("ip", port) tuples, no local-name lookup)
# exercised on the unix port by selecting it explicitly, and the unix one (raw
# sockaddr bytes, /proc/net).
import mptest
from mptest import eq
import socket
import _port_unix
import _port_lwip


def _with_port(adapter, fn):
    saved = socket._port
    socket._port = adapter
    try:
        return fn()
    finally:
        socket._port = saved


def _with_tuple_port(fn):
    return _with_port(_port_lwip, fn)


def test_the_adapter_fits_the_builtin():
    want = _port_unix if hasattr(socket._n, "sockaddr") else _port_lwip
    assert socket._port is want, socket._port


def test_tuple_builtin_addresses_convert_both_ways():
    def check():
        a = socket._port
        eq(a.to_native(0xC0A8010A, 8080), ("192.168.1.10", 8080), "to native")
        eq(a.from_native(("10.0.0.7", 53)), ("10.0.0.7", 53), "from native")
        eq(a.info_ip(("10.0.0.7", 0)), 0x0A000007, "a getaddrinfo answer")
        eq(socket._split((10, 0, 0, 7, 53)), (0x0A000007, 53), "parse")
        mptest.raises(TypeError, socket._split, b"\x02\x00\x00\x35\x0a\x00\x00\x07")  # no raw form here

    _with_tuple_port(check)


def test_raw_builtin_addresses_convert_both_ways():
    if not hasattr(socket._n, "sockaddr"):
        mptest.skip("this port's built-in speaks tuples (covered above)")

    def check():
        a = socket._port
        raw = a.to_native(0x7F000001, 8080)
        eq(socket._n.sockaddr(raw), (socket.AF_INET, b"\x7f\x00\x00\x01", 8080), "sockaddr bytes")
        eq(a.from_native(raw), ("127.0.0.1", 8080), "decoded")
        eq(socket._split(raw), (0x7F000001, 8080), "a raw address is accepted")

    _with_port(_port_unix, check)


def test_getsockname_without_procfs_uses_the_tracked_address():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s._local[1]
    assert 49152 <= port <= 65535, "port-0 bind picked %d" % port
    eq(_with_tuple_port(s.getsockname), ("127.0.0.1", port), "tracked name")
    # and the kernel agrees with the port we picked
    eq(s.getsockname(), ("127.0.0.1", port), "kernel's view")
    s.close()


def test_port0_bind_leaves_the_random_module_alone():
    import random

    random.seed(1234)
    want = [random.getrandbits(16) for _ in range(3)]
    random.seed(1234)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.close()
    eq([random.getrandbits(16) for _ in range(3)], want, "random sequence after bind(0)")


def test_port0_picks_spread_over_the_dynamic_range():
    ports = set(socket._pick_port() for _ in range(200))
    assert len(ports) > 150, "only %d distinct ports in 200 picks" % len(ports)
    assert min(ports) >= 49152 and max(ports) <= 65535


def test_port0_bind_retries_when_a_port_is_taken():
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    busy = taken._local[1]
    picks = [busy, busy, busy + 1 if busy < 65535 else busy - 1]
    real = socket._pick_port
    socket._pick_port = lambda: picks.pop(0) if picks else real()
    try:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        eq(picks, [], "retried past the taken port")
        assert s.getsockname()[1] != busy
    finally:
        socket._pick_port = real
    s.close()
    taken.close()


def test_stream_poll_ioctl_for_ports_without_file_descriptors():
    # ESP32's select.poll asks a Python stream for readiness with ioctl(MP_STREAM_POLL).
    import select
    import netutil

    s = netutil.scenario("delay 100 3")
    eq(s.ioctl(3, select.POLLIN | select.POLLOUT), select.POLLOUT, "writable, nothing to read")
    eq(netutil.recv_all(s), netutil.pattern(3), "data, then EOF")
    ev = s.ioctl(3, select.POLLIN)
    assert ev & select.POLLIN, "EOF reads as readable: %r" % ev
    eq(s.ioctl(10, 0), s.fileno(), "MP_STREAM_GET_FILENO")
    eq(s.ioctl(99, 0), -socket.errno.EINVAL, "unknown request")
    eq(s.ioctl(4, 0), 0, "MP_STREAM_CLOSE")
    eq(s.fileno(), -1, "closed by ioctl")
    eq(s.ioctl(3, select.POLLIN), select.POLLHUP, "closed socket polls as hang-up")


mptest.main(globals())
