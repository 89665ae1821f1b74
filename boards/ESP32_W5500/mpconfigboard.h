// ESP32_W5500: the generic ESP32_GENERIC settings with this board's name.
#define MICROPY_HW_BOARD_NAME "ESP32 module with a W5500 SPI Ethernet module"
#include "boards/ESP32_GENERIC/mpconfigboard.h"
