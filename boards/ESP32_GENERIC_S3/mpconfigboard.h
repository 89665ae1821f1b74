// ESP32_GENERIC_S3: the generic ESP32_GENERIC_S3 settings with this board's name.
#define MICROPY_HW_BOARD_NAME "Generic ESP32-S3 module"
#include "boards/ESP32_GENERIC_S3/mpconfigboard.h"
