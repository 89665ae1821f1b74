# mptest: hw timeout=180
# Wi-Fi on a real ESP32 board. Needs testenv.WIFI_SSID / WIFI_PASSWORD (an access
# point the board can reach); skips without them.
import mptest
from mptest import eq, raises
import time
import testenv

SSID = getattr(testenv, "WIFI_SSID", None)
PASSWORD = getattr(testenv, "WIFI_PASSWORD", "")


def setup_each():
    if not SSID:
        mptest.skip("testenv.WIFI_SSID is not set for this board")


def wifi_up():
    from drivers.wifi import esp32wifi
    esp32wifi.init()
    from wireless import wifi
    return wifi


def ms_since(t0):
    return time.ticks_diff(time.ticks_ms(), t0)


def test_link_idempotent_and_info():
    wifi = wifi_up()
    ip = wifi.link(SSID, wifi.WIFI_WPA2, PASSWORD, 20000)
    eq(wifi.link_info()[0], ip, "ip")
    t0 = time.ticks_ms()
    eq(wifi.link(SSID, wifi.WIFI_WPA2, PASSWORD), ip, "again")
    assert ms_since(t0) < 100
    assert -100 < wifi.rssi() < 0
    assert any(ap[0] == SSID for ap in wifi.scan())


def test_wrong_password_then_recover():
    wifi = wifi_up()
    wifi.unlink()
    t0 = time.ticks_ms()
    raises(wifi.LinkError, wifi.link, SSID, wifi.WIFI_WPA2, "definitely-wrong-pw", 15000)
    assert ms_since(t0) < 15000 + 1000
    assert wifi.link(SSID, wifi.WIFI_WPA2, PASSWORD, 20000)


def test_no_access_point():
    wifi = wifi_up()
    wifi.unlink()
    t0 = time.ticks_ms()
    raises(wifi.LinkError, wifi.link, "no-such-ssid-7f3a", wifi.WIFI_WPA2, "password1", 10000)
    assert ms_since(t0) < 10000 + 1000


def test_background_timer_polls():
    import netlink
    wifi = wifi_up()
    wifi.link(SSID, wifi.WIFI_WPA2, PASSWORD, 20000)
    t = netlink.background(200)
    seen = []
    netlink.on_change(lambda iface, up, gen: seen.append(up))
    wifi._link.driver().sta.disconnect()  # a drop behind the shim's back
    time.sleep_ms(1000)
    t.deinit()
    eq(seen[:1], [False], "the timer noticed the drop")


mptest.main(globals())
