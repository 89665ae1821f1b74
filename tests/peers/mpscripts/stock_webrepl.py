# Stock webrepl.py (micropython-lib, unmodified) over the library's socket, on the
# firmware from `make firmware-unix` (the real _webrepl and websocket C modules, and
# os.dupterm). Not an mptest script: tests/host/test_stock_webrepl.py starts it with
# `micropython -i`, so that after webrepl.start_foreground() the REPL itself runs over
# the WebSocket, as on a board. argv: port, password.
import sys
import simnet

simnet.install()  # webrepl.py looks for active network.WLAN interfaces
simnet.boot()
import webrepl

print("webrepl socket:", webrepl.socket.__name__, webrepl.socket.socket._UNIT)
webrepl.start_foreground(port=int(sys.argv[1]), password=sys.argv[2])
print("webrepl: session started")
