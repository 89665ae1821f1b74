# The library, frozen in the layout tools/build.py produces (docs/architecture.md):
# every entry of modules/ at the top level, plus the drivers package.
#
# Do NOT pass this file alone as FROZEN_MANIFEST: a port build freezes only the manifest
# it is given, so the port's own one (ESP32: _boot.py, which mounts and formats the
# filesystem and runs boot.py/main.py; asyncio, requests, ntptime, mip) would be dropped.
# Include it from a board-style manifest that first includes the port's:
#   boards/<BOARD>/manifest.py   (ESP32: `make firmware BOARD=...`, or FROZEN_MANIFEST=that file)
#   firmware/unix/manifest.py    (the unix port: `make firmware-unix`)
# tools/firmware.py refuses a FROZEN_MANIFEST that does not include the port's manifest.
#
# drivers/host.py (the unix port's host driver) and _port_unix.py (its address
# dialect) are frozen only with include(..., host_driver=True): an ESP32 cannot use them.
# Paths are relative to this file. The version is the library's: package.json files
# carry the same one (checked by tests/host/test_manifest.py).
options.defaults(host_driver=False)

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
module("_bytesbuf.py", base_path="../modules")
module("_linebuf.py", base_path="../modules")
module("_port_lwip.py", base_path="../modules")  # the lwIP ports' address dialect
module("_socket_ms.py", base_path="../modules")
module("_socket_s.py", base_path="../modules")
module("netif.py", base_path="../modules")
module("netlink.py", base_path="../modules")
module("_dnsclient.py", base_path="../modules")

# The one C helper (a single-read readinto1, so a reset never swallows data): built
# into any firmware that includes this manifest; without it the library falls back
# to Python (docs/socket.md, "Resets").
c_module("cmodules/netfast")

# Packages.
package("wireless", base_path="../modules")
package("ethernet", base_path="../modules")
package("sfnet", base_path="../modules")
package("simplesockets", base_path="../modules")

# The drivers package, file by file so that the host driver can stay out.
module("drivers/__init__.py", base_path="..")
module("drivers/boards.py", base_path="..")
package("drivers/wifi", base_path="..")
package("drivers/eth", base_path="..")
if options.host_driver:  # the unix port's pieces: its host driver and address dialect
    module("drivers/host.py", base_path="..")
    module("_port_unix.py", base_path="../modules")
