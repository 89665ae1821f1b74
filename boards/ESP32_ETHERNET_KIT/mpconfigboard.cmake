# ESP32-Ethernet-Kit: an out-of-tree board for ports/esp32 (make firmware BOARD=ESP32_ETHERNET_KIT).
# The port's ESP32_GENERIC settings (chip, sdkconfig, flash layout) of the checkout being
# built, then this board's ESP-IDF options and our frozen manifest.
include(boards/ESP32_GENERIC/mpconfigboard.cmake)
list(APPEND SDKCONFIG_DEFAULTS ${MICROPY_BOARD_DIR}/sdkconfig.board)
set(MICROPY_FROZEN_MANIFEST ${MICROPY_BOARD_DIR}/manifest.py)
