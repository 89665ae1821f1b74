"""The pySFML interop peer, run with /usr/bin/python3 (Debian's python3-sfml).

    pysfml_peer.py serve        pySFML servers for sfnet clients, plus pySFML clients on command
    pysfml_peer.py ipaddress    read a JSON list of strings on stdin, print pySFML's parse of each

`serve` prints one line, `READY <control> <tcp_echo> <udp_echo> <selector>`, then runs
one event loop on a pySFML SocketSelector (pySFML's blocking calls hold the GIL, so no
threads):

    tcp_echo  a TcpListener; each accepted TcpSocket echoes what it receives
    udp_echo  a UdpSocket; each datagram goes back to its sender as "udp:" + data
    selector  a TcpListener; each client's message comes back as "ack:" + message
    control   a TcpListener; each line on a control connection is a command, run
              inline with pySFML clients against the sfnet servers of the script:
                tcp_client PORT N     connect, send N pattern bytes, read them back
                udp_client PORT       send b"hello sfnet" from a pySFML UdpSocket, await the reply
                clients PORT N        N TcpSockets connect, each sends "client i", reads a reply
                errors CLOSED BUSY    which exception pySFML raises in each failure case
              The reply line is "ok <detail>" or "error <what>".

The peer binds to the wildcard address (pySFML 2.2's listen/bind take no address), so
the host test runs it inside a private network namespace.
"""

import json
import sys

import sfml.network as sf
from sfml.system import seconds


def pattern(n):
    return bytes(((i * 7 + 3) & 0xFF) for i in range(n))


def recv_exact(sock, n):
    out = b""
    while len(out) < n:
        out += sock.receive(min(65536, n - len(out)))
    return out


def tcp_client(port, n):
    s = sf.TcpSocket()
    s.connect(sf.IpAddress.LOCAL_HOST, port, seconds(5))
    data = pattern(n)
    s.send(data)
    back = recv_exact(s, n)
    s.disconnect()
    if back != data:
        return "error echo mismatch (%d bytes back)" % len(back)
    return "ok %d" % n


def udp_client(port):
    u = sf.UdpSocket()
    u.bind(sf.Socket.ANY_PORT)
    u.send(b"hello sfnet", sf.IpAddress.LOCAL_HOST, port)
    data, ip, sport = u.receive(1024)
    u.unbind()
    return "ok %s %s %d" % (data.decode(), ip.string.decode(), sport)


def clients(port, n):
    socks = []
    for i in range(n):
        s = sf.TcpSocket()
        s.connect(sf.IpAddress.LOCAL_HOST, port, seconds(5))
        socks.append(s)
    for i, s in enumerate(socks):
        s.send(b"client %d" % i)
    got = []
    for i, s in enumerate(socks):
        got.append(s.receive(100).decode())
    for s in socks:
        s.disconnect()
    return "ok " + "|".join(got)


def _outcome(fn):
    try:
        fn()
    except sf.SocketException as e:
        return type(e).__name__
    return "DONE"


def errors(closed_port, busy_port):
    """The exception class pySFML raises in each failure case, comma-separated (the
    sfnet side runs the same cases in the same order and compares)."""
    t = sf.TcpSocket()
    u = sf.UdpSocket()
    nb = sf.TcpSocket()
    lst = sf.TcpListener()
    echo = sf.TcpListener()
    echo.listen(sf.Socket.ANY_PORT)
    nb.connect(sf.IpAddress.LOCAL_HOST, echo.local_port)
    nb.blocking = False
    cases = [
        lambda: t.connect(sf.IpAddress.LOCAL_HOST, closed_port, seconds(2)),  # refused
        lambda: t.send(b"x"),                                                  # not connected
        lambda: t.receive(10),                                                 # not connected
        lambda: u.send(bytes(65508), sf.IpAddress.LOCAL_HOST, 9),              # oversize
        lambda: lst.accept(),                                                  # not listening
        lambda: sf.TcpListener().listen(busy_port),                            # port in use
        lambda: nb.receive(10),                                                # nothing yet
    ]
    out = [_outcome(c) for c in cases]
    nb.disconnect()
    echo.close()
    return "ok " + ",".join(out)


def run_command(line):
    words = line.split()
    try:
        if words[0] == "tcp_client":
            return tcp_client(int(words[1]), int(words[2]))
        if words[0] == "udp_client":
            return udp_client(int(words[1]))
        if words[0] == "clients":
            return clients(int(words[1]), int(words[2]))
        if words[0] == "errors":
            return errors(int(words[1]), int(words[2]))
        return "error unknown command %r" % line
    except sf.SocketException as e:
        return "error %s %s" % (type(e).__name__, e)


def serve():
    control = sf.TcpListener()
    control.listen(sf.Socket.ANY_PORT)
    echo = sf.TcpListener()
    echo.listen(sf.Socket.ANY_PORT)
    sel_listener = sf.TcpListener()
    sel_listener.listen(sf.Socket.ANY_PORT)
    udp = sf.UdpSocket()
    udp.bind(sf.Socket.ANY_PORT)
    selector = sf.SocketSelector()
    for s in (control, echo, sel_listener, udp):
        selector.add(s)
    roles = {}  # accepted TcpSocket -> "control" | "echo" | "ack"
    buffers = {}
    print("READY %d %d %d %d" % (control.local_port, echo.local_port, udp.local_port,
                                 sel_listener.local_port), flush=True)
    while True:
        if not selector.wait(seconds(1)):
            continue
        for listener, role in ((control, "control"), (echo, "echo"), (sel_listener, "ack")):
            if selector.is_ready(listener):
                client = listener.accept()
                roles[client] = role
                buffers[client] = b""
                selector.add(client)
        if selector.is_ready(udp):
            data, ip, port = udp.receive(65507)
            udp.send(b"udp:" + data, ip, port)
        for client, role in list(roles.items()):
            if not selector.is_ready(client):
                continue
            try:
                data = client.receive(65536)
            except sf.SocketException:
                selector.remove(client)
                client.disconnect()
                del roles[client]
                continue
            if role == "echo":
                client.send(data)
            elif role == "ack":
                client.send(b"ack:" + data)
            else:
                buffers[client] += data
                while b"\n" in buffers[client]:
                    line, _, rest = buffers[client].partition(b"\n")
                    buffers[client] = rest
                    client.send(run_command(line.decode()).encode() + b"\n")


def ipaddress():
    out = []
    for s in json.load(sys.stdin):
        ip = sf.IpAddress.from_string(s)
        out.append([ip != sf.IpAddress.NONE, ip.integer])
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    {"serve": serve, "ipaddress": ipaddress}[sys.argv[1]]()
