"""wireless: `from wireless import wifi` (typings/wireless/wifi.pyi)."""
