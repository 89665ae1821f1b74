# simplesockets.TCPClient (MicroPython) against the PyPI simplesockets TCPServer
# running in the host test (tests/host/test_simplesockets_peer.py). argv: host port
import sys
import time
import mptest
from simplesockets import TCPClient

HOST, PORT = sys.argv[1], int(sys.argv[2])


def wait_data(cl, n, ms=3000):
    got = b""
    t0 = time.ticks_ms()
    while len(got) < n and time.ticks_diff(time.ticks_ms(), t0) < ms:
        cl.poll(50)
        got += b"".join(cl.return_recved_data())
    return got


def test_send_and_receive_threadless():
    cl = TCPClient()
    cl.setup(HOST, PORT, recv_buffer=512)
    assert cl.connect(), cl.return_exceptions()
    assert cl.send_data(b"hello pypi")
    mptest.eq(wait_data(cl, 10), b"HELLO PYPI")
    assert cl.disconnect()


def test_autorecv_thread():
    try:
        import _thread  # noqa: F401
    except ImportError:
        mptest.skip("no _thread on this port")
    got = []
    cl = TCPClient()
    cl.setup(HOST, PORT, on_receive=got.append)
    assert cl.connect()
    cl.autorecv()
    assert cl.send_data(b"threaded")
    t0 = time.ticks_ms()
    while b"".join(got) != b"THREADED" and time.ticks_diff(time.ticks_ms(), t0) < 3000:
        time.sleep_ms(10)
    mptest.eq(b"".join(got), b"THREADED")
    cl.shutdown()
    mptest.eq(cl.event.is_connected, False)


def test_larger_than_buffers():
    cl = TCPClient()
    cl.setup(HOST, PORT, recv_buffer=256)
    assert cl.connect()
    msg = b"abcdefghij" * 300
    assert cl.send_data(msg)
    mptest.eq(wait_data(cl, len(msg)), msg.upper())
    cl.shutdown()


mptest.main(globals())
