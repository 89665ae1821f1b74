"""Port forwarders that let a real board reach the test peers (make test-hw).

The peers (tests/peers/servers.py) listen on 127.0.0.1, which a board on Wi-Fi cannot
reach. With MPTEST_HOST_IP set to the host's LAN address, tests/harness/board.py puts
one forwarder per peer on that address and gives the board a testenv that points at
the forwarders. TCP is relayed byte for byte with its endings preserved: a FIN from
one side becomes a FIN to the other (shutdown), and a reset becomes a reset (SO_LINGER
0), because the scenario peer's `rst` / `send_rst` behaviours are part of the tests.
UDP datagrams are relayed per client address, with their boundaries.
"""

import re
import select
import socket
import struct
import threading

_LINGER_RST = struct.pack("ii", 1, 0)


def _reset(sock):
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RST)
    except OSError:
        pass
    sock.close()


class TcpForwarder:
    def __init__(self, listen_ip, target):
        self.target = target
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((listen_ip, 0))
        self.sock.listen(64)
        self.address = self.sock.getsockname()
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self._stop:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
            except OSError:
                _reset(client)
                continue
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    @staticmethod
    def _pump(a, b):
        open_ = {a: b, b: a}  # reading side -> the side it writes to
        try:
            while open_:
                ready, _, _ = select.select(list(open_), [], [], 1.0)
                for src in ready:
                    dst = open_[src]
                    try:
                        data = src.recv(65536)
                    except ConnectionResetError:
                        _reset(dst)
                        src.close()
                        return
                    if data:
                        dst.sendall(data)
                    else:  # FIN: pass it on, keep the other direction
                        try:
                            dst.shutdown(socket.SHUT_WR)
                        except OSError:
                            pass
                        del open_[src]
        except OSError:
            _reset(a)
            _reset(b)
            return
        a.close()
        b.close()

    def stop(self):
        self._stop = True
        self.sock.close()


class UdpForwarder:
    def __init__(self, listen_ip, target):
        self.target = target
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((listen_ip, 0))
        self.address = self.sock.getsockname()
        self._upstream = {}  # client address -> its own socket towards the target
        self._lock = threading.Lock()
        self._stop = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self._stop:
            try:
                data, client = self.sock.recvfrom(65536)
            except OSError:
                return
            with self._lock:
                up = self._upstream.get(client)
                if up is None:
                    up = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    up.connect(self.target)
                    self._upstream[client] = up
                    threading.Thread(target=self._back, args=(up, client), daemon=True).start()
            up.send(data)

    def _back(self, up, client):
        while not self._stop:
            try:
                data = up.recv(65536)
                self.sock.sendto(data, client)
            except OSError:
                return

    def stop(self):
        self._stop = True
        self.sock.close()
        for up in self._upstream.values():
            up.close()


_ADDR = re.compile(r"^(\w+) = \('(\d+\.\d+\.\d+\.\d+)', (\d+)\)$")


def forward_testenv(source, listen_ip, udp_names=("UDP_ECHO",)):
    """(testenv source for the board, forwarders): every ('ip', port) peer re-pointed."""
    out, forwarders = [], []
    for line in source.splitlines():
        m = _ADDR.match(line)
        if m:
            name, ip, port = m.group(1), m.group(2), int(m.group(3))
            cls = UdpForwarder if name in udp_names else TcpForwarder
            fw = cls(listen_ip, (ip, port))
            forwarders.append(fw)
            line = "%s = %r" % (name, tuple(fw.address))
        elif line.startswith("HOST = "):
            line = "HOST = %r" % listen_ip
        out.append(line)
    return "\n".join(out) + "\n", forwarders
