"""The project's socket module (modules/socket.py): BSD/Zerynth sockets with CPython
conveniences, over MicroPython's built-in socket.

TIMEOUTS ARE IN MILLISECONDS: settimeout(1500) waits 1.5 s. Addresses are accepted in
every form ("a.b.c.d", a host name, (a, b, c, d), 32-bit int, packed bytes) and always
returned as ("a.b.c.d", port).
"""

from typing import Any, overload
from typing_extensions import Buffer, Self, TypeAlias

_Host: TypeAlias = str | bytes | int | tuple[int, int, int, int] | None
_Address: TypeAlias = tuple[_Host, int] | tuple[_Host, int, int] | str
"""(host, port); the host may be "a.b.c.d", a name, a 4-tuple, an int or packed bytes."""
_AddrInfo: TypeAlias = tuple[int, int, int, str, tuple[str, int]]

AF_INET: int
AF_INET6: int
SOCK_STREAM: int
SOCK_DGRAM: int
SOCK_RAW: int
IPPROTO_IP: int
IPPROTO_TCP: int
IPPROTO_UDP: int
SOL_SOCKET: int
SO_REUSEADDR: int
SO_BROADCAST: int
SO_KEEPALIVE: int
SO_ERROR: int
SO_TYPE: int
TCP_NODELAY: int
IP_ADD_MEMBERSHIP: int
MSG_PEEK: int
MSG_DONTWAIT: int
"""Never waits, whatever the timeout (emulated; not passed to the built-in)."""
SO_RCVTIMEO: int
"""Zerynth: setsockopt(SOL_SOCKET, SO_RCVTIMEO, ms) sets the timeout."""
AF_CAN: int
"""Zerynth's constant; socket(AF_CAN) raises EAFNOSUPPORT."""
AI_PASSIVE: int
MSG_WAITALL: int
"""Emulated on every port: recv/recv_into wait for the full count (or EOF/timeout)."""
SHUT_RD: int
SHUT_WR: int
SHUT_RDWR: int
INADDR_ANY: str
INADDR_BROADCAST: str
EAI_NONAME: int
EAI_FAMILY: int
EAI_SOCKTYPE: int
EAI_SERVICE: int
EISCONN: int
EMSGSIZE: int
EPIPE: int
ENOPROTOOPT: int
EAFNOSUPPORT: int
ENOTCONN: int
EPROTONOSUPPORT: int

error = OSError
IOError = OSError

class timeout(OSError):
    """A call ran past its deadline (errno ETIMEDOUT)."""

class gaierror(OSError):
    """A host name or service could not be resolved."""

class herror(OSError): ...

TimeoutError = timeout

def getaddrinfo(host: str | bytes | None, port: int | str | bytes | None, family: int = 0,
                type: int = 0, proto: int = 0, flags: int = 0) -> list[_AddrInfo]:
    """CPython's getaddrinfo, IPv4 only: [(family, type, proto, '', ("a.b.c.d", port))]."""
def gethostbyname(name: str | bytes) -> str:
    """A host name or numeric address -> "a.b.c.d"."""
def ip_to_tuple(ip: str) -> tuple[int, int, int, int]:
    """'a.b.c.d' -> (a, b, c, d)."""
def inet_aton(ip: str) -> bytes:
    """inet_aton's rules ('127.1' and hex parts accepted) -> 4 bytes."""
def inet_ntoa(packed: Buffer) -> str: ...
def inet_pton(family: int, ip: str) -> bytes: ...
def inet_ntop(family: int, packed: Buffer) -> str: ...
def htons(x: int) -> int: ...
def htonl(x: int) -> int: ...
def ntohs(x: int) -> int: ...
def ntohl(x: int) -> int: ...
def setdefaulttimeout(ms: int | None) -> None:
    """Default timeout in MILLISECONDS for new sockets (None = blocking)."""
def getdefaulttimeout() -> int | None:
    """The default timeout in MILLISECONDS (None = blocking)."""
def seconds_for(name: str) -> None:
    """Give module or package `name` the SECONDS view from its next `import socket` on."""
def milliseconds_for(name: str) -> None:
    """Give module or package `name` the MILLISECONDS view, even if it is on the seconds list."""
def unit_for(name: str) -> str:
    """'s' or 'ms': the unit `import socket` gives module `name`."""

class socket:
    """A socket. Every blocking call honours settimeout(ms) and raises socket.timeout."""
    family: int
    type: int
    proto: int

    def __init__(self, family: int = ..., type: int = ..., proto: int = 0,
                 fileno: int | None = None) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> None: ...
    def close(self) -> None: ...
    def fileno(self) -> int: ...
    def detach(self) -> int: ...
    def settimeout(self, ms: int | float | None) -> None:
        """Timeout in MILLISECONDS for every blocking call; 0 = non-blocking, None = blocking."""
    def gettimeout(self) -> int | None:
        """The timeout in MILLISECONDS (None = blocking)."""
    def setblocking(self, flag: bool) -> None: ...
    def getblocking(self) -> bool: ...
    def bind(self, address: _Address) -> None: ...
    def listen(self, backlog: int = 2, maxlog: int | None = None) -> None: ...
    def connect(self, address: _Address) -> None: ...
    def connect_ex(self, address: _Address) -> int:
        """connect() that returns 0 or an errno instead of raising."""
    def accept(self) -> tuple[socket, tuple[str, int]]: ...
    def getpeername(self) -> tuple[str, int]: ...
    def getsockname(self) -> tuple[str, int]: ...
    def setsockopt(self, level: int, optname: int, value: int | Buffer) -> None: ...
    def getsockopt(self, level: int, optname: int, buflen: int = 0) -> int | bytes: ...
    def shutdown(self, how: int) -> None: ...
    def send(self, data: Buffer, flags: int = 0) -> int: ...
    def sendall(self, data: Buffer, flags: int = 0) -> None:
        """Send everything (no allocation); on timeout the error's .sent says how much went."""
    @overload
    def sendto(self, data: Buffer, a: _Address, b: None = None) -> int: ...
    @overload
    def sendto(self, data: Buffer, a: int, b: _Address) -> int: ...
    @overload
    def sendto(self, data: Buffer, a: _Address, b: int) -> int: ...
    def recv_into(self, buffer: Buffer, nbytes: int = -1, flags: int = 0,
                  bufsize: int | None = None) -> int:
        """Receive into a preallocated buffer (no allocation); 0 at end of stream.
        bufsize is Zerynth's name for nbytes; below 0 means the whole buffer."""
    def recv(self, bufsize: int, flags: int = 0) -> bytes: ...
    def recvfrom(self, bufsize: int, flags: int = 0) -> tuple[bytes, tuple[str, int] | None]:
        """One datagram (cut to bufsize, as BSD) and its sender; (data, None) on TCP."""
    def recvfrom_into(self, buffer: Buffer, nbytes: int = -1, flags: int = 0,
                      bufsize: int | None = None) -> tuple[int, tuple[str, int] | None]: ...
    def makefile(self, mode: str = "rb", buffering: int = 0, **kw: Any) -> socket: ...
    def readinto(self, buf: Buffer, nbytes: int = -1) -> int | None: ...
    def read(self, size: int = -1) -> bytes | None: ...
    def readline(self, limit: int = -1) -> bytes: ...
    def write(self, buf: Buffer, off: int | None = None, size: int | None = None) -> int | None: ...
    def flush(self) -> None: ...
    def ioctl(self, req: int, arg: int) -> int: ...

def create_connection(address: tuple[_Host, int], timeout: int | None = -1,
                      source_address: _Address | None = None) -> socket:
    """Connect to (host, port); `timeout` (MILLISECONDS) is one deadline for the whole call."""
def create_server(address: _Address, backlog: int | None = None, reuse_port: bool = False,
                  family: int = ..., dualstack_ipv6: bool = False) -> socket:
    """A listening TCP socket bound to address (SO_REUSEADDR set); IPv4 only."""
def has_dualstack_ipv6() -> bool:
    """Always False: IPv4 only."""
