# Generic ESP32-S3 module firmware: the port's default frozen modules, this library, the board name.
include("$(PORT_DIR)/boards/manifest.py")
include("../../firmware")  # relative to this file: firmware/manifest.py
module("_board.py", base_path="modules")
