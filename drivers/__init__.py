# drivers: network-interface drivers (drivers.wifi.esp32wifi, drivers.eth.esp32eth,
# drivers.host) and the board presets (drivers.boards). A driver's init() registers
# it with netlink; wireless.wifi and ethernet.eth then use it.
