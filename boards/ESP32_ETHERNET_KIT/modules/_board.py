# Frozen with the ESP32_ETHERNET_KIT firmware: drivers.boards.default() reads this name.
NAME = 'ESP32_ETHERNET_KIT'
