// WT32_ETH01_V12: the generic ESP32_GENERIC settings with this board's name.
#define MICROPY_HW_BOARD_NAME "WT32-ETH01 v1.2"
#include "boards/ESP32_GENERIC/mpconfigboard.h"
