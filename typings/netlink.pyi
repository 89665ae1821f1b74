"""netlink (modules/netlink.py): link state shared by every interface: errors, generation, callbacks."""

from typing import Any
from typing_extensions import Self

hostname: None

class LinkError(OSError):
    """An interface could not be brought up (or was asked something it cannot do)."""
    ...


class WrongPassword(LinkError):
    """The access point rejected the password, consistently."""
    ...


class NoAccessPoint(LinkError):
    """No access point with that SSID was found."""
    ...


class LinkTimeout(LinkError):
    """The link did not come up within the timeout."""
    ...


class DhcpTimeout(LinkError):
    """Associated / cable up, but no address from DHCP within the timeout."""
    ...


class NoCable(LinkError):
    """Ethernet: the PHY reports no link (cable unplugged, switch off)."""
    ...


class PhyInitFailed(LinkError):
    """Ethernet: the MAC/PHY could not be initialised (wrong pins, PHY address, clock)."""
    ...

def generation() -> Any:
    """The link generation: bumped on every link drop, on any interface.

    Polls the registered drivers first (one status query each), so a drop is seen
    even if nothing else looked at the link since."""
def poll() -> None:
    """Let every interface check its link and every supervisor take a step."""
def is_up(iface: Any | None = ...) -> Any:
    """True if `iface` (or any interface, when None) has an IP address."""
def on_change(cb: Any) -> None:
    """Register cb(iface, up, generation); called on every link up and link drop."""
def remove(cb: Any) -> None: ...
def set_up(iface: Any) -> None:
    """Drivers/shims call this when `iface` got its IP address."""
def set_down(iface: Any) -> None:
    """Drivers/shims call this when `iface` lost its link: bumps the generation."""
def add_watcher(fn: Any) -> None: ...
def remove_watcher(fn: Any) -> None: ...
def register(kind: Any, driver: Any) -> None:
    """A driver's init() registers itself as the "wifi" or "eth" implementation."""
def driver(kind: Any) -> Any: ...
def has_driver(kind: Any) -> Any: ...
DOWN: int
CONNECTING: int
NO_IP: int
UP: int
FAIL_AUTH: int
FAIL_NOAP: int
FAIL: int
NO_CABLE: int
def set_hostname(name: Any) -> None:
    """The DHCP hostname for every interface. It is applied before an interface
    starts; an interface that is already up announces it on its next link()."""
async def watch(period_ms: int = ...) -> None:
    """asyncio task that polls every period_ms: drops are noticed (generation,
    callbacks) and auto_reconnect supervisors run while the program awaits.

        asyncio.create_task(netlink.watch())"""
def background(period_ms: int = ..., timer_id: int = ...) -> Any:
    """Poll from a machine.Timer (soft callback) every period_ms; returns the Timer.
    For programs without asyncio. Ports without machine.Timer raise OSError."""
