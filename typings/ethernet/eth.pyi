"""ethernet.eth (modules/ethernet/eth.py): Zerynth-style Ethernet. Times in MILLISECONDS."""

from typing import Any
from typing_extensions import Self

from netlink import UP as UP, LinkError as LinkError, LinkTimeout as LinkTimeout, DhcpTimeout as DhcpTimeout, NoCable as NoCable, PhyInitFailed as PhyInitFailed, on_change as on_change, remove as remove, set_hostname as set_hostname
DEFAULT_TIMEOUT: int
def link(timeout: int = ..., board: str | None = ...) -> str:
    """Start Ethernet and wait for an address; return the IP address, or raise
    PhyInitFailed / NoCable / DhcpTimeout / LinkTimeout within timeout + 1 s.

    board: a name from drivers.boards (e.g. "WT32_ETH01") when no driver was
    initialised yet; default: this firmware's board. After a successful link a
    cable pulled and plugged back recovers by itself (ESP-IDF restarts DHCP); a
    failed link() stops the interface."""
def unlink() -> None: ...
def is_linked() -> bool: ...
def link_info() -> tuple[str, str, str, str, bytes]:
    """(ip, mask, gateway, dns, mac) of the Ethernet interface."""
def set_link_info(ip: str, mask: str | None = ..., gateway: str | None = ..., dns: str | None = ...) -> None:
    """Static address for the next link(); ip "0.0.0.0" goes back to DHCP."""
def gethostbyname(name: str) -> str: ...
