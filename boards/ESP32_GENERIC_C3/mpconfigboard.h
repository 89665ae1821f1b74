// ESP32_GENERIC_C3: the generic ESP32-C3 settings (that header names the board).
#include "boards/ESP32_GENERIC_C3/mpconfigboard.h"
