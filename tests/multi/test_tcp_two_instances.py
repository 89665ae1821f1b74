# mptest: timeout=30
# Two instances of the library talk TCP and UDP to each other: a server (instance0, on
# the board under make test-hw) and a client (instance1, on the unix port).
import multitest
import socket

_MSG = b"0123456789" * 50


def instance0():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((multitest.IP, 0))
    s.listen(1)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((multitest.IP, 0))
    multitest.globals(ADDR=s.getsockname(), UDP=u.getsockname())
    s.settimeout(10000)
    conn, peer = s.accept()
    assert peer[0] == multitest.get("CLIENT_IP"), peer
    conn.settimeout(10000)
    buf = bytearray(len(_MSG))
    view = memoryview(buf)
    got = 0
    while got < len(buf):
        n = conn.recv_into(view[got:])
        assert n, "peer closed early"
        got += n
    conn.sendall(buf)
    u.settimeout(10000)
    data, addr = u.recvfrom(64)
    u.sendto(data.upper(), addr)
    multitest.wait("done")
    conn.close()
    s.close()
    u.close()


def instance1():
    multitest.globals(CLIENT_IP=multitest.IP)
    addr = multitest.get("ADDR")
    c = socket.create_connection(addr, 10000)
    c.sendall(_MSG)
    got = b""
    while len(got) < len(_MSG):
        chunk = c.recv(512)
        assert chunk, "server closed early"
        got += chunk
    assert got == _MSG, "echo differs"
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(10000)
    u.sendto(b"ping", multitest.get("UDP"))
    data, _ = u.recvfrom(64)
    assert data == b"PING", data
    multitest.broadcast("done")
    c.close()
    u.close()


multitest.main(globals())
