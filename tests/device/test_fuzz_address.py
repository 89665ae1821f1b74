# mptest: timeout=120
# Bad input for every address entry point of `socket`: table-driven and seeded random.
# Every input must end in a result or in the documented exception (TypeError,
# ValueError, OverflowError, OSError(EINVAL) for inet_*), never anything else.
# No input may reach DNS: strings that are not numeric are only given to the pure
# parsers (ip_to_tuple, inet_aton, inet_pton), never to connect/getaddrinfo.
import errno
import random
import mptest
import socket

SEED = 20261121
ROUNDS = 4000
ALPHABET = "0123456789.xXabcdefg \t\n-+/:"
HOSTCHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_"
ADDR_ERRORS = (TypeError, ValueError, OverflowError)


def rand_str(max_len=18):
    n = random.getrandbits(5) % (max_len + 1)
    return "".join(random.choice(ALPHABET) for _ in range(n))


def mutate(s):
    """A valid dotted quad with one edit: the near misses a parser gets wrong."""
    i = random.getrandbits(4) % (len(s) + 1)
    op = random.getrandbits(2)
    c = random.choice(ALPHABET)
    if op == 0:
        return s[:i] + c + s[i:]
    if op == 1:
        return s[:i] + s[i + 1:]
    if op == 2:
        return s[:i] + c + s[i + 1:]
    return s + "." + str(random.getrandbits(9))


def rand_quad():
    return "%d.%d.%d.%d" % tuple(random.getrandbits(8) for _ in range(4))


def strict_quad(s):
    """Independent oracle for the plain form: 4 decimal parts 0-255, no leading zeros."""
    parts = s.split(".")
    if len(parts) != 4:
        return None
    out = []
    for p in parts:
        if not p or len(p) > 3 or (len(p) > 1 and p[0] == "0"):
            return None
        for ch in p:
            if not "0" <= ch <= "9":
                return None
        if int(p) > 255:
            return None
        out.append(int(p))
    return tuple(out)


def check_string(s, counts):
    """ip_to_tuple / inet_aton / inet_pton agree with each other and with the oracle."""
    try:
        t = socket.ip_to_tuple(s)
    except ValueError:
        t = None
    if t is not None:
        assert type(t) is tuple and len(t) == 4, (s, t)
        for b in t:
            assert type(b) is int and 0 <= b <= 255, (s, t)
        # the canonical form parses back to the same address
        mptest.eq(socket.ip_to_tuple("%d.%d.%d.%d" % t), t, "round trip of %r" % s)
        mptest.eq(socket.inet_aton(s), bytes(t), "inet_aton(%r)" % s)
        counts[0] += 1
    else:
        counts[1] += 1
    try:
        a = socket.inet_aton(s)
        assert type(a) is bytes and len(a) == 4, (s, a)
    except OSError as e:
        mptest.eq(e.errno, errno.EINVAL, "inet_aton(%r) errno" % s)
    try:
        p = socket.inet_pton(socket.AF_INET, s)
        # the strict form is a subset of inet_aton's forms
        mptest.eq(p, bytes(t) if t else None, "inet_pton vs ip_to_tuple for %r" % s)
    except OSError as e:
        mptest.eq(e.errno, errno.EINVAL, "inet_pton(%r) errno" % s)
        p = None
    q = strict_quad(s)
    mptest.eq(p, bytes(q) if q else None, "inet_pton(%r) vs the oracle" % s)
    return t


def test_strings_table():
    table = {
        "127.0.0.1": (127, 0, 0, 1), "0.0.0.0": (0, 0, 0, 0), "255.255.255.255": (255,) * 4,
        "127.1": (127, 0, 0, 1), "0x7f.1": (127, 0, 0, 1), "010.0.0.1": (8, 0, 0, 1),
        "4294967295": (255,) * 4, "1.2.65535": (1, 2, 255, 255),
        "4294967296": None, "256.1.1.1": None, "1.2.3.4.5": None, "1..2": None, "": None,
        " 1.2.3.4": None, "1.2.3.4 ": None, "0x": None, "08": None, "-1": None, "1.2.3.": None,
        "1.2.3.4x": None, "abc": None, "1e3": None, "0xg": None, "1.2.65536": None,
    }
    counts = [0, 0]
    for s, want in table.items():
        mptest.eq(check_string(s, counts), want, repr(s))
    print("FUZZ address-table inputs=%d" % len(table))


def test_strings_random():
    random.seed(SEED)
    counts = [0, 0]
    for i in range(ROUNDS):
        k = i % 3
        s = rand_str() if k == 0 else mutate(rand_quad()) if k == 1 else rand_quad()
        check_string(s, counts)
    assert counts[0] > ROUNDS // 4 and counts[1] > ROUNDS // 4, counts  # both sides exercised
    print("FUZZ address-strings inputs=%d valid=%d invalid=%d seed=%d" % (ROUNDS, counts[0], counts[1], SEED))


def rand_item():
    r = random.getrandbits(4)
    if r < 8:
        return random.getrandbits(8)
    if r < 10:
        return random.getrandbits(20) - (1 << 19)
    if r == 10:
        return rand_quad()
    if r == 11:
        return None
    if r == 12:
        return 1.5
    if r == 13:
        return b"\x01\x02"
    if r == 14:
        return [1, 2]
    return random.getrandbits(32) << 8


def rand_address():
    """A random address object of any shape: tuples of 0-6 items, ints, bytes, None..."""
    r = random.getrandbits(3)
    if r < 4:
        n = random.getrandbits(3) % 7
        items = [rand_item() for _ in range(n)]
        if n == 2 and random.getrandbits(1):
            items[0] = rand_quad()  # ("a.b.c.d", port) with a random port
        return tuple(items)
    if r == 4:
        return random.getrandbits(20) - (1 << 18)
    if r == 5:
        return bytes(random.getrandbits(8) for _ in range(random.getrandbits(4)))
    if r == 6:
        return None
    return ("127.%d.%d.%d" % (random.getrandbits(8), random.getrandbits(8), random.getrandbits(8)),
            random.getrandbits(17) - 1000)


def expected(addr):
    """Oracle: ("a.b.c.d", port) for a well-formed numeric address, else the exception class."""
    if type(addr) is tuple:
        if len(addr) == 2:
            host, port = addr
            if type(host) is bytes:
                try:
                    host = host.decode()
                except UnicodeError:
                    return ValueError
            if type(host) is not str:
                return TypeError
            t = socket.ip_to_tuple(host) if strict_quad(host) else None
            if t is None:
                return None  # would need DNS: not given to connect
            if type(port) is not int:
                return TypeError
            if not 0 <= port <= 65535:
                return OverflowError
            return ("%d.%d.%d.%d" % t, port)
        if len(addr) in (4, 5):
            bad_type = [b for b in addr[:4] if type(b) is not int]
            bad_range = [b for b in addr[:4] if type(b) is int and not 0 <= b <= 255]
            if bad_type and bad_range:
                return (TypeError, ValueError)  # either names a real fault
            if bad_type:
                return TypeError
            if bad_range:
                return ValueError
            port = addr[4] if len(addr) == 5 else 0
            if type(port) is not int:
                return TypeError
            if not 0 <= port <= 65535:
                return OverflowError
            return ("%d.%d.%d.%d" % addr[:4], port)
        return TypeError
    if type(addr) is bytes and len(addr) >= 8:
        return None  # a raw sockaddr on the unix port: not a documented form to fuzz
    return TypeError


def test_connect_forms_random():
    """UDP connect sends nothing, so any address is safe; getpeername must match."""
    random.seed(SEED + 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tried = ok = refused = 0
    try:
        for _ in range(ROUNDS):
            addr = rand_address()
            want = expected(addr)
            if want is None:
                continue
            tried += 1
            try:
                s.connect(addr)
            except ADDR_ERRORS as e:
                assert type(want) is not tuple or type(want[0]) is not str, (addr, e, want)
                assert isinstance(e, want), (addr, e, want)
                continue
            except OSError as e:
                # the stack refused a well-formed address (unreachable, port 0...)
                assert type(want) is tuple, (addr, e)
                assert type(e.errno) is int, (addr, e)
                refused += 1
                continue
            assert type(want) is tuple, (addr, "accepted, oracle said", want)
            ok += 1
            if want[1]:
                mptest.eq(s.getpeername(), want, "getpeername after connect(%r)" % (addr,))
    finally:
        s.close()
    assert ok > 50, ok
    print("FUZZ address-forms inputs=%d connected=%d refused=%d seed=%d" % (tried, ok, refused, SEED + 1))


def test_getaddrinfo_and_ports_random():
    random.seed(SEED + 2)
    n = 0
    for _ in range(ROUNDS // 2):
        host = rand_quad() if random.getrandbits(1) else mutate(rand_quad())
        port = random.choice((random.getrandbits(16), random.getrandbits(18) - 70000, "80", "x", None, 1.0))
        if strict_quad(host) is None:
            continue  # no DNS
        n += 1
        try:
            res = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
        except ADDR_ERRORS:
            assert type(port) is not int or not 0 <= port <= 65535, (host, port)
            continue
        except OSError as e:
            assert type(e) is socket.gaierror, (host, port, e)
            assert type(port) is str, (host, port)
            continue
        mptest.eq(res[0][4][0], "%d.%d.%d.%d" % socket.ip_to_tuple(host), "getaddrinfo host")
    # htons/htonl: ints in range or OverflowError/TypeError
    for _ in range(ROUNDS // 2):
        x = (random.getrandbits(32) << 2) - (1 << 32)
        n += 1
        try:
            y = socket.htons(x)
            assert 0 <= x <= 0xFFFF and socket.ntohs(y) == x, x
        except OverflowError:
            assert not 0 <= x <= 0xFFFF, x
        try:
            y = socket.htonl(x)
            assert 0 <= x <= 0xFFFFFFFF and socket.ntohl(y) == x, x
        except OverflowError:
            assert not 0 <= x <= 0xFFFFFFFF, x
    print("FUZZ address-getaddrinfo+hton inputs=%d seed=%d" % (n, SEED + 2))


mptest.main(globals())
