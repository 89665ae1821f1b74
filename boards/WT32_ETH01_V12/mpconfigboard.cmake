# WT32-ETH01 v1.2: an out-of-tree board for ports/esp32 (make firmware BOARD=WT32_ETH01_V12).
# The port's ESP32_GENERIC settings (chip, sdkconfig, flash layout) of the checkout being
# built, then this board's ESP-IDF options and our frozen manifest.
include(boards/ESP32_GENERIC/mpconfigboard.cmake)
list(APPEND SDKCONFIG_DEFAULTS ${MICROPY_BOARD_DIR}/sdkconfig.board)
set(MICROPY_FROZEN_MANIFEST ${MICROPY_BOARD_DIR}/manifest.py)
