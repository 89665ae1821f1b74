// OLIMEX_ESP32_POE: the generic ESP32_GENERIC settings with this board's name.
#define MICROPY_HW_BOARD_NAME "Olimex ESP32-POE"
#include "boards/ESP32_GENERIC/mpconfigboard.h"
