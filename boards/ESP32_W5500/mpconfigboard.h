// ESP32_W5500
#define MICROPY_HW_BOARD_NAME "ESP32 module with a W5500 SPI Ethernet module"
#define MICROPY_HW_MCU_NAME "ESP32"
