# Stock iperf3.py (micropython-lib, unmodified) over the library's socket. Not an
# mptest script: tests/peers/iperf3_pair.py starts it next to the real iperf3.
# argv: server|client, tcp|tcp-reverse|udp|udp-reverse.
import sys
import iperf3

role, mode = sys.argv[1], sys.argv[2]
print("iperf3.py socket:", iperf3.socket.__name__, iperf3.socket.socket._UNIT)
if role == "server":
    iperf3.server_once()
else:
    iperf3.client("127.0.0.1", udp=mode.startswith("udp"), reverse=mode.endswith("reverse"))
print("iperf3.py: done")
