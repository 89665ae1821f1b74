# mptest: hw timeout=120
# Ethernet on a real board with a cable to a DHCP network. Needs testenv.ETH_BOARD
# (a name from drivers.boards, e.g. "WT32_ETH01"); skips without it.
import mptest
from mptest import eq, raises
import time
import testenv

BOARD = getattr(testenv, "ETH_BOARD", None)


def setup_each():
    if not BOARD:
        mptest.skip("testenv.ETH_BOARD is not set for this board")


def test_link_with_preset():
    from ethernet import eth
    ip = eth.link(20000, BOARD)
    eq(eth.link_info()[0], ip, "ip")
    assert eth.is_linked()


def test_second_init_with_other_pins_is_refused():
    from drivers.eth import esp32eth
    from drivers import boards
    other = [n for n in boards.BOARDS if boards.BOARDS[n]["eth"] and
             boards.BOARDS[n]["eth"] != boards.BOARDS[BOARD]["eth"]][0]
    raises(ValueError, esp32eth.init, other)


def test_unlink_and_relink():
    import netlink
    from ethernet import eth
    eth.link(20000, BOARD)
    g = netlink.generation()
    eth.unlink()
    eq(netlink.generation(), g + 1, "generation")
    t0 = time.ticks_ms()
    assert eth.link(20000)
    assert time.ticks_diff(time.ticks_ms(), t0) < 21000


mptest.main(globals())
