# Open sockets notice a link drop (netlink's link generation): a wait on a connected
# socket ends with ECONNABORTED soon after the interface loses its link, instead of
# running to its timeout. Uses the simulated ESP32 network (tests/lib/simnet).
# mptest: timeout=60
import mptest
from mptest import eq, raises
import errno
import time
import socket
import simnet
import netutil

network = simnet.install()


def linked_wifi():
    world = simnet.boot(aps=(network.AP("home", "password1"),))
    from drivers.wifi import esp32wifi
    esp32wifi.init()
    from wireless import wifi
    wifi.link("home", wifi.WIFI_WPA2, "password1", 5000)
    return world, wifi


def test_blocked_recv_ends_when_the_link_drops():
    world, wifi = linked_wifi()
    s = netutil.scenario("hold 5000", timeout=10000)
    world.drop()
    t0 = time.ticks_ms()
    e = raises(OSError, s.recv, 10)
    dt = time.ticks_diff(time.ticks_ms(), t0)
    eq(e.errno, errno.ECONNABORTED, "errno")
    assert "link dropped" in str(e), str(e)
    assert dt < 2000, "noticed the drop after %d ms (timeout was 10 s)" % dt
    s.close()


def test_socket_opened_after_the_drop_is_fine():
    world, wifi = linked_wifi()
    world.drop()
    time.sleep_ms(50)
    s = netutil.scenario("delay 300 4", timeout=3000)
    eq(s.recv(4, socket.MSG_WAITALL), netutil.pattern(4), "a connection made after the drop works")
    s.close()


def test_unwatched_without_interfaces():
    import sys

    for name in list(sys.modules):
        if name == "netlink":
            del sys.modules[name]
    s = netutil.scenario("hold 1000", timeout=300)
    eq(s._gen, None, "no interface module loaded: nothing to watch")
    raises(socket.timeout, s.recv, 10)
    s.close()


mptest.main(globals())
