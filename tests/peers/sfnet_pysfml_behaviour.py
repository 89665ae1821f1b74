# One script of TcpSocket, UdpSocket, TcpListener and SocketSelector calls, run under pySFML
# (/usr/bin/python3, Debian's python3-sfml) and under MicroPython with sfnet; each
# line is "name<TAB>result" (the value, or the exception's class), and
# tests/host/test_sfnet_pysfml.py compares the two. argv: echo_port closer_port (the
# CPython peers of tests/peers/tcp_echo_closer.py). Listeners and UDP sockets bind the
# wildcard address (pySFML 2.2 takes no address), so the host test runs everything in
# a private network namespace.
import sys
import time

if sys.implementation.name == "micropython":
    import sfnet as sf

    secs = sf.seconds
else:
    import sfml.network as sf
    from sfml.system import seconds as secs

ECHO, CLOSER = int(sys.argv[1]), int(sys.argv[2])
L = sf.IpAddress.LOCAL_HOST


def case(name, fn):
    try:
        r = repr(fn())
    except Exception as e:
        r = type(e).__name__
    print("%s\t%s" % (name, r))


t = sf.TcpSocket()
case("tcp.fresh", lambda: (t.blocking, t.local_port, t.remote_port, str(t.remote_address)))
case("tcp.connect", lambda: t.connect(L, ECHO, secs(2)))
first = t.local_port
case("tcp.connect_again", lambda: t.connect(L, ECHO, secs(2)))  # SFML: a new connection
case("tcp.a_new_connection", lambda: t.local_port != first)
case("tcp.remote", lambda: (str(t.remote_address), t.remote_port == ECHO))
case("tcp.echo", lambda: (t.send(b"hi"), t.receive(2))[1])
case("tcp.disconnect", t.disconnect)
case("tcp.disconnect_again", t.disconnect)
case("tcp.after_disconnect", lambda: (t.local_port, t.remote_port, str(t.remote_address)))
case("tcp.send_after_disconnect", lambda: t.send(b"x"))
case("tcp.receive_after_disconnect", lambda: t.receive(1))
c = sf.TcpSocket()
case("tcp.connect_closer", lambda: c.connect(L, CLOSER, secs(2)))
time.sleep(0.2)
case("tcp.receive_peer_closed", lambda: c.receive(10))
case("tcp.receive_peer_closed_again", lambda: c.receive(10))


def _send_until_it_fails(sock):
    # the first send goes out and the peer answers with a reset; how soon depends on the
    # machine's load, so keep sending (for up to 2 s) until a send raises
    for _ in range(100):
        sock.send(b"x")
        time.sleep(0.02)
    return "never failed"


case("tcp.send_peer_closed", lambda: _send_until_it_fails(c))
c.disconnect()
n = sf.TcpSocket()
case("tcp.connect_echo_nb", lambda: n.connect(L, ECHO, secs(2)))
n.blocking = False
case("tcp.nb_receive_nothing", lambda: n.receive(10))


def _receive_when_ready(sock):
    for _ in range(200):  # up to 2 s: the echo peer's thread may be slow on a loaded machine
        try:
            return sock.receive(10)
        except sf.SocketNotReady:
            time.sleep(0.01)
    return "nothing in 2 s"


case("tcp.nb_echo", lambda: (n.send(b"nb"), _receive_when_ready(n))[1])
n.disconnect()

u = sf.UdpSocket()
case("udp.fresh", lambda: (u.blocking, u.local_port))
case("udp.bind", lambda: u.bind(0))
case("udp.bound", lambda: u.local_port > 0)
v = sf.UdpSocket()
case("udp.bind_busy", lambda: v.bind(u.local_port))
case("udp.rebind", lambda: u.bind(0))
case("udp.loop", lambda: (v.bind(0), v.send(b"dg", L, u.local_port), u.receive(10)[0]))
u.blocking = False
case("udp.nb_nothing", lambda: u.receive(10))
case("udp.send_port_0", lambda: u.send(b"x", L, 0))
case("udp.send_empty", lambda: u.send(b"", L, v.local_port))
case("udp.unbind", u.unbind)
case("udp.unbound_port", lambda: u.local_port)
v.unbind()

lst = sf.TcpListener()
case("lst.fresh", lambda: (lst.blocking, lst.local_port))
case("lst.listen", lambda: lst.listen(0))
case("lst.listening", lambda: lst.local_port > 0)
case("lst.listen_again", lambda: lst.listen(0))
case("lst.accept_one", lambda: (lambda s: (s.connect(L, lst.local_port, secs(2)),
                                           lst.accept().remote_port == s.local_port))(sf.TcpSocket())[1])
lst.blocking = False
case("lst.nb_accept_nothing", lst.accept)
case("lst.close", lst.close)
case("lst.close_again", lst.close)
case("lst.closed_port", lambda: lst.local_port)
sel = sf.SocketSelector()
srv = sf.TcpListener()
srv.listen(0)
case("sel.wait_empty", lambda: sel.wait(secs(0.05)))
case("sel.add", lambda: sel.add(srv))
case("sel.wait_idle", lambda: sel.wait(secs(0.05)))
case("sel.listener_not_ready", lambda: sel.is_ready(srv))
k = sf.TcpSocket()
k.connect(L, srv.local_port, secs(2))
case("sel.wait_pending_accept", lambda: sel.wait(secs(2)))
case("sel.listener_ready", lambda: sel.is_ready(srv))
acc = srv.accept()
case("sel.add_accepted", lambda: sel.add(acc))
case("sel.accepted_idle", lambda: (sel.wait(secs(0.05)), sel.is_ready(acc)))
k.send(b"sel")
case("sel.accepted_ready", lambda: (sel.wait(secs(2)), sel.is_ready(acc), acc.receive(10)))
case("sel.remove", lambda: (sel.remove(acc), sel.is_ready(acc)))
k.disconnect()
case("sel.peer_closed_wakes", lambda: (sel.add(acc), sel.wait(secs(2)), sel.is_ready(acc)))
case("sel.clear", lambda: (sel.clear(), sel.wait(secs(0.05))))
acc.disconnect()
srv.close()
print("done\tNone")
