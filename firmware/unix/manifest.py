# Unix-port firmware for CI (make firmware-unix): the port's own frozen modules, then the
# library with the unix host driver. A board-style manifest: it includes the port's
# standard manifest, so asyncio, ssl, requests and mip stay in, as they do on a board.
include("$(PORT_DIR)/variants/standard/manifest.py")
include("..", host_driver=True)  # firmware/manifest.py, plus drivers/host.py
