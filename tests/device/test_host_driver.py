# drivers.host: the unix port's own network as the "wifi"/"eth" interface, so the
# whole stack runs on the unix port with no stub in user code.
# mptest: timeout=60
import mptest
from mptest import eq, raises
import socket
import netutil


def quad(s):
    parts = s.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) < 256 for p in parts)


def test_link_reports_a_real_address_of_this_machine():
    from drivers import host
    host.init()
    from wireless import wifi
    ip = wifi.link("any SSID", wifi.WIFI_WPA2, "any password")
    assert quad(ip), ip
    assert wifi.is_linked()
    info = wifi.link_info()
    eq(info[0], ip, "link_info ip")
    for field in info[:4]:
        assert quad(field), info
    eq(len(info[4]), 6, "mac")
    # only an address this host owns can be bound
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.bind((ip, 0))
        eq(s.getsockname()[0], ip, "bound address")
    finally:
        s.close()


def test_whole_stack_without_explicit_driver():
    # no driver init(): on the unix port the UNIX board preset picks drivers.host
    from ethernet import eth
    ip = eth.link()
    assert quad(ip), ip
    s = netutil.scenario("echo")
    try:
        s.sendall(b"over the host link")
        eq(s.recv(100), b"over the host link", "echo")
    finally:
        s.close()


def test_unlink_and_generation():
    import netlink
    from drivers import host
    host.init()
    from wireless import wifi
    wifi.link("net", wifi.WIFI_WPA2, "password1")
    g = netlink.generation()
    wifi.unlink()
    assert not wifi.is_linked()
    eq(netlink.generation(), g + 1, "generation")
    eq(wifi.link_info()[0], "0.0.0.0", "no address while unlinked")
    wifi.link("net", wifi.WIFI_WPA2, "password1")
    assert wifi.is_linked()


def test_gethostbyname():
    from drivers import host
    host.init()
    from wireless import wifi
    wifi.link("net", wifi.WIFI_WPA2, "password1")
    eq(wifi.gethostbyname("localhost"), "127.0.0.1", "localhost")
    eq(wifi.gethostbyname("10.1.2.3"), "10.1.2.3", "numeric, no lookup")
    raises(ValueError, wifi.gethostbyname, "")


def test_what_the_host_cannot_do_says_so():
    from drivers import host
    host.init()
    from wireless import wifi
    wifi.link("net", wifi.WIFI_WPA2, "password1")
    raises(wifi.LinkError, wifi.rssi)
    raises(wifi.LinkError, wifi.softap_init, "ap", wifi.WIFI_WPA2, "password1")
    eq(wifi.scan(), (), "no radio, no access points")
    wifi.unlink()
    wifi.set_link_info("10.0.0.5")  # stored for the next link(), which refuses it
    raises(wifi.LinkError, wifi.link, "net", wifi.WIFI_WPA2, "password1")
    wifi.set_link_info("0.0.0.0")  # DHCP, i.e. the host's own configuration: fine
    assert wifi.link("net", wifi.WIFI_WPA2, "password1")


def test_default_board_is_unix():
    from drivers import boards
    eq(boards.default(), "UNIX", "default board on the unix port")
    eq(boards.get("UNIX")["driver"], "host", "driver")


def test_ports_without_a_preset_are_not_called_unix():
    from drivers import boards
    eq(boards.for_port("linux", ""), "UNIX")
    eq(boards.for_port("esp32", "Generic ESP32S3 module with ESP32S3"), "ESP32_GENERIC_S3")
    eq(boards.for_port("esp32", "ESP32C3 module"), "ESP32_GENERIC_C3")
    eq(boards.for_port("esp32", "Generic ESP32 module with ESP32"), "ESP32_GENERIC")
    eq(boards.for_port("rp2", "Raspberry Pi Pico W with RP2040"), None)


mptest.main(globals())
