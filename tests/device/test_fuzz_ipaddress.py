# mptest: timeout=60
# Bad input for sfnet.IpAddress, seeded: from_string on random and near-valid strings
# and bytes is IpAddress.NONE or the address CPython's socket.inet_aton gives for the
# same string (never an exception); from_integer/from_bytes on random values give the
# address or TypeError/OverflowError.
# Strings that could be host names are left out: they would reach DNS.
import random
import mptest
import ipfuzz

from sfnet import IpAddress

SEED = 4242
ROUNDS = 4000


# What CPython's socket.inet_aton (glibc's parser) gives for ipfuzz.inputs(SEED, ROUNDS):
# CRC-32 digests of the results, 100 inputs per digest, the input count and how many
# are valid. Computed on the host by tests/host/test_fuzz_ipaddress_reference.py, which
# also checks that these literals still match CPython (run it as a script to print them).
CPYTHON_INET_ATON = {
    "inputs": 3668,
    "valid": 1119,
    "digests": [
        1428663366, 3651965518, 2032086031, 3809965198, 3616632320, 1889157743, 1310849297,
        2189142144, 1897206839, 3836576684, 3282894371, 3604368967, 3581409865, 1015506361,
        3071273556, 2138790103, 3138219469, 1345376570, 3778192065, 3847115907, 4132216362,
        2917119790, 117736581, 616130111, 1760568466, 837257280, 1133281065, 2776675025,
        3637704119, 2785819775, 3437861027, 3503147952, 1907942699, 1535770588, 3852933494,
        3766228795, 165998387,
    ],
}


def test_from_string_random():
    # Checked against CPython's inet_aton (an independent parser), not against our own.
    want = CPYTHON_INET_ATON
    digests = ipfuzz.Digests()
    block = []
    valid = 0
    for s in ipfuzz.inputs(SEED, ROUNDS):
        ip = IpAddress.from_string(s)
        if ip == IpAddress.NONE:
            got = None
        else:
            got = ip.bytes
            valid += 1
            mptest.eq(IpAddress.from_string(ip.string), ip, "round trip of %r" % s)
        # the same text as bytes gives the same answer
        mptest.eq(IpAddress.from_string(s.encode()), ip, "bytes %r" % s)
        digests.add(ipfuzz.encode(got))
        block.append((s, ip.string if got else None))
        if digests.count % ipfuzz.BLOCK == 0:
            i = len(digests.values) - 1
            if i >= len(want["digests"]) or digests.values[i] != want["digests"][i]:
                raise AssertionError("inputs %d-%d differ from CPython's inet_aton; ours: %r" % (
                    i * ipfuzz.BLOCK, i * ipfuzz.BLOCK + ipfuzz.BLOCK - 1, block))
            block = []
    mptest.eq(digests.finish(), want["digests"], "digests of the results (last block: %r)" % block)
    mptest.eq((digests.count, valid), (want["inputs"], want["valid"]), "inputs, valid")
    print("FUZZ ipaddress-strings inputs=%d valid=%d seed=%d (checked against CPython inet_aton)" % (
        digests.count, valid, SEED))


def test_from_bytes_and_non_str_random():
    random.seed(SEED + 1)
    n = 0
    for _ in range(ROUNDS // 4):
        b = bytes(random.getrandbits(8) for _ in range(random.getrandbits(3)))
        try:
            if ipfuzz.could_resolve(b.decode()):
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
