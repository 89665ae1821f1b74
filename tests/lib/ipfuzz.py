# Seeded address strings for the IpAddress fuzz test, generated identically by
# MicroPython (tests/device/test_fuzz_ipaddress.py) and by CPython
# (tests/host/test_fuzz_ipaddress_reference.py), so the device can be checked against
# CPython's socket.inet_aton without carrying thousands of expected values: both sides
# digest the results block by block (CRC-32) and the device compares the digests.
# Only what both Pythons share: no `random` (their generators differ).
import binascii

ALPHABET = "0123456789.xXabcdefz \t\n-+:/\u00e9"
HOSTCHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_"
BLOCK = 100  # inputs per digest


class Rng:
    """xorshift32: the same sequence on every Python."""

    def __init__(self, seed):
        self.x = (seed & 0xFFFFFFFF) or 1

    def bits(self, n):
        x = self.x
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.x = x
        return x >> (32 - n)

    def choice(self, seq):
        return seq[self.bits(16) % len(seq)]


def could_resolve(s):
    """True if a resolver could be asked about s (then it is not a pure-parser input)."""
    if not s or any(c not in HOSTCHARS for c in s):
        return False
    last = s.rstrip(".").rsplit(".", 1)[-1]
    return any(not ("0" <= c <= "9") for c in last)


def rand_string(rng):
    r = rng.bits(2)
    quad = "%d.%d.%d.%d" % tuple(rng.bits(9) % 300 for _ in range(4))
    if r == 0:
        return quad
    if r == 1:
        return "".join(rng.choice(ALPHABET) for _ in range(rng.bits(4)))
    i = rng.bits(4) % (len(quad) + 1)
    return quad[:i] + rng.choice(ALPHABET) + quad[i + (r == 3):]


def inputs(seed, rounds):
    """The parser-only inputs, one at a time (strings a resolver would see are left out)."""
    rng = Rng(seed)
    for _ in range(rounds):
        s = rand_string(rng)
        if not could_resolve(s):
            yield s


def encode(packed):
    """One result: the 4 address bytes, or b"-" for an invalid string."""
    return b"-" if packed is None else bytes(packed)


class Digests:
    """CRC-32 of each BLOCK of encoded results, fed one by one."""

    def __init__(self):
        self.values = []
        self.count = 0
        self._crc = 0

    def add(self, encoded):
        self._crc = binascii.crc32(encoded, self._crc)
        self.count += 1
        if self.count % BLOCK == 0:
            self.values.append(self._crc & 0xFFFFFFFF)
            self._crc = 0

    def finish(self):
        if self.count % BLOCK:
            self.values.append(self._crc & 0xFFFFFFFF)
        return self.values
