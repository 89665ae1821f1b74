# A small DNS resolver over UDP (A records), so that name resolution finishes inside
# a timeout: the built-in getaddrinfo blocks, on ESP32 for many seconds when the DNS
# server is unreachable. Used by socket when a DNS server is known: set_server(), or
# the dns of the linked wifi/eth interface. See docs/socket.md, "DNS".
import sys
import select
from micropython import const
from time import ticks_ms, ticks_add, ticks_diff

_CACHE_SIZE = const(8)
_MAX_TTL = const(86400)  # s; keeps ticks_add in range on every port
_RETRY_MS = const(1000)  # resend the query if no reply came within this
_MAX_CNAMES = const(8)
_TYPE_A = const(1)
_TYPE_CNAME = const(5)
_MAX_NAME = const(253)


class DnsError(OSError):
    """The name does not resolve: NXDOMAIN, no A record, or a bad reply."""


class DnsTimeout(OSError):
    """No usable reply inside the deadline."""


_server = None  # (ip, port) set by set_server(), or None: ask the link
# On the unix port the built-in resolver is the host's (it reads /etc/hosts and asks
# the same server the host driver reports), so the link's server is not used there.
_HOSTED = sys.platform in ("linux", "darwin")
_LOCALHOST = const(0x7F000001)
_cache = {}  # name -> (expiry ticks, [32-bit addresses])
_qid = 0


def set_server(ip, port=53):
    """Use this DNS server ("a.b.c.d"), or None to use the linked interface's."""
    global _server
    _cache.clear()  # answers of the previous server
    if ip is None:
        _server = None
        return
    if type(ip) is not str or type(port) is not int or not 0 < port <= 65535:
        raise TypeError("set_server(ip: str, port: int 1-65535)")
    _server = (ip, port)


def server():
    """The DNS server to ask as (ip, port), or None if none is known."""
    if _server is not None:
        return _server
    if _HOSTED:
        return None
    for name in ("wireless.wifi", "ethernet.eth"):
        m = sys.modules.get(name)
        try:
            if m is not None and m.is_linked():
                dns = m.link_info()[3]
                if dns and dns != "0.0.0.0":
                    return (dns, 53)
        except Exception:  # a driver without link info: not a source
            pass
    return None


def clear_cache():
    _cache.clear()


def _query(name, qid):
    q = bytearray(12)
    q[0] = qid >> 8
    q[1] = qid & 255
    q[2] = 1  # RD: recursion desired
    q[5] = 1  # one question
    for label in name.split("."):
        b = label.encode()
        if not b or len(b) > 63:
            raise DnsError(-2, "not a valid host name: %r" % name)
        q.append(len(b))
        q.extend(b)
    q.extend(b"\x00\x00\x01\x00\x01")  # root, QTYPE A, QCLASS IN
    return q


def _name(msg, i):
    """The (lowercased) name at msg[i] -> (name, index after it); follows pointers."""
    labels = []
    end = None
    for _ in range(64):  # bounds pointer loops
        n = msg[i]
        if n == 0:
            return ".".join(labels).lower(), (i + 1 if end is None else end)
        if n & 0xC0 == 0xC0:
            if end is None:
                end = i + 2
            i = ((n & 0x3F) << 8) | msg[i + 1]
            continue
        if n & 0xC0:
            raise ValueError("bad label")
        labels.append(msg[i + 1:i + 1 + n].decode())
        if len(msg) < i + 1 + n:
            raise ValueError("truncated label")
        i += 1 + n
    raise ValueError("name too long")


def _u16(msg, i):
    return (msg[i] << 8) | msg[i + 1]


def _parse(msg, name):
    """A reply -> ([addresses], ttl s, cname to follow or None). Raises DnsError."""
    if msg[2] & 0x02:
        raise DnsError(-2, "truncated DNS reply for %r" % name)
    rcode = msg[3] & 0x0F
    if rcode == 3:
        raise DnsError(-2, "no such host: %r (NXDOMAIN)" % name)
    if rcode:
        raise DnsError(-2, "DNS server error %d for %r" % (rcode, name))
    qd = _u16(msg, 4)
    an = _u16(msg, 6)
    i = 12
    for _ in range(qd):
        i = _name(msg, i)[1] + 4
    chain = [name]
    found = []
    ttl = _MAX_TTL
    for _ in range(an):
        owner, i = _name(msg, i)
        rtype = _u16(msg, i)
        rttl = (_u16(msg, i + 4) << 16) | _u16(msg, i + 6)
        rlen = _u16(msg, i + 8)
        i += 10
        if i + rlen > len(msg):
            raise ValueError("truncated record")
        if owner in chain:
            if rtype == _TYPE_A and rlen == 4:
                v = (msg[i] << 24) | (msg[i + 1] << 16) | (msg[i + 2] << 8) | msg[i + 3]
                if v not in found:
                    found.append(v)
                ttl = min(ttl, rttl)
            elif rtype == _TYPE_CNAME:
                chain.append(_name(msg, i)[0])
                ttl = min(ttl, rttl)
        i += rlen
    if found:
        return found, ttl, None
    if len(chain) > 1:
        return None, ttl, chain[-1]  # the server gave the alias only: ask for its target
    raise DnsError(-2, "no IPv4 address for %r" % name)


def _exchange(n, name, deadline, addr):
    # One question, resent every _RETRY_MS until a matching reply or the deadline.
    global _qid
    _qid = (_qid * 1103515245 + 12345 + ticks_ms()) & 0xFFFF
    q = _query(name, _qid)
    s = n.socket(n.AF_INET, n.SOCK_DGRAM)
    try:
        s.setblocking(False)
        p = select.poll()
        p.register(s, select.POLLIN)
        next_send = ticks_ms()
        while True:
            now = ticks_ms()
            left = ticks_diff(deadline, now)
            if left <= 0:
                raise DnsTimeout(110, "DNS: no reply for %r inside the timeout" % name)
            if ticks_diff(next_send, now) <= 0:
                try:
                    s.sendto(q, addr)
                except OSError:
                    pass  # unreachable now; retried at the next step
                next_send = ticks_add(now, _RETRY_MS)
            for _ in p.ipoll(min(left, max(0, ticks_diff(next_send, now)))):
                try:
                    msg = s.recv(1500)
                except OSError:
                    break
                if len(msg) < 12 or msg[0] != q[0] or msg[1] != q[1] or not msg[2] & 0x80:
                    break  # not our reply (or not a reply): keep waiting
                try:
                    return _parse(msg, name)
                except (ValueError, IndexError, UnicodeError):
                    raise DnsError(-2, "malformed DNS reply for %r" % name)
    finally:
        s.close()


def resolve(n, name, timeout_ms):
    """name -> [32-bit addresses], within timeout_ms (None: 10 s). n is the built-in
    socket module. Raises DnsError, DnsTimeout, or ValueError for a bad name."""
    name = name.lower().rstrip(".")
    if not name or len(name) > _MAX_NAME:
        raise DnsError(-2, "not a valid host name: %r" % name)
    if name == "localhost" or name.endswith(".localhost"):
        return [_LOCALHOST]  # RFC 6761: never asked of a server
    hit = _cache.get(name)
    if hit is not None:
        if ticks_diff(hit[0], ticks_ms()) > 0:
            return hit[1]
        del _cache[name]
    srv = server()
    if srv is None:
        return None
    addr = n.getaddrinfo(srv[0], srv[1])[0][-1]  # numeric: no lookup
    deadline = ticks_add(ticks_ms(), 10000 if timeout_ms is None else timeout_ms)
    target = name
    for _ in range(_MAX_CNAMES):
        found, ttl, cname = _exchange(n, target, deadline, addr)
        if found is not None:
            if len(_cache) >= _CACHE_SIZE:
                del _cache[next(iter(_cache))]  # make room: drop one entry
            _cache[name] = (ticks_add(ticks_ms(), min(ttl, _MAX_TTL) * 1000), found)
            return found
        target = cname
    raise DnsError(-2, "CNAME chain too long for %r" % name)
