# The whole library, frozen in the layout tools/build.py produces (docs/architecture.md):
# every entry of modules/ at the top level, plus the drivers package.
# Include it from a board manifest (boards/*/manifest.py) or pass it to a port build:
#   make -C ports/esp32 BOARD=ESP32_GENERIC FROZEN_MANIFEST=$(pwd)/firmware/manifest.py
# Paths are relative to this file. The version is the library's: package.json files
# carry the same one (checked by tests/host/test_manifest.py).
metadata(
    description="BSD/Zerynth sockets, Wi-Fi, Ethernet and SFML-style networking for ESP32",
    version="0.1.0",
    license="MIT",
)

# Top-level modules. socket routes each importer (of socket or usocket) to its unit's
# view: _socket_ms (the library's socket, over the firmware's built-in) or _socket_s.
module("socket.py", base_path="../modules")
module("_socket_units.py", base_path="../modules")
module("_netcore.py", base_path="../modules")
module("_socket_ms.py", base_path="../modules")
module("_socket_s.py", base_path="../modules")
module("netif.py", base_path="../modules")
module("netlink.py", base_path="../modules")
module("_dnsclient.py", base_path="../modules")

# Packages.
package("wireless", base_path="../modules")
package("ethernet", base_path="../modules")
package("sfnet", base_path="../modules")
package("simplesockets", base_path="../modules")
package("drivers", base_path="..")
