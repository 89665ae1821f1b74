# eth: Zerynth's Ethernet API over whichever driver registered itself as "eth"
# (drivers.eth.esp32eth on ESP32, drivers.host on the unix port). Times in ms.
#
#   from ethernet import eth
#   eth.link(board="WT32_ETH01")      # or esp32eth.init(...) first, then eth.link()
import netlink
import netif
from netlink import (UP, LinkError, LinkTimeout, DhcpTimeout, NoCable, PhyInitFailed,
                     on_change, remove, set_hostname)

DEFAULT_TIMEOUT = 15000

_link = netif.Link("eth")


def link(timeout=DEFAULT_TIMEOUT, board=None):
    """Start Ethernet and wait for an address; return the IP address, or raise
    PhyInitFailed / NoCable / DhcpTimeout / LinkTimeout within timeout + 1 s.

    board: a name from drivers.boards (e.g. "WT32_ETH01") when no driver was
    initialised yet; default: this firmware's board. After a successful link a
    cable pulled and plugged back recovers by itself (ESP-IDF restarts DHCP); a
    failed link() stops the interface."""
    timeout = netif.check_timeout(timeout)
    netif.ensure_driver("eth", board)
    drv = _link.driver()
    if drv.state() == UP:
        netlink.set_up("eth")
        return drv.ifconfig()[0]

    def start(drv):
        drv.start(netlink.hostname)
        drv.set_ifconfig(_link.static)
        return None  # Ethernet has no attempt to repeat: the PHY and DHCP keep going

    return _link.bring_up(timeout, start, False)


# The calls both interfaces share are the link's own (netif.Link).
unlink, is_linked, link_info, set_link_info, gethostbyname = (
    _link.unlink, _link.is_linked, _link.link_info, _link.set_link_info, _link.gethostbyname)
