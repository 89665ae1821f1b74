# simnet: a simulated ESP32 `network` (and the bit of `machine` it needs) for the
# unix port. Tests only, never shipped; nothing is importable as `network` until a
# test calls install(), so other tests never see it.
#
#   import simnet
#   network = simnet.install()        # before importing any driver
#   world = simnet.boot(aps=...)      # a fresh "power-on": firmware and library state
import sys

# library modules that hold per-boot state (the firmware singletons' mirrors)
_LIBRARY = ("netlink", "netif", "wireless", "wireless.wifi", "ethernet", "ethernet.eth",
            "drivers", "drivers.boards", "drivers.host", "drivers.wifi", "drivers.wifi.esp32wifi",
            "drivers.eth", "drivers.eth.lan", "drivers.eth.esp32eth")


def install(renumber=False):
    """Make `import network` / `import machine` give the simulation. renumber=True
    shifts every status/constant number, to prove callers compare by name."""
    from simnet import network, machine
    if renumber:
        network._renumber()
    sys.modules["network"] = network
    sys.modules["machine"] = machine
    return network


def boot(**world):
    """Power-cycle: reset the simulated firmware (world settings as keywords, see
    network.World) and forget the library modules so the next import starts fresh."""
    network = sys.modules["network"]
    for name in _LIBRARY:
        if name in sys.modules:
            del sys.modules[name]
    return network._boot(**world)
