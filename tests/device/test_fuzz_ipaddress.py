# mptest: timeout=60
# Bad input for sfnet.IpAddress, seeded: from_string on random and near-valid strings
# and bytes is IpAddress.NONE or the address inet_aton gives (never an exception);
# from_integer/from_bytes on random values give the address or TypeError/OverflowError.
# Strings that could be host names are left out: they would reach DNS.
import random
import mptest
import socket

from sfnet import IpAddress

SEED = 4242
ROUNDS = 4000
ALPHABET = "0123456789.xXabcdefz \t\n-+:/\u00e9"
HOSTCHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_"


def could_resolve(s):
    """True if a resolver could be asked about s (then it is not a pure-parser input)."""
    if not s or any(c not in HOSTCHARS for c in s):
        return False
    last = s.rstrip(".").rsplit(".", 1)[-1]
    return any(not ("0" <= c <= "9") for c in last)


def rand_string():
    r = random.getrandbits(2)
    quad = "%d.%d.%d.%d" % tuple(random.getrandbits(9) % 300 for _ in range(4))
    if r == 0:
        return quad
    if r == 1:
        n = random.getrandbits(4)
        return "".join(random.choice(ALPHABET) for _ in range(n))
    i = random.getrandbits(4) % (len(quad) + 1)
    return quad[:i] + random.choice(ALPHABET) + quad[i + (r == 3):]


def test_from_string_random():
    random.seed(SEED)
    tried = valid = skipped = 0
    for _ in range(ROUNDS):
        s = rand_string()
        if could_resolve(s):
            skipped += 1
            continue
        tried += 1
        ip = IpAddress.from_string(s)
        try:
            want = socket.inet_aton(s)  # the same rules, incl. the ignored tail after whitespace
        except OSError:
            want = None
        if want is None:
            assert ip == IpAddress.NONE, (s, ip)
        else:
            valid += 1
            mptest.eq(ip.bytes, want, "from_string(%r)" % s)
            mptest.eq(IpAddress.from_string(ip.string), ip, "round trip of %r" % s)
        # the same text as bytes gives the same answer
        mptest.eq(IpAddress.from_string(s.encode()), ip, "bytes %r" % s)
    assert valid > 100 and tried - valid > 100, (tried, valid)
    print("FUZZ ipaddress-strings inputs=%d valid=%d dns_skipped=%d seed=%d" % (tried, valid, skipped, SEED))


def test_from_bytes_and_non_str_random():
    random.seed(SEED + 1)
    n = 0
    for _ in range(ROUNDS // 4):
        b = bytes(random.getrandbits(8) for _ in range(random.getrandbits(3)))
        try:
            if could_resolve(b.decode()):
                continue  # would reach DNS
        except UnicodeError:
            pass
        n += 1
        ip = IpAddress.from_string(b)  # invalid UTF-8 included: NONE, not UnicodeError
        assert isinstance(ip, IpAddress)
    for bad in (None, 1, 1.5, [1], (1, 2, 3, 4), object()):
        n += 1
        mptest.raises(TypeError, IpAddress.from_string, bad)
    print("FUZZ ipaddress-bytes inputs=%d seed=%d" % (n, SEED + 1))


def test_from_integer_and_bytes_random():
    random.seed(SEED + 2)
    n = 0
    for _ in range(ROUNDS // 2):
        v = (random.getrandbits(32) << 1) - (1 << 31) if random.getrandbits(1) else random.getrandbits(32)
        n += 1
        if 0 <= v <= 0xFFFFFFFF:
            mptest.eq(IpAddress.from_integer(v).integer, v, "from_integer")
        else:
            mptest.raises(OverflowError, IpAddress.from_integer, v)
        parts = [random.getrandbits(9) - 128 for _ in range(4)]
        n += 1
        if all(0 <= p <= 255 for p in parts):
            mptest.eq(list(IpAddress.from_bytes(*parts).bytes), parts, "from_bytes")
        else:
            mptest.raises(OverflowError, IpAddress.from_bytes, *parts)
    for bad in ("1", 1.0, None):
        n += 2
        mptest.raises(TypeError, IpAddress.from_integer, bad)
        mptest.raises(TypeError, IpAddress.from_bytes, 1, 2, 3, bad)
    print("FUZZ ipaddress-int inputs=%d seed=%d" % (n, SEED + 2))


mptest.main(globals())
