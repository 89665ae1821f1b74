# Wi-Fi drivers: esp32wifi (network.WLAN on ESP32, S2, S3, C3, C6).
