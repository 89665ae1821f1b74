# netlink: the link generation, link-state callbacks, the error family, hostname.
import mptest
from mptest import eq, raises
import sys


def fresh():
    for name in ("netlink", "netif"):
        if name in sys.modules:
            del sys.modules[name]
    import netlink
    return netlink


def test_netlink_imports_nothing():
    if "netlink" in sys.modules:
        del sys.modules["netlink"]
    before = set(sys.modules)
    import netlink
    eq(sorted(set(sys.modules) - before), ["netlink"], "modules loaded by import netlink")


def test_generation_bumps_only_on_drops():
    nl = fresh()
    eq(nl.generation(), 0, "start")
    nl.set_down("wifi")           # was never up: not a drop
    eq(nl.generation(), 0, "down while down")
    nl.set_up("wifi")
    nl.set_up("wifi")
    eq(nl.generation(), 0, "ups")
    nl.set_down("wifi")
    nl.set_down("wifi")
    eq(nl.generation(), 1, "one drop")
    nl.set_up("eth")
    nl.set_down("eth")
    eq(nl.generation(), 2, "any interface")
    assert type(nl.generation()) is int


def test_is_up():
    nl = fresh()
    assert not nl.is_up() and not nl.is_up("wifi")
    nl.set_up("eth")
    assert nl.is_up() and nl.is_up("eth") and not nl.is_up("wifi")


def test_callbacks():
    nl = fresh()
    seen = []

    def cb(iface, up, gen):
        seen.append((iface, up, gen))
    nl.on_change(cb)
    nl.on_change(cb)  # registered once
    nl.set_up("wifi")
    nl.set_down("wifi")
    eq(seen, [("wifi", True, 0), ("wifi", False, 1)], "calls")
    nl.remove(cb)
    nl.set_up("wifi")
    eq(len(seen), 2, "after remove")
    raises(TypeError, nl.on_change, 42)


def test_broken_callback_does_not_break_the_others():
    nl = fresh()
    seen = []

    def bad(iface, up, gen):
        raise RuntimeError("user bug")
    nl.on_change(bad)
    nl.on_change(lambda iface, up, gen: seen.append(up))
    nl.set_up("eth")
    eq(seen, [True], "second callback still called")


def test_generation_polls_watchers_and_poll_is_not_reentrant():
    nl = fresh()
    calls = []

    def watcher():
        calls.append(1)
        nl.poll()        # a watcher that waits must not recurse
        nl.set_up("wifi")
        nl.set_down("wifi")
    nl.add_watcher(watcher)
    eq(nl.generation(), 1, "the watcher saw a drop before generation() answered")
    eq(len(calls), 1, "watcher calls")
    nl.remove_watcher(watcher)
    nl.generation()
    eq(len(calls), 1, "removed")


def test_failing_watcher_does_not_break_generation():
    nl = fresh()
    seen = []

    def bad():
        raise OSError("Wifi Unknown Error 0x0101")
    nl.add_watcher(bad)
    nl.add_watcher(lambda: seen.append(1))
    eq(nl.generation(), 0, "generation still answers")
    eq(seen, [1], "the other watcher still ran")


def test_error_family():
    nl = fresh()
    for cls in (nl.WrongPassword, nl.NoAccessPoint, nl.LinkTimeout, nl.DhcpTimeout,
                nl.NoCable, nl.PhyInitFailed):
        assert issubclass(cls, nl.LinkError), cls
    assert issubclass(nl.LinkError, OSError)
    from wireless import wifi
    from ethernet import eth
    assert wifi.WrongPassword is nl.WrongPassword and eth.NoCable is nl.NoCable


def test_hostname_validation():
    nl = fresh()
    nl.set_hostname("sensor-12")
    eq(nl.hostname, "sensor-12", "set")
    for bad in ("", "x" * 33, "has space", "under_score", "-lead", "trail-", "caf\u00e9"):
        raises(ValueError, nl.set_hostname, bad)
    raises(ValueError, nl.set_hostname, 12)
    eq(nl.hostname, "sensor-12", "unchanged after bad input")
    nl.set_hostname(None)
    eq(nl.hostname, None, "cleared")


def test_driver_registry():
    nl = fresh()
    assert not nl.has_driver("eth")
    e = raises(nl.LinkError, nl.driver, "eth")
    assert "esp32eth" in str(e), str(e)
    d = object()
    nl.register("eth", d)
    assert nl.driver("eth") is d


mptest.main(globals())
