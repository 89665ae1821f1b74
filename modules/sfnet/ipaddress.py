# sfnet.ipaddress: pySFML's IpAddress, an immutable IPv4 value.
#
# from_string follows inet_aton's rules exactly, as pySFML 2.2 does through SFML's
# inet_addr: 1-4 parts, decimal/octal/hex ("127.1", "0x7f.1", "010.0.0.1"), and
# anything after trailing whitespace is ignored ("1.2.3.4 x"). Other strings are
# looked up as host names. Invalid input is IpAddress.NONE, never an exception.
import _netcore  # the IPv4 codec: parsing needs no network stack
from micropython import const

_MAX = const(0xFFFFFFFF)
_HOSTCHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_"


def _could_be_hostname(s):
    # A name that inet_aton rejected can only resolve if it is a syntactically
    # plausible DNS name; a numeric last label ("256.1.1.1") never is. Skipping
    # those avoids a pointless DNS query that would fail anyway.
    if not s or len(s) > 253:
        return False
    for c in s:
        if c not in _HOSTCHARS:
            return False
    last = s.rstrip(".").rsplit(".", 1)[-1]
    if not last:
        return False
    for c in last:
        if not ("0" <= c <= "9"):
            return True
    return False


def _byte(b):
    return _netcore.int_in(b, 0, 255, "an address byte")


class IpAddress:
    """An IPv4 address. IpAddress() is the invalid address, equal to IpAddress.NONE."""

    PUBLIC_ADDRESS_URL = "http://www.sfml-dev.org/ip-provider.php"
    PUBLIC_ADDRESS_TIMEOUT = 10000  # ms; get_public_address never waits longer

    def __init__(self):
        self._v = 0
        self._ok = False

    @classmethod
    def _make(cls, v):
        ip = cls()
        ip._v = v
        ip._ok = True
        return ip

    @classmethod
    def from_string(cls, string):
        """A dotted address (inet_aton's rules) or a host name (resolved) -> IpAddress.
        Anything that does not parse or resolve gives IpAddress.NONE."""
        if type(string) is bytes or type(string) is bytearray:
            try:
                string = bytes(string).decode()
            except UnicodeError:
                return NONE
        if type(string) is not str:
            raise TypeError("from_string needs a str, not %s" % type(string).__name__)
        v = _netcore.aton(string, False)
        if v is not None:
            return cls._make(v)
        if not _could_be_hostname(string):
            return NONE
        try:
            import socket  # only names need the resolver

            return cls._make(_netcore.aton(socket.gethostbyname(string)))
        except OSError:
            return NONE

    @classmethod
    def from_integer(cls, integer):
        if type(integer) is not int:
            raise TypeError("from_integer needs an int, not %s" % type(integer).__name__)
        if not 0 <= integer <= _MAX:
            raise OverflowError("address integer out of range 0-0xFFFFFFFF: %d" % integer)
        return cls._make(integer)

    @classmethod
    def from_bytes(cls, b0, b1, b2, b3):
        return cls._make((_byte(b0) << 24) | (_byte(b1) << 16) | (_byte(b2) << 8) | _byte(b3))

    @property
    def string(self):
        """Dotted-decimal text ("0.0.0.0" for NONE, as in pySFML)."""
        return _netcore.quad(self._v)

    @property
    def integer(self):
        return self._v

    @property
    def bytes(self):
        v = self._v
        return bytes((v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255))

    def __eq__(self, other):
        return isinstance(other, IpAddress) and self._ok == other._ok and self._v == other._v

    def __ne__(self, other):
        return not self.__eq__(other)

    def _key(self, other):
        if not isinstance(other, IpAddress):
            raise TypeError("cannot order IpAddress and %s" % type(other).__name__)
        # SFML's order: invalid first, then numerically (big-endian).
        return (self._ok, self._v), (other._ok, other._v)

    def __lt__(self, other):
        a, b = self._key(other)
        return a < b

    def __le__(self, other):
        a, b = self._key(other)
        return a <= b

    def __gt__(self, other):
        a, b = self._key(other)
        return a > b

    def __ge__(self, other):
        a, b = self._key(other)
        return a >= b

    def __hash__(self):
        return self._v if self._ok else -1

    def __repr__(self):
        return "IpAddress(%r)" % self.string if self._ok else "IpAddress.NONE"

    def __str__(self):
        return self.string

    @classmethod
    def get_local_address(cls):
        """This machine's address on its active interface, without sending anything;
        NONE when there is none."""
        from sfnet._local import local_address

        v = local_address()
        return NONE if v is None else cls._make(v)

    @classmethod
    def get_public_address(cls, timeout=None, url=None):
        """Ask an HTTP provider (url, default PUBLIC_ADDRESS_URL) for our public address.
        Returns None on any network or reply failure (a malformed url raises ValueError
        or TypeError); never takes longer than timeout (a Time or ms, default
        PUBLIC_ADDRESS_TIMEOUT)."""
        from sfnet._local import public_address

        v = public_address(url or cls.PUBLIC_ADDRESS_URL, timeout, cls.PUBLIC_ADDRESS_TIMEOUT)
        return None if v is None else cls._make(v)


# Class constants made once the class exists (type checkers can't see them: hence the ignores).
NONE = IpAddress()
IpAddress.NONE = NONE  # type: ignore[attr-defined]
IpAddress.ANY = IpAddress._make(0)  # type: ignore[attr-defined]
IpAddress.LOCAL_HOST = IpAddress._make(0x7F000001)  # type: ignore[attr-defined]
IpAddress.BROADCAST = IpAddress._make(_MAX)  # type: ignore[attr-defined]


def to_ip(address, what="address"):
    """An IpAddress or a str (resolved) -> 32-bit int; SocketError-free checks here,
    the caller decides what an invalid address means."""
    if isinstance(address, IpAddress):
        return address._v if address._ok else None
    if type(address) is str:
        ip = IpAddress.from_string(address)
        return ip._v if ip._ok else None
    raise TypeError("%s must be an IpAddress or a str, not %s" % (what, type(address).__name__))


def host_text(host, what="host"):
    """A host for Http/Ftp (a str, bytes or an IpAddress) -> str. IpAddress.NONE is
    refused (ValueError): it reads as "0.0.0.0", which is no host to connect to."""
    if type(host) is bytes:
        host = host.decode()
    if type(host) is str:
        return host
    if isinstance(host, IpAddress):
        if not host._ok:
            raise ValueError("%s is IpAddress.NONE (an invalid address, not a host)" % what)
        return host.string
    s = getattr(host, "string", None)  # another address object with a dotted .string
    if type(s) is str:
        return s
    raise TypeError("%s must be a str or an IpAddress, not %s" % (what, type(host).__name__))
