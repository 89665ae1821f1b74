// ESP32_ETHERNET_KIT: the generic ESP32_GENERIC settings with this board's name.
#define MICROPY_HW_BOARD_NAME "ESP32-Ethernet-Kit"
#include "boards/ESP32_GENERIC/mpconfigboard.h"
