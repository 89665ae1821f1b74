# Frozen with the OLIMEX_ESP32_POE firmware: drivers.boards.default() reads this name.
NAME = 'OLIMEX_ESP32_POE'
