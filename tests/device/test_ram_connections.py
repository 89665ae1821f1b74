# mptest: timeout=60
# Per-connection RAM: the MicroPython heap one more open connection costs, measured
# (tests/lib/ram_objects.py, the same measurement make bench reports) as gc.mem_alloc()
# deltas after gc.collect() over 16 objects, for an idle and a connected socket.socket,
# a connected sfnet.TcpSocket (also as a Packet stream), a UDP socket after its first
# wait, and one client slot of a simplesockets TCPServer (recv_buffer=512 and 2048).
# Prints "RAM <what> bytes=<per object>" (docs/reliability.md lists them). On the
# 32-bit frozen unix firmware, whose objects have an ESP32's sizes and whose waits keep
# nothing (_netfast), each must meet issue 14's budget; elsewhere (64-bit objects, a
# select.poll kept per socket, a board's own built-in socket) a budget that keeps 16
# connections well inside an ESP32's ~100 KB.
import sys
import mptest
import ram_objects

try:
    import _netfast  # noqa: F401
    WAITS_KEEP_NOTHING = True
except ImportError:
    WAITS_KEEP_NOTHING = False
ESP32_SIZED = sys.platform == "linux" and sys.maxsize < (1 << 32) and WAITS_KEEP_NOTHING

# 64-bit unix, stock binary (no _netfast), measured: socket 428, TcpSocket 556,
# Packet stream 748, UDP 684, a server client 424 + its buffer
LOOSE = {
    "socket-idle": 384,
    "socket-connected": 640,
    "tcpsocket-connected": 768,
    "packet-stream": 1024,
    "udp-after-wait": 1024,
    "tcpserver-client-%d" % ram_objects.RECV_BUFFER: ram_objects.RECV_BUFFER + 640,
    "tcpserver-client-2048": 2048 + 640,
}


def check(key, got):
    budget = ram_objects.ESP32_BUDGETS.get(key) if ESP32_SIZED else None
    budget = budget or LOOSE[key]
    print("RAM %s bytes=%d" % (key, got))
    assert got <= budget, "%s: %d bytes per object, budget %d" % (key, got, budget)


def _close(s):
    s.close()


def _disconnect(t):
    t.disconnect()


def test_socket_idle():
    check("socket-idle", ram_objects.per_object(ram_objects.idle_socket, _close))


def test_socket_connected():
    check("socket-connected", ram_objects.per_object(ram_objects.connected_socket, _close))


def test_sfnet_tcpsocket_connected():
    ip = ram_objects.peer_ip()
    check("tcpsocket-connected",
          ram_objects.per_object(lambda: ram_objects.connected_tcpsocket(ip), _disconnect))


def test_sfnet_packet_stream():
    ip = ram_objects.peer_ip()
    check("packet-stream", ram_objects.per_object(lambda: ram_objects.packet_stream(ip), _disconnect))


def test_udp_after_wait():
    check("udp-after-wait", ram_objects.per_object(ram_objects.udp_after_wait, _close))


def test_simplesockets_client_slot():
    for recv_buffer in (512, 2048):
        check("tcpserver-client-%d" % recv_buffer, ram_objects.server_client(recv_buffer))


mptest.main(globals())
