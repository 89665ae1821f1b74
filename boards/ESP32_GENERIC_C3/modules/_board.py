# Frozen with the ESP32_GENERIC_C3 firmware: drivers.boards.default() reads this name.
NAME = 'ESP32_GENERIC_C3'
