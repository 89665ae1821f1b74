"""sfnet.ipaddress (modules/sfnet/ipaddress.py). Times in MILLISECONDS unless a name says otherwise."""

from typing import Any
from typing_extensions import Self


class IpAddress:
    """An IPv4 address. IpAddress() is the invalid address, equal to IpAddress.NONE."""
    PUBLIC_ADDRESS_URL: str
    PUBLIC_ADDRESS_TIMEOUT: int
    def __init__(self) -> None: ...
    @classmethod
    def from_string(cls, string: Any) -> Any:
        """A dotted address (inet_aton's rules) or a host name (resolved) -> IpAddress.
        Anything that does not parse or resolve gives IpAddress.NONE."""
    @classmethod
    def from_integer(cls, integer: Any) -> Any: ...
    @classmethod
    def from_bytes(cls, b0: Any, b1: Any, b2: Any, b3: Any) -> Any: ...
    @property
    def string(self) -> Any:
        """Dotted-decimal text ("0.0.0.0" for NONE, as in pySFML)."""
    @property
    def integer(self) -> Any: ...
    @property
    def bytes(self) -> Any: ...
    def __eq__(self, other: Any) -> Any: ...
    def __lt__(self, other: Any) -> Any: ...
    def __hash__(self) -> Any: ...
    def __str__(self) -> Any: ...
    @classmethod
    def get_local_address(cls) -> Any:
        """This machine's address on its active interface, without sending anything;
        NONE when there is none."""
    @classmethod
    def get_public_address(cls, timeout: int | None = ..., url: Any | None = ...) -> Any:
        """Ask an HTTP provider (url, default PUBLIC_ADDRESS_URL) for our public address.
        Returns None on any failure; never takes longer than timeout (a Time or ms,
        default PUBLIC_ADDRESS_TIMEOUT)."""
    NONE: IpAddress
    ANY: IpAddress
    LOCAL_HOST: IpAddress
    BROADCAST: IpAddress

NONE: Any
def to_ip(address: Any, what: str = ...) -> Any:
    """An IpAddress or a str (resolved) -> 32-bit int; SocketError-free checks here,
    the caller decides what an invalid address means."""
def host_text(host: Any, what: str = ...) -> str:
    """A host for Http/Ftp (a str, bytes or an IpAddress) -> str. IpAddress.NONE is
    refused (ValueError): it reads as "0.0.0.0", which is no host to connect to."""
