# modules/_dnsclient.py (name resolution inside the timeout) against a CPython DNS
# responder on the host, started by this script's own host_peer(): answers, CNAME
# chains, the TTL cache, NXDOMAIN and bad replies as gaierror, a silent server as
# socket.timeout inside the deadline; and, checked on the host after the run, what
# the responder was asked.
# mptest: not-on-board test_unix_port_ignores_the_links_dns_unless_set,test_no_server_known_falls_back_to_the_builtin: unix-port behaviour (no link DNS server; /etc/hosts)
import time
import mptest
from mptest import eq, raises
import socket
import _dnsclient
import peerenv

DNS = peerenv.UDP_DNS


def host_peer():  # CPython, on the host (tests/harness/hostpeer.py)
    from peers.dns_responder import DnsResponder
    peer = DnsResponder().start()
    yield {"UDP_DNS": tuple(peer.address)}
    peer.stop()
    asked = peer.asked
    assert "localhost" not in asked and "api.localhost" not in asked, asked
    assert asked.get("counter.test") == 1, "TTL 60: asked once, then the cache: %r" % asked
    assert asked.get("counter0.test") == 2, "TTL 0: asked every time: %r" % asked
    assert asked.get("silent.test", 0) >= 2, "getaddrinfo and connect each asked: %r" % asked
    never = [n for n in asked if n.endswith(".invalid") or n[-1:].isdigit() or n.endswith("4x")
             or n == "0x"]
    assert not never, "asked names that never resolve: %r" % never


_dnsclient.set_server(DNS[0], DNS[1])
socket.setdefaulttimeout(3000)


def ips(name):
    return sorted(set(info[4][0] for info in socket.getaddrinfo(name, 80)))


def test_a_records():
    eq(ips("host.test"), ["10.1.2.3"], "host.test")
    eq(ips("two.test"), ["10.0.0.1", "10.0.0.2"], "two records")
    eq(socket.gethostbyname("HOST.test."), "10.1.2.3", "case and a trailing dot")


def test_cname_chains():
    eq(ips("alias.test"), ["10.1.2.3"], "chain in one reply")
    eq(ips("aliasonly.test"), ["10.1.2.3"], "alias only: asked again for the target")


def test_cache_follows_the_ttl():
    a = socket.gethostbyname("counter.test")
    eq(socket.gethostbyname("counter.test"), a, "TTL 60: the cached answer")
    b = socket.gethostbyname("counter0.test")
    assert socket.gethostbyname("counter0.test") != b, "TTL 0: asked again"


def test_errors_are_gaierror():
    for name in ("nx.test", "servfail.test", "trunc.test", "garbage.test", "a..b.test"):
        e = raises(socket.gaierror, socket.getaddrinfo, name, 80)
        eq(e.errno, socket.EAI_NONAME, name)
        assert name.split(".")[0] in str(e) or "valid" in str(e), str(e)


def test_localhost_is_never_asked():
    eq(socket.gethostbyname("localhost"), "127.0.0.1", "localhost")
    eq(socket.gethostbyname("api.localhost"), "127.0.0.1", "*.localhost")


def test_unix_port_ignores_the_links_dns_unless_set():
    _dnsclient.set_server(None)
    try:
        eq(_dnsclient.server(), None, "no server on the unix port without set_server()")
    finally:
        _dnsclient.set_server(DNS[0], DNS[1])


def test_a_wrong_id_is_ignored():
    eq(socket.gethostbyname("spoof.test"), "10.7.7.7", "the reply with our id")


def test_a_silent_server_times_out_inside_the_deadline():
    socket.setdefaulttimeout(300)
    try:
        t0 = time.ticks_ms()
        raises(socket.timeout, socket.getaddrinfo, "silent.test", 80)
        took = time.ticks_diff(time.ticks_ms(), t0)
        assert 250 <= took < 2000, "getaddrinfo gave up after %d ms, timeout 300" % took
    finally:
        socket.setdefaulttimeout(3000)
    s = socket.socket()
    s.settimeout(400)
    t0 = time.ticks_ms()
    raises(socket.timeout, s.connect, ("silent.test", 80))
    took = time.ticks_diff(time.ticks_ms(), t0)
    assert 350 <= took < 2000, "connect gave up after %d ms, timeout 400" % took
    s.close()
    # create_connection: the lookup is inside its one deadline, not the default's 3 s
    t0 = time.ticks_ms()
    raises(socket.timeout, socket.create_connection, ("silent.test", 80), 450)
    took = time.ticks_diff(time.ticks_ms(), t0)
    assert 400 <= took < 2000, "create_connection gave up after %d ms, timeout 450" % took


def test_no_server_known_falls_back_to_the_builtin():
    _dnsclient.set_server(None)
    try:
        # /etc/hosts only: nothing here may ask a real DNS server.
        eq(socket.gethostbyname("localhost"), "127.0.0.1", "the built-in resolver")
        eq(_dnsclient.resolve(socket._n, "host.test", 100), None, "no server: not ours")
    finally:
        _dnsclient.set_server(DNS[0], DNS[1])


def test_names_that_never_resolve_are_not_asked():
    # RFC 6761's .invalid, and numeric-looking names that are not addresses: gaierror
    # at once, and the server (host_peer() counts) never sees them
    for name in ("no-such-host.invalid", "No.Such.Host.INVALID.", "256.1.1.1", "1.2.3.4.5",
                 "1.2.3.4x", "0x", "999.1.1.1"):
        raises(socket.gaierror, socket.getaddrinfo, name, 80)


mptest.main(globals())
