# The seconds view of socket, for modules written for MicroPython's or CPython's
# socket (umqtt, ntptime, requests, asyncio, ...): the same module as _socket_ms, except
# that settimeout, gettimeout, setdefaulttimeout, getdefaulttimeout and
# create_connection(timeout=) speak seconds (int or float). socket.py decides who gets
# which view. Sockets are the library's sockets, so everything else (addresses, errors,
# deadlines, memory) is identical; the timeout is kept in ms inside.
import _socket_ms as _ms

_SEC = 1000  # ms per second


def _ms_of(seconds):
    return _ms._check_timeout(seconds, _SEC, "seconds")


def _seconds_of(ms):
    return None if ms is None else ms / _SEC


class socket(_ms.socket):
    _UNIT = "s"

    def settimeout(self, seconds):
        """Timeout in SECONDS for every blocking call; 0 = non-blocking, None = blocking."""
        _ms.socket.settimeout(self, _ms_of(seconds))

    def gettimeout(self):
        return _seconds_of(self._timeout)


def setdefaulttimeout(seconds):
    """Default timeout in seconds for new sockets (None = blocking). One default for
    the whole process: a socket made by either view starts with it."""
    _ms.setdefaulttimeout(_ms_of(seconds))


def getdefaulttimeout():
    return _seconds_of(_ms.getdefaulttimeout())


_DEFAULT = object()


def create_connection(address, timeout=_DEFAULT, source_address=None):
    """CPython's create_connection; the timeout (seconds) is one deadline for the call."""
    ms = _ms.getdefaulttimeout() if timeout is _DEFAULT else _ms_of(timeout)
    return _ms._connect_any(socket, address, ms, source_address)


def create_server(address, backlog=None, reuse_port=False, family=_ms.AF_INET, dualstack_ipv6=False):
    return _ms._listen_on(socket, address, backlog, reuse_port, family, dualstack_ipv6)


def __getattr__(name):
    # Everything without a unit is the library module's own object: looked up on first
    # use and kept here, so the view costs only the names its importers use.
    if name == "__all__":
        return [n for n in dir(_ms) if n[0] != "_"]
    value = getattr(_ms, name)
    globals()[name] = value
    return value
