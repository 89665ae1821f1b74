# The drivers compare firmware status codes by their network.* names, never by
# number: with every simulated constant renumbered, all outcomes stay the same.
# mptest: timeout=60
import mptest
from mptest import eq, raises
import simnet

network = simnet.install(renumber=True)
AP = network.AP


def boot(*aps, **kw):
    world = simnet.boot(aps=aps, **kw)
    from drivers.wifi import esp32wifi
    esp32wifi.init()
    from wireless import wifi
    return world, wifi


def test_constants_really_moved():
    assert network.STAT_GOT_IP != 1010 and network.STAT_WRONG_PASSWORD != 202
    assert network.ETH_GOT_IP != 5 and network.PHY_LAN8720 != 1


def test_outcomes_by_name():
    world, wifi = boot(AP("home", "password1"), AP("lab", "password1", dhcp=False))
    raises(wifi.WrongPassword, wifi.link, "home", wifi.WIFI_WPA2, "password2", 5000)
    raises(wifi.NoAccessPoint, wifi.link, "nowhere", wifi.WIFI_WPA2, "password1", 5000)
    raises(wifi.DhcpTimeout, wifi.link, "lab", wifi.WIFI_WPA2, "password1", 300)
    eq(wifi.link("home", wifi.WIFI_WPA2, "password1"), "192.168.16.42", "link")


def test_scan_security_by_name():
    world, wifi = boot(AP("w3", "password1", authmode=network.AUTH_WPA3_PSK))
    eq(wifi.scan()[0][1], wifi.WIFI_WPA3, "security")


def test_softap_security_by_name():
    world, wifi = boot()
    wifi.softap_init("ap", wifi.WIFI_WPA_WPA2, "password1")
    eq(network.WLAN(network.WLAN.IF_AP).config("security"), network.AUTH_WPA_WPA2_PSK, "authmode")


def test_ethernet_by_name():
    simnet.boot()
    world = simnet.boot(eth=network.EthHW(phy="LAN8720", phy_addr=1, mdc=23, mdio=18, power=16,
                                          ref_clk=0, ref_clk_mode="in"))
    from ethernet import eth
    eq(eth.link(board="WT32_ETH01"), "10.0.0.42", "link")
    world.unplug()
    assert not eth.is_linked()


mptest.main(globals())
