# Ethernet guarantees of ethernet.eth + drivers.eth (RMII and SPI), against the
# simulated ESP32 network module (tests/lib/simnet).
# mptest: timeout=120
import mptest
from mptest import eq, raises
import time
import simnet

network = simnet.install()
EthHW = network.EthHW


def hw_for(board, **changes):
    """The hardware that a board preset describes, as the simulation's EthHW."""
    from drivers import boards
    e = dict(boards.get(board)["eth"])
    spi = None
    if e["kind"] == "spi":
        spi = (e["spi"], e["sck"], e["mosi"], e["miso"])
    kw = dict(phy=e["phy"], phy_addr=e["phy_addr"], mdc=e.get("mdc"), mdio=e.get("mdio"),
              power=e.get("power"), ref_clk=e.get("ref_clk"), ref_clk_mode=e.get("ref_clk_mode"),
              spi=spi, cs=e.get("cs"), int=e.get("int"))
    kw.update(changes)
    return EthHW(**kw)


def boot(hw, **kw):
    world = simnet.boot(eth=hw, **kw)
    from ethernet import eth
    import netlink
    return world, eth, netlink


def ms_since(t0):
    return time.ticks_diff(time.ticks_ms(), t0)


def wt32():
    simnet.boot()  # hw_for needs drivers.boards; a first boot gives a clean import
    return hw_for("WT32_ETH01")


def test_link_with_board_preset():
    world, eth, _ = boot(wt32())
    eq(eth.link(board="WT32_ETH01"), "10.0.0.42", "DHCP address")
    assert eth.is_linked()
    info = eth.link_info()
    eq(info[:4], ("10.0.0.42", "255.255.255.0", "10.0.0.1", "10.0.0.1"), "ifconfig")
    eq(len(info[4]), 6, "mac")


def test_every_ethernet_preset_drives_its_hardware():
    simnet.boot()
    from drivers import boards
    names = [n for n in sorted(boards.BOARDS) if boards.BOARDS[n]["eth"]]
    assert "ESP32_W5500" in names and "OLIMEX_ESP32_POE" in names, names
    for name in names:
        world, eth, _ = boot(hw_for(name))
        eq(eth.link(board=name), "10.0.0.42", name)


def test_explicit_rmii_pins():
    simnet.boot()
    world, eth, _ = boot(EthHW(phy="RTL8201", phy_addr=3, mdc=16, mdio=17, power=None,
                               ref_clk=0, ref_clk_mode="in"))
    from drivers.eth import esp32eth
    esp32eth.init(phy="RTL8201", phy_addr=3, mdc=16, mdio=17, ref_clk=0, ref_clk_mode="in")
    eq(eth.link(), "10.0.0.42", "link")


def test_explicit_w5500_pins():
    world, eth, _ = boot(EthHW(phy="W5500", phy_addr=0, mdc=None, mdio=None, spi=(1, 14, 13, 12),
                               cs=15, int=36))
    from drivers.eth import esp32eth
    esp32eth.init(phy="W5500", spi=1, sck=14, mosi=13, miso=12, cs=15, int_pin=36)
    eq(eth.link(), "10.0.0.42", "link")


def test_separate_reset_pin():
    simnet.boot()
    world, eth, _ = boot(hw_for("OLIMEX_ESP32_POE", reset=33))
    from drivers.eth import esp32eth
    raises(eth.PhyInitFailed, esp32eth.init, "OLIMEX_ESP32_POE")  # held in reset
    world, eth, _ = boot(hw_for("OLIMEX_ESP32_POE", reset=33))
    from drivers.eth import esp32eth
    esp32eth.init("OLIMEX_ESP32_POE", reset=33)
    eq(eth.link(), "10.0.0.42", "link")


def test_board_preset_with_override():
    # a WT32-ETH01 v1.4 whose clock-enable line was rewired to GPIO2
    simnet.boot()
    world, eth, _ = boot(hw_for("WT32_ETH01", power=2))
    from drivers.eth import esp32eth
    esp32eth.init("WT32_ETH01", power=2)
    eq(eth.link(), "10.0.0.42", "link")


def test_phy_init_failure_and_the_leak():
    hw = wt32()  # a v1.4 board: the oscillator needs its enable pin
    world, eth, _ = boot(hw)
    t0 = time.ticks_ms()
    e = raises(eth.PhyInitFailed, eth.link, 2000, "WT32_ETH01_V12")
    assert isinstance(e, eth.LinkError)
    assert "machine.reset()" in str(e) and "phy_addr=1" in str(e), str(e)
    assert ms_since(t0) < 1000
    # the firmware leaked the failed init: the right settings fail too until a reset
    raises(eth.PhyInitFailed, eth.link, 2000, "WT32_ETH01")
    world, eth, _ = boot(hw)
    eq(eth.link(board="WT32_ETH01"), "10.0.0.42", "after the reset")


def test_wrong_phy_address():
    world, eth, _ = boot(wt32())
    from drivers.eth import esp32eth
    raises(eth.PhyInitFailed, esp32eth.init, "WT32_ETH01", phy_addr=0)


def test_no_cable():
    hw = wt32()
    hw.cable = False
    world, eth, _ = boot(hw)
    t0 = time.ticks_ms()
    e = raises(eth.NoCable, eth.link, 300, "WT32_ETH01")
    assert ms_since(t0) < 300 + 1000
    assert "ETH_STARTED" in str(e), str(e)
    world.plug()
    eq(eth.link(2000), "10.0.0.42", "after plugging the cable")


def test_no_dhcp():
    hw = wt32()
    hw.dhcp = False
    world, eth, _ = boot(hw)
    t0 = time.ticks_ms()
    raises(eth.DhcpTimeout, eth.link, 300, "WT32_ETH01")
    assert ms_since(t0) < 300 + 1000


def test_slow_link_is_a_timeout_bound():
    world, eth, _ = boot(wt32(), link_ms=3000)
    t0 = time.ticks_ms()
    raises(eth.NoCable, eth.link, 200, "WT32_ETH01")  # still negotiating: no link yet
    assert ms_since(t0) < 200 + 1000


def test_raw_lan_is_a_singleton():
    # the firmware fault: a second network.LAN() silently returns the first one
    world, eth, _ = boot(wt32())
    from machine import Pin
    a = network.LAN(mdc=Pin(23), mdio=Pin(18), power=Pin(16), phy_addr=1,
                    phy_type=network.PHY_LAN8720, ref_clk=Pin(0), ref_clk_mode=Pin.IN)
    b = network.LAN(mdc=Pin(1), mdio=Pin(2), phy_addr=7, phy_type=network.PHY_IP101)
    assert a is b


def test_second_init_with_other_pins_is_refused():
    world, eth, _ = boot(wt32())
    from drivers.eth import esp32eth
    d1 = esp32eth.init("WT32_ETH01")
    eq(esp32eth.init("WT32_ETH01").nic, d1.nic, "same settings: same interface")
    e = raises(ValueError, esp32eth.init, "OLIMEX_ESP32_POE")
    assert "already initialised" in str(e) and "machine.reset()" in str(e), str(e)
    eq(eth.link(), "10.0.0.42", "the first interface still works")


def test_unplug_bumps_generation_and_recovers():
    world, eth, netlink = boot(wt32())
    seen = []
    netlink.on_change(lambda iface, up, gen: seen.append((iface, up)))
    eth.link(board="WT32_ETH01")
    g = netlink.generation()
    world.unplug()
    eq(netlink.generation(), g + 1, "generation after unplug")
    assert not eth.is_linked()
    world.plug()
    t0 = time.ticks_ms()
    while not eth.is_linked() and ms_since(t0) < 2000:
        time.sleep_ms(10)
    assert eth.is_linked(), "ESP-IDF brings the link back by itself"
    eq(seen, [("eth", True), ("eth", False), ("eth", True)], "callbacks")


def test_static_ip():
    world, eth, _ = boot(wt32())
    eth.set_link_info("10.0.0.9", "255.255.255.0", "10.0.0.1", "10.0.0.1")
    eq(eth.link(board="WT32_ETH01"), "10.0.0.9", "static")
    eq(world.leases, [], "no DHCP")
    eth.unlink()
    eth.set_link_info("0.0.0.0")
    eq(eth.link(), "10.0.0.42", "DHCP again")


def test_hostname_applied_before_start():
    world, eth, _ = boot(wt32())
    eth.set_hostname("plc-3")
    eth.link(board="WT32_ETH01")
    eq(world.leases[-1], ("eth", "plc-3"), "DHCP hostname")


def test_unlink():
    world, eth, netlink = boot(wt32())
    eth.link(board="WT32_ETH01")
    eth.unlink()
    assert not eth.is_linked()
    eq(network.LAN().status(), network.ETH_STOPPED, "interface stopped")


def test_bad_input():
    world, eth, _ = boot(wt32())
    from drivers.eth import esp32eth
    from drivers import boards
    raises(ValueError, boards.get, "NO_SUCH_BOARD")
    raises(ValueError, esp32eth.init, "ESP32_GENERIC")              # no Ethernet on it
    raises(ValueError, esp32eth.init, "ESP32_GENERIC_S3", phy="LAN8720", mdc=23, mdio=18)
    raises(ValueError, esp32eth.init, phy="LAN9999", mdc=23, mdio=18)
    raises(ValueError, esp32eth.init, phy="LAN8720", mdc=23)        # no mdio
    raises(ValueError, esp32eth.init, phy="LAN8720", mdc=23, mdio=18, phy_addr=32)
    raises(ValueError, esp32eth.init, phy="LAN8720", mdc=23, mdio=18, ref_clk_mode="fast")
    raises(ValueError, esp32eth.init, phy="W5500", spi=2, sck=18, mosi=23, miso=19, cs=5)  # no INT
    raises(ValueError, esp32eth.init, phy="W5500", spi=3, sck=18, mosi=23, miso=19, cs=5, int_pin=4)
    e = raises(TypeError, esp32eth.init, phy="LAN8720", mdc="23", mdio=18)  # a str pin
    assert "mdc" in str(e), str(e)
    raises(ValueError, esp32eth.init, phy="LAN8720", mdc=49, mdio=18)
    raises(TypeError, esp32eth.init, phy="LAN8720", mdc=23, mdio=18, phy_addr="0")
    raises(TypeError, esp32eth.init, "WT32_ETH01", colour="blue")
    raises(ValueError, eth.link, -5)
    raises(TypeError, eth.link, None)     # ms, int or float, as a socket's timeout
    raises(TypeError, eth.link, "5000")
    raises(OverflowError, eth.link, 1 << 40)
    eq(world.lan_calls, 0, "nothing reached the firmware")


mptest.main(globals())
