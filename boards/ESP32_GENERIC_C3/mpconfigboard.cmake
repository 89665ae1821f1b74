# Generic ESP32-C3 module: an out-of-tree board for ports/esp32 (make firmware BOARD=ESP32_GENERIC_C3).
set(IDF_TARGET esp32c3)

set(SDKCONFIG_DEFAULTS
    boards/sdkconfig.base
    boards/sdkconfig.ble
    boards/sdkconfig.c3usb
    ${MICROPY_BOARD_DIR}/sdkconfig.board
)

# Our manifest: the port's default frozen modules plus this library.
set(MICROPY_FROZEN_MANIFEST ${MICROPY_BOARD_DIR}/manifest.py)
