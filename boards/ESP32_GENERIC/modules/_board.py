# Frozen with the ESP32_GENERIC firmware: drivers.boards.default() reads this name.
NAME = 'ESP32_GENERIC'
