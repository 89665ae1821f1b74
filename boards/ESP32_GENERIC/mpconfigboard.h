// ESP32_GENERIC: the generic ESP32_GENERIC settings with this board's name.
#define MICROPY_HW_BOARD_NAME "Generic ESP32 module"
#include "boards/ESP32_GENERIC/mpconfigboard.h"
