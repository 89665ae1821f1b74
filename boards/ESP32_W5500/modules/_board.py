# Frozen with the ESP32_W5500 firmware: drivers.boards.default() reads this name.
NAME = 'ESP32_W5500'
