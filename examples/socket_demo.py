# The socket API end to end over loopback: a TCP server and client, then a UDP
# exchange. Runs unchanged on the unix port (`make run`) and on a board.
import socket


def tcp_demo():
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))  # port 0: the library picks a free port
    server.listen()
    server.settimeout(2000)  # milliseconds
    host, port = server.getsockname()
    print("TCP server listening on", (host, port))

    client = socket.socket()
    client.settimeout(2000)
    client.connect((127, 0, 0, 1, port))  # Zerynth's 5-tuple address form
    conn, addr = server.accept()
    conn.settimeout(2000)
    print("server accepted a client from", addr)

    client.sendall(b"hello over TCP")
    buf = bytearray(64)
    n = conn.recv_into(buf)  # returns as soon as data arrives, allocates nothing
    print("server received %d bytes: %r" % (n, bytes(buf[:n])))
    conn.sendall(bytes(buf[:n]).upper())
    reply = client.recv(64)
    print("client got the reply:", reply)

    client.settimeout(250)
    try:
        client.recv(64)
    except socket.timeout as e:
        print("client recv timed out after 250 ms, as asked:", e)
    for s in (client, conn, server):
        s.close()


def udp_demo():
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    a.bind("127.0.0.1")  # a bare IP string means port 0
    a.settimeout(2000)
    b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    b.settimeout(2000)
    b.sendto(b"ping", a.getsockname())
    data, sender = a.recvfrom(64)
    print("UDP: %r from %r" % (data, sender))
    a.sendto(b"pong", sender)
    buf = bytearray(16)
    n, addr = b.recvfrom_into(buf)
    print("UDP: %r back from %r" % (bytes(buf[:n]), addr))
    a.close()
    b.close()


print("socket demo on", __import__("sys").implementation.name)
print("ip_to_tuple('192.168.1.10') ->", socket.ip_to_tuple("192.168.1.10"))
print("getaddrinfo('localhost', 80) ->", socket.getaddrinfo("localhost", 80, 0, socket.SOCK_STREAM))
tcp_demo()
udp_demo()
print("done")
