# ESP32 module with a W5500 SPI Ethernet module: an out-of-tree board for ports/esp32 (make firmware BOARD=ESP32_W5500).
set(SDKCONFIG_DEFAULTS
    boards/sdkconfig.base
    ${SDKCONFIG_IDF_VERSION_SPECIFIC}
    boards/sdkconfig.ble
    ${MICROPY_BOARD_DIR}/sdkconfig.board
)

# Our manifest: the port's default frozen modules plus this library.
set(MICROPY_FROZEN_MANIFEST ${MICROPY_BOARD_DIR}/manifest.py)
