# Wi-Fi guarantees of wireless.wifi + drivers.wifi.esp32wifi, against the simulated
# ESP32 network module (tests/lib/simnet), which reproduces the firmware's faults.
# mptest: timeout=120
import mptest
from mptest import eq, raises
import sys
import time
import simnet

network = simnet.install()
AP = network.AP


def boot(*aps, **kw):
    """Power-on with these access points; returns (world, wifi, netlink)."""
    world = simnet.boot(aps=aps, **kw)
    from drivers.wifi import esp32wifi
    esp32wifi.init()
    from wireless import wifi
    import netlink
    return world, wifi, netlink


def ms_since(t0):
    return time.ticks_diff(time.ticks_ms(), t0)


def settle(ms):
    """Let ms of simulated time pass (the firmware's event handler keeps running). On
    the simulation's virtual clock: no waiting, and the same outcome on a loaded machine."""
    network.world.run(ms)


def test_link_returns_ip_and_info():
    world, wifi, netlink = boot(AP("home", "password1", channel=6))
    ip = wifi.link("home", wifi.WIFI_WPA2, "password1")
    eq(ip, "192.168.16.42", "DHCP address")
    assert wifi.is_linked()
    info = wifi.link_info()
    eq(info[:4], ("192.168.16.42", "255.255.255.0", "192.168.16.1", "192.168.16.1"), "ifconfig")
    eq(info[4], network.WLAN(network.WLAN.IF_STA).config("mac"), "mac")
    eq(len(world.leases), 1, "one lease")


def test_zerynth_example_with_explicit_init():
    # the exact user code from the spec, on the simulated firmware
    boot(AP("My SSID", "password"))
    from drivers.wifi import esp32wifi
    esp32wifi.init()
    from wireless import wifi
    assert wifi.link("My SSID", wifi.WIFI_WPA2, "password").startswith("192.168.")


def test_link_is_idempotent():
    world, wifi, _ = boot(AP("home", "password1"))
    wifi.link("home", wifi.WIFI_WPA2, "password1")
    calls = world.connect_calls
    world.assoc_ms = world.dhcp_ms = 3000  # a needless reconnect would now take 6 s
    t0 = time.ticks_ms()
    eq(wifi.link("home", wifi.WIFI_WPA2, "password1"), "192.168.16.42", "second link")
    assert ms_since(t0) < 1000, "already linked must return at once"
    eq(world.connect_calls, calls, "connect() calls")


def test_raw_double_connect_is_wifi_internal_error():
    # the firmware fault the shim must avoid
    boot(AP("home", "password1"))
    sta = network.WLAN(network.WLAN.IF_STA)
    sta.active(True)
    sta.connect("home", "password1")
    e = raises(OSError, sta.connect, "home", "password1")
    eq(e.args[0], "Wifi Internal Error", "message")


def test_raw_firmware_reconnect_rules():
    # config(reconnects=n): n retries, then status() shows the reason; -1 = forever
    world, wifi, _ = boot(AP("home", "password1"))
    sta = network.WLAN(network.WLAN.IF_STA)
    raises(OSError, sta.connect, "home", "password1")  # "Wifi Not Started"
    sta.active(True)
    sta.config(reconnects=2)
    eq(sta.config("reconnects"), 2, "reconnects")
    sta.connect("home", "wrong-password")
    settle(300)
    eq(len(world.attempts), 3, "one attempt + two reconnects")
    eq(sta.status(), network.STAT_WRONG_PASSWORD, "the reason, once retries are spent")
    raises(OSError, sta.status, "rssi")  # "Wifi Not Connected"
    sta.disconnect()
    assert sta.status() not in (network.STAT_CONNECTING, network.STAT_GOT_IP)


def test_connect_in_progress_is_not_repeated():
    world, wifi, _ = boot(AP("home", "password1"))
    sta = network.WLAN(network.WLAN.IF_STA)  # boot.py started a connection already
    sta.active(True)
    sta.connect("home", "password1")
    eq(wifi.link("home", wifi.WIFI_WPA2, "password1"), "192.168.16.42", "link")
    eq(world.connect_calls, 1, "connect() calls: only boot.py's")


def test_already_connected_by_boot_py_returns_at_once():
    world, wifi, _ = boot(AP("home", "password1"))
    sta = network.WLAN(network.WLAN.IF_STA)
    sta.active(True)
    sta.connect("home", "password1")
    settle(100)
    eq(sta.status(), network.STAT_GOT_IP, "raw status")
    world.assoc_ms = world.dhcp_ms = 3000  # a needless reconnect would now take 6 s
    t0 = time.ticks_ms()
    wifi.link("home", wifi.WIFI_WPA2, "password1")
    assert ms_since(t0) < 1000, "already connected must return at once"
    eq(world.connect_calls, 1, "connect() calls")


def test_wrong_password():
    world, wifi, netlink = boot(AP("home", "password1"))
    t0 = time.ticks_ms()
    e = raises(wifi.WrongPassword, wifi.link, "home", wifi.WIFI_WPA2, "password2", 5000)
    assert isinstance(e, netlink.LinkError) and isinstance(e, OSError)
    assert ms_since(t0) < 5000 + 1000
    assert len(world.attempts) >= 3, "decided only after consistent failures"
    assert not wifi.is_linked()


def test_wrong_password_as_handshake_timeout():
    # some chips (C3) report a wrong PSK as a handshake timeout
    world, wifi, _ = boot(AP("home", "password1",
                             wrong_password_reason=network.STAT_HANDSHAKE_TIMEOUT))
    raises(wifi.WrongPassword, wifi.link, "home", wifi.WIFI_WPA2, "password2", 5000)


def test_transient_auth_failure_then_success():
    world, wifi, _ = boot(AP("home", "password1", auth_failures=2))
    eq(wifi.link("home", wifi.WIFI_WPA2, "password1", 5000), "192.168.16.42", "link")
    eq(len(world.attempts), 3, "two transient failures, then success")


def test_no_access_point():
    world, wifi, _ = boot(AP("home", "password1"))
    t0 = time.ticks_ms()
    raises(wifi.NoAccessPoint, wifi.link, "elsewhere", wifi.WIFI_WPA2, "password1", 5000)
    assert ms_since(t0) < 5000 + 1000


def test_failure_stops_the_endless_reconnect_loop():
    for legacy in (False, True):
        world, wifi, _ = boot(AP("home", "password1"), legacy_status=legacy)
        sta = network.WLAN(network.WLAN.IF_STA)
        sta.active(True)
        sta.connect("home", "bad-password")  # firmware default: reconnect forever
        settle(200)
        # current firmware shows the reason, older firmware hides it; both keep retrying
        eq(sta.status(), network.STAT_CONNECTING if legacy else network.STAT_WRONG_PASSWORD,
           "raw status")
        assert len(world.attempts) >= 3, "the firmware retries endlessly"
        raises(wifi.WrongPassword, wifi.link, "home", wifi.WIFI_WPA2, "bad-password", 5000)
        n = len(world.attempts)
        settle(300)
        eq(len(world.attempts), n, "attempts after the failure")
        assert sta.status() != network.STAT_CONNECTING


def test_legacy_firmware_outcomes():
    # older firmware: STAT_CONNECTING hides every reason while reconnects remain
    world, wifi, _ = boot(AP("home", "password1", auth_failures=1),
                          AP("lab", "password1", dhcp=False), legacy_status=True)
    raises(wifi.WrongPassword, wifi.link, "home", wifi.WIFI_WPA2, "password2", 5000)
    raises(wifi.NoAccessPoint, wifi.link, "nowhere", wifi.WIFI_WPA2, "password1", 5000)
    raises(wifi.DhcpTimeout, wifi.link, "lab", wifi.WIFI_WPA2, "password1", 300)
    eq(wifi.link("home", wifi.WIFI_WPA2, "password1", 5000), "192.168.16.42", "link")


def test_stale_status_after_disconnect_is_not_a_failure():
    # current firmware: after disconnect() status() stays STAT_IDLE during the next
    # attempt, and after a failure it keeps the old reason: neither is a verdict
    world, wifi, _ = boot(AP("home", "password1"), AP("lab", "password1", dhcp=False))
    raises(wifi.WrongPassword, wifi.link, "home", wifi.WIFI_WPA2, "password2", 5000)
    raises(wifi.DhcpTimeout, wifi.link, "lab", wifi.WIFI_WPA2, "password1", 300)
    n = len(world.attempts)
    raises(wifi.WrongPassword, wifi.link, "home", wifi.WIFI_WPA2, "password2", 5000)
    assert len(world.attempts) - n >= 3, "three real attempts, not three stale readings"
    eq(wifi.link("home", wifi.WIFI_WPA2, "password1", 5000), "192.168.16.42", "link")


def test_wrong_password_as_connection_fail():
    # CONNECTION_FAIL (205, no STAT_ name) is reported as STAT_WRONG_PASSWORD
    world, wifi, _ = boot(AP("home", "password1",
                             wrong_password_reason=network.REASON_CONNECTION_FAIL))
    raises(wifi.WrongPassword, wifi.link, "home", wifi.WIFI_WPA2, "password2", 5000)


def test_dhcp_timeout():
    world, wifi, _ = boot(AP("home", "password1", dhcp=False))
    t0 = time.ticks_ms()
    raises(wifi.DhcpTimeout, wifi.link, "home", wifi.WIFI_WPA2, "password1", 400)
    assert ms_since(t0) < 400 + 1000


def test_link_timeout():
    world, wifi, _ = boot(AP("home", "password1"), assoc_ms=5000)
    t0 = time.ticks_ms()
    e = raises(wifi.LinkTimeout, wifi.link, "home", wifi.WIFI_WPA2, "password1", 300)
    assert ms_since(t0) < 300 + 1000
    assert "STAT_CONNECTING" in str(e), str(e)


def test_a_float_link_timeout_is_milliseconds_rounded_up():
    import netif
    eq(netif.check_timeout(299.2), 300, "as a socket's timeout")
    world, wifi, _ = boot(AP("home", "password1"), assoc_ms=5000)
    t0 = time.ticks_ms()
    raises(wifi.LinkTimeout, wifi.link, "home", wifi.WIFI_WPA2, "password1", 299.2)
    assert ms_since(t0) < 300 + 1000


def test_unlink():
    world, wifi, netlink = boot(AP("home", "password1"))
    wifi.link("home", wifi.WIFI_WPA2, "password1")
    g = netlink.generation()
    wifi.unlink()
    assert not wifi.is_linked()
    eq(netlink.generation(), g + 1, "generation after unlink")
    n = len(world.attempts)
    settle(100)
    eq(len(world.attempts), n, "no reconnection after unlink")


def test_drop_bumps_generation_and_calls_back():
    world, wifi, netlink = boot(AP("home", "password1"))
    seen = []
    netlink.on_change(lambda iface, up, gen: seen.append((iface, up, gen)))
    wifi.link("home", wifi.WIFI_WPA2, "password1")
    g = netlink.generation()
    eq(seen, [("wifi", True, g)], "callback on link up")
    world.drop()
    eq(netlink.generation(), g + 1, "generation after the drop")
    eq(seen[-1], ("wifi", False, g + 1), "callback on the drop")
    assert not wifi.is_linked()
    n = len(world.attempts)
    settle(100)
    eq(len(world.attempts), n, "no reconnection without auto_reconnect")


def test_auto_reconnect_with_exponential_backoff():
    world, wifi, netlink = boot(AP("home", "password1"))
    wifi.link("home", wifi.WIFI_WPA2, "password1", auto_reconnect=True)
    wifi.auto_reconnect(True, first=100, maximum=400)
    ap = world.aps["home"]
    world.remove_ap("home")
    world.drop()
    t_drop = world.now()  # the clock world.attempts is stamped with
    n0 = len(world.attempts)
    while ms_since(t_drop) < 1300:
        netlink.poll()
        time.sleep_ms(10)
    starts = [time.ticks_diff(t, t_drop) for t in world.attempts[n0:]]
    assert len(starts) >= 3, starts
    gaps = [starts[0]] + [starts[i] - starts[i - 1] for i in range(1, len(starts))]
    # each wait at least the backoff: 100, 200, 400, 400 ... (lower bounds only)
    want = 100
    for gap in gaps:
        assert gap >= want - 5, (gaps, want)
        want = min(want * 2, 400)
    world.add_ap(ap)
    t0 = time.ticks_ms()
    while not wifi.is_linked() and ms_since(t0) < 3000:
        netlink.poll()
        time.sleep_ms(10)
    assert wifi.is_linked(), "reconnected once the AP is back"


def test_asyncio_watch_drives_the_supervisor():
    import asyncio
    world, wifi, netlink = boot(AP("home", "password1"))
    wifi.link("home", wifi.WIFI_WPA2, "password1", auto_reconnect=True)
    wifi.auto_reconnect(True, first=50, maximum=100)
    seen = []
    netlink.on_change(lambda iface, up, gen: seen.append(up))

    async def main():
        task = asyncio.create_task(netlink.watch(20))
        world.drop()  # the AP stays: the first reconnect attempt succeeds
        for _ in range(100):
            await asyncio.sleep_ms(20)
            if seen == [False, True]:
                break
        task.cancel()
    asyncio.run(main())
    eq(seen, [False, True], "drop noticed and link restored by the watch task alone")


def test_background_timer_needs_machine_timer():
    world, wifi, netlink = boot()
    import machine
    if hasattr(machine, "Timer"):
        mptest.skip("this port has machine.Timer: covered by the hw test")
    raises(OSError, netlink.background)


def test_hostname_applied_before_start():
    world, wifi, netlink = boot(AP("home", "password1"))
    wifi.set_hostname("board-7")
    wifi.link("home", wifi.WIFI_WPA2, "password1")
    eq(world.leases[-1], ("sta", "board-7"), "DHCP hostname")


def test_simulation_does_not_depend_on_how_often_it_is_looked_at():
    # A loaded machine looks at the simulation late and seldom. Association (20 ms)
    # and then DHCP (20 ms more) must both have happened 150 ms later, looked at once,
    # each at its own time: the DHCP step is timed from the association, not from when
    # the simulation next noticed it.
    world, wifi, _ = boot(AP("home", "password1"))
    sta = network.WLAN(network.WLAN.IF_STA)
    sta.active(True)
    t0 = world.now()
    sta.connect("home", "password1")
    time.sleep_ms(150)  # nobody looks meanwhile
    eq(sta.status(), network.STAT_GOT_IP, "status when first looked at")
    eq(len(world.leases), 1, "leases")
    # and simulated time can pass without waiting at all: a wrong password with
    # reconnects=3 has made all its attempts 30 ms apart after run(200)
    world, wifi, _ = boot(AP("home", "password1"))
    sta = network.WLAN(network.WLAN.IF_STA)
    sta.active(True)
    sta.config(reconnects=3)
    sta.connect("home", "wrong")
    t0 = world.now()
    world.run(200)
    eq(len(world.attempts), 4, "attempts")
    gaps = [time.ticks_diff(b, a) for a, b in zip(world.attempts, world.attempts[1:])]
    eq(gaps, [30, 30, 30], "simulated time between attempts")
    assert time.ticks_diff(world.now(), t0) >= 200


def test_raw_hostname_rules():
    # current firmware: connect() hands the name to DHCP; a later change is not seen
    world, wifi, _ = boot(AP("home", "password1"))
    sta = network.WLAN(network.WLAN.IF_STA)
    sta.active(True)
    network.hostname("before-connect")
    sta.connect("home", "password1")
    network.hostname("too-late")
    settle(100)
    eq(world.leases[-1], ("sta", "before-connect"), "lease")


def test_legacy_hostname_after_start_needs_a_restart():
    # older firmware took the name when the interface started: the shim restarts
    # an idle interface that was started under another name
    world, wifi, _ = boot(AP("home", "password1"), legacy_status=True)
    sta = network.WLAN(network.WLAN.IF_STA)
    sta.active(True)
    network.hostname("late-name")
    sta.connect("home", "password1")
    settle(100)
    eq(world.leases[-1], ("sta", "espressif"), "raw lease")
    sta.disconnect()
    wifi.set_hostname("late-name")
    wifi.link("home", wifi.WIFI_WPA2, "password1")
    eq(world.leases[-1], ("sta", "late-name"), "lease through the shim")


def test_static_ip_then_back_to_dhcp():
    world, wifi, _ = boot(AP("home", "password1"))
    wifi.set_link_info("192.168.16.50", "255.255.255.0", "192.168.16.1", "1.1.1.1")
    eq(wifi.link("home", wifi.WIFI_WPA2, "password1"), "192.168.16.50", "static")
    eq(wifi.link_info()[:4], ("192.168.16.50", "255.255.255.0", "192.168.16.1", "1.1.1.1"), "info")
    eq(world.leases, [], "no DHCP with a static address")
    wifi.unlink()
    wifi.set_link_info("0.0.0.0")
    eq(wifi.link("home", wifi.WIFI_WPA2, "password1"), "192.168.16.42", "DHCP again")


def test_static_ip_defaults():
    world, wifi, _ = boot(AP("home", "password1"))
    wifi.set_link_info("10.1.2.3")
    wifi.link("home", wifi.WIFI_WPA2, "password1")
    eq(wifi.link_info()[:4], ("10.1.2.3", "255.255.255.0", "10.1.2.1", "8.8.8.8"), "defaults")


def test_switching_ssid_never_double_connects():
    world, wifi, netlink = boot(AP("home", "password1", channel=1), AP("office", "password2", channel=2))
    wifi.link("home", wifi.WIFI_WPA2, "password1")
    g = netlink.generation()
    eq(wifi.link("office", wifi.WIFI_WPA2, "password2"), "192.168.12.42", "office")
    eq(netlink.generation(), g + 1, "leaving home is a drop")


def test_try_link():
    world, wifi, _ = boot(AP("home", "password1", auth_failures=4))
    # attempt 1: three auth failures -> WrongPassword; attempt 2: one more, then success
    eq(wifi.try_link("home", "password1", attempts=3, delay=10, timeout=5000), "192.168.16.42", "ip")
    e = raises(wifi.NoAccessPoint, wifi.try_link, "nowhere", "password1", wifi.WIFI_WPA2, 2, 10, 2000)
    assert "no access point" in str(e)


def test_scan_maps_security():
    world, wifi, _ = boot(AP("open", "", authmode=network.AUTH_OPEN, rssi=-40, channel=1),
                          AP("wpa3", "password1", authmode=network.AUTH_WPA3_PSK, rssi=-70, channel=2),
                          AP("mixed", "password1", authmode=network.AUTH_WPA2_WPA3_PSK, channel=3),
                          AP("ent", "password1", authmode=network.AUTH_WPA2_ENTERPRISE, channel=4))
    got = {}
    for ssid, sec, rssi, bssid in wifi.scan():
        got[ssid] = (sec, rssi, len(bssid))
    eq(got["open"], (wifi.WIFI_OPEN, -40, 6), "open")
    eq(got["wpa3"], (wifi.WIFI_WPA3, -70, 6), "wpa3")
    eq(got["mixed"][0], wifi.WIFI_WPA2_WPA3, "wpa2/wpa3")
    eq(got["ent"][0], wifi.WIFI_WPA2, "enterprise shows as WPA2")
    assert type(wifi.scan()) is tuple


def test_rssi():
    world, wifi, _ = boot(AP("home", "password1", rssi=-61))
    raises(wifi.LinkError, wifi.rssi)
    wifi.link("home", wifi.WIFI_WPA2, "password1")
    eq(wifi.rssi(), -61, "rssi")


def test_open_network():
    world, wifi, _ = boot(AP("cafe", "", authmode=network.AUTH_OPEN))
    assert wifi.link("cafe", wifi.WIFI_OPEN).startswith("192.168.")


def test_softap():
    world, wifi, _ = boot()
    wifi.softap_init("esp-ap", wifi.WIFI_WPA2, "password1", max_conn=3)
    ap = network.WLAN(network.WLAN.IF_AP)
    eq((ap.config("ssid"), ap.config("security"), ap.config("max_clients")),
       ("esp-ap", network.AUTH_WPA2_PSK, 3), "AP config")
    wifi.softap_config(ip="192.168.5.1")
    eq(wifi.softap_get_info()[:4], ("192.168.5.1", "255.255.255.0", "192.168.5.1", "192.168.5.1"), "info")
    eq(len(wifi.softap_get_info()[4]), 6, "mac")
    wifi.softap_off()
    assert not ap.active()
    raises(ValueError, wifi.softap_init, "esp-ap", wifi.WIFI_WEP, "12345")


def test_gethostbyname():
    world, wifi, _ = boot(AP("home", "password1"))
    raises(wifi.LinkError, wifi.gethostbyname, "localhost")
    wifi.link("home", wifi.WIFI_WPA2, "password1")
    eq(wifi.gethostbyname("127.0.0.1"), "127.0.0.1", "numeric")
    eq(wifi.gethostbyname("localhost"), "127.0.0.1", "localhost")


def test_hex_keys_link():
    psk = "00112233445566778899aabbccddeeffFFEEDDCCBBAA99887766554433221100"
    world, wifi, _ = boot(AP("hexnet", psk), AP("wepnet", "0123456789", authmode=network.AUTH_WEP))
    assert wifi.link("hexnet", wifi.WIFI_WPA2, psk), "a 64-hex-digit WPA key"
    wifi.unlink()
    assert wifi.link("wepnet", wifi.WIFI_WEP, "0123456789"), "a 10-hex-digit WEP key"


def test_bad_input():
    world, wifi, _ = boot(AP("home", "password1"))
    raises(TypeError, wifi.link, b"home", wifi.WIFI_WPA2, "password1")
    raises(ValueError, wifi.link, "", wifi.WIFI_WPA2, "password1")
    raises(ValueError, wifi.link, "x" * 33, wifi.WIFI_WPA2, "password1")
    raises(ValueError, wifi.link, "home", 5, "password1")
    raises(ValueError, wifi.link, "home", wifi.WIFI_WPA2, "short")
    raises(ValueError, wifi.link, "home", wifi.WIFI_OPEN, "password1")
    # the key lengths that mean hex digits must be hex digits
    e = raises(ValueError, wifi.link, "home", wifi.WIFI_WPA2, "0123456789abcdef" * 3 + "0123456789abcdeg")
    assert "hex" in str(e) and "'g'" in str(e), str(e)
    raises(ValueError, wifi.link, "home", wifi.WIFI_WEP, "z" * 10)
    raises(ValueError, wifi.link, "home", wifi.WIFI_WEP, "0123456789ABCDEF012345678Z")
    raises(ValueError, wifi.softap_init, "esp-ap", wifi.WIFI_WPA2, "x" * 64)
    # the timeout is checked as a socket's: ms, int or float
    raises(ValueError, wifi.link, "home", wifi.WIFI_WPA2, "password1", -1)
    for bad in (None, "1000", True):
        raises(TypeError, wifi.link, "home", wifi.WIFI_WPA2, "password1", bad)
    raises(OverflowError, wifi.link, "home", wifi.WIFI_WPA2, "password1", 1 << 40)
    raises(OverflowError, wifi.link, "home", wifi.WIFI_WPA2, "password1", float("inf"))
    raises(ValueError, wifi.set_link_info, "192.168.1")
    raises(ValueError, wifi.set_link_info, "192.168.1.300")
    raises(TypeError, wifi.set_link_info, 3232235777)
    raises(ValueError, wifi.scan, 0)
    raises(TypeError, wifi.scan, "5000")
    raises(TypeError, wifi.scan, 5000.0)
    raises(ValueError, wifi.try_link, "home", "password1", wifi.WIFI_WPA2, 0)
    for bad in ("3", 3.0, True, None):  # attempts: a count
        e = raises(TypeError, wifi.try_link, "home", "password1", wifi.WIFI_WPA2, bad)
        assert "attempts" in str(e), str(e)
    raises(TypeError, wifi.softap_init, "esp-ap", wifi.WIFI_WPA2, "password1", "4")
    raises(ValueError, wifi.softap_init, "esp-ap", wifi.WIFI_WPA2, "password1", 11)
    raises(TypeError, wifi.try_link, "home", "password1", wifi.WIFI_WPA2, 2, "10")  # delay: ms
    raises(ValueError, wifi.try_link, "home", "password1", wifi.WIFI_WPA2, 2, -10)
    raises(ValueError, wifi.set_hostname, "bad name")
    raises(ValueError, wifi.set_hostname, "x" * 33)
    raises(ValueError, wifi.auto_reconnect, True, 0)
    raises(TypeError, wifi.auto_reconnect, True, 1.5)
    raises(TypeError, wifi.auto_reconnect, True, 1000, "60000")
    e = raises(ValueError, wifi.auto_reconnect, True, 1000, 999)
    assert "first" in str(e), str(e)
    # a first backoff above the maximum in force (60000 ms) is refused as well, and a
    # refused call keeps the settings it found
    e = raises(ValueError, wifi.auto_reconnect, True, 120000)
    assert "60000" in str(e) and "120000" in str(e), str(e)
    raises(ValueError, wifi.auto_reconnect, True, 5000, 4000)
    link = wifi._link
    eq((link.backoff_first, link.backoff_max, link.auto), (1000, 60000, False), "settings unchanged")
    eq(world.connect_calls, 0, "nothing reached the firmware")


def test_no_driver_registered_error_names_the_fix():
    simnet.boot()
    import netlink
    e = raises(netlink.LinkError, netlink.driver, "wifi")
    assert "init()" in str(e), str(e)


mptest.main(globals())
