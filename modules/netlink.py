# netlink: link state shared by every network interface (wifi, eth, host).
#
# - generation(): an integer bumped on every link drop. A socket or the facade
#   remembers it when it opens and compares later: a different value means the link
#   went down in between, so the connection is stale.
# - on_change(cb) / remove(cb): link-state callbacks, cb(iface, up, generation).
# - the typed link errors (LinkError and subclasses), shared by wifi and eth.
# - the driver registry that drivers' init() fills (Zerynth's __default_net).
#
# No imports: socket can import this module for the price of a few small objects.

_gen = 0
_up = {}          # iface name -> True while that interface has an IP
_callbacks = []
_watchers = []    # fn() polled by poll(): drivers check their link, supervisors step
_drivers = {}     # "wifi" / "eth" -> driver object
_polling = False
hostname = None   # set_hostname(): applied by drivers before their interface starts


class LinkError(OSError):
    """An interface could not be brought up (or was asked something it cannot do)."""


class WrongPassword(LinkError):
    """The access point rejected the password, consistently."""


class NoAccessPoint(LinkError):
    """No access point with that SSID was found."""


class LinkTimeout(LinkError):
    """The link did not come up within the timeout."""


class DhcpTimeout(LinkError):
    """Associated / cable up, but no address from DHCP within the timeout."""


class NoCable(LinkError):
    """Ethernet: the PHY reports no link (cable unplugged, switch off)."""


class PhyInitFailed(LinkError):
    """Ethernet: the MAC/PHY could not be initialised (wrong pins, PHY address, clock)."""


def generation():
    """The link generation: bumped on every link drop, on any interface.

    Polls the registered drivers first (one status query each), so a drop is seen
    even if nothing else looked at the link since."""
    poll()
    return _gen


def poll():
    """Let every interface check its link and every supervisor take a step."""
    global _polling
    if _polling:  # a watcher that itself waits must not re-enter
        return
    _polling = True
    try:
        for fn in _watchers:
            try:
                fn()
            except Exception as e:  # a driver hiccup must not break a socket's wait
                import sys
                sys.print_exception(e)
    finally:
        _polling = False


def is_up(iface=None):
    """True if `iface` (or any interface, when None) has an IP address."""
    if iface is None:
        for v in _up.values():
            if v:
                return True
        return False
    return _up.get(iface, False)


def on_change(cb):
    """Register cb(iface, up, generation); called on every link up and link drop."""
    if not callable(cb):
        raise TypeError("callback must be callable")
    if cb not in _callbacks:
        _callbacks.append(cb)


def remove(cb):
    if cb in _callbacks:
        _callbacks.remove(cb)


def set_up(iface):
    """Drivers/shims call this when `iface` got its IP address."""
    if _up.get(iface):
        return
    _up[iface] = True
    _notify(iface, True)


def set_down(iface):
    """Drivers/shims call this when `iface` lost its link: bumps the generation."""
    global _gen
    if not _up.get(iface):
        return
    _up[iface] = False
    _gen += 1
    _notify(iface, False)


def _notify(iface, up):
    for cb in tuple(_callbacks):
        try:
            cb(iface, up, _gen)
        except Exception as e:  # a broken callback must not break the link logic
            import sys
            sys.print_exception(e)


def add_watcher(fn):
    if fn not in _watchers:
        _watchers.append(fn)


def remove_watcher(fn):
    if fn in _watchers:
        _watchers.remove(fn)


def register(kind, driver):
    """A driver's init() registers itself as the "wifi" or "eth" implementation."""
    _drivers[kind] = driver


def driver(kind):
    d = _drivers.get(kind)
    if d is None:
        raise LinkError("no %s driver: call e.g. %s.init() first" % (
            kind, "drivers.wifi.esp32wifi" if kind == "wifi" else "drivers.eth.esp32eth"))
    return d


def has_driver(kind):
    return kind in _drivers


# Interface states reported by every driver's state(); the shims decide on these.
DOWN = 0        # not started, or idle
CONNECTING = 1  # association / link negotiation in progress
NO_IP = 2       # associated (Wi-Fi) or cable up (Ethernet), waiting for DHCP
UP = 3          # has an IP address
FAIL_AUTH = 4   # the last attempt was rejected for authentication
FAIL_NOAP = 5   # the last attempt found no access point
FAIL = 6        # the last attempt failed for another reason
NO_CABLE = 7    # Ethernet started, PHY reports no link


def set_hostname(name):
    """The DHCP hostname for every interface. It is applied before an interface
    starts; an interface that is already up announces it on its next link()."""
    global hostname
    if name is not None:
        if type(name) is not str or not 0 < len(name) <= 32:
            raise ValueError("hostname must be a str of 1 to 32 characters")
        for c in name:
            if not (c.isalpha() or c.isdigit() or c == "-") or ord(c) > 127:
                raise ValueError("hostname may only hold ASCII letters, digits and '-': %r" % name)
        if name[0] == "-" or name[-1] == "-":
            raise ValueError("hostname must not start or end with '-': %r" % name)
    hostname = name


async def watch(period_ms=500):
    """asyncio task that polls every period_ms: drops are noticed (generation,
    callbacks) and auto_reconnect supervisors run while the program awaits.

        asyncio.create_task(netlink.watch())
    """
    import asyncio
    while True:
        poll()
        await asyncio.sleep_ms(period_ms)


def background(period_ms=500, timer_id=0):
    """Poll from a machine.Timer (soft callback) every period_ms; returns the Timer.
    For programs without asyncio. Ports without machine.Timer raise OSError."""
    try:
        from machine import Timer
    except ImportError:
        raise OSError("no machine.Timer on this port: run netlink.watch() in asyncio")
    t = Timer(timer_id)
    t.init(period=period_ms, mode=Timer.PERIODIC, callback=lambda t: poll())
    return t
