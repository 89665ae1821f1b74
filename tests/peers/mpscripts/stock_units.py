# mptest: timeout=120
# Stock micropython-lib modules, unmodified, over the library's socket: they keep their
# seconds while user code in the same process keeps milliseconds (run by
# tests/host/test_stock_units.py, which starts the peers).
# argv: http_slow http_stall mqtt_delayed mqtt_direct http_plain ws_echo control
import ntptime  # the very first `import socket` of this process is a stock module's
import sys
import mptest
from time import ticks_ms, ticks_diff

HTTP_SLOW, HTTP_STALL, MQTT_DELAYED, MQTT, HTTP, WS, CONTROL = [int(a) for a in sys.argv[1:8]]
LOCAL = "127.0.0.1"


def elapsed(t0):
    return ticks_diff(ticks_ms(), t0)


def check(ok, what):
    if not ok:
        raise AssertionError(what)


def between(ms, lo, hi, what):
    check(lo <= ms <= hi, "%s took %d ms, expected %d-%d ms" % (what, ms, lo, hi))


def test_first_importer_was_a_stock_module():
    # ntptime imported socket before any rule existed; its first use gives it seconds.
    ntptime.socket.getaddrinfo  # first use
    mptest.eq(ntptime.socket.__name__, "_socket_s")
    import socket

    mptest.eq(socket.__name__, "_socket_ms")
    mptest.eq(socket.unit_for("ntptime"), "s")
    mptest.eq(socket.unit_for("umqtt.robust"), "s")
    mptest.eq(socket.unit_for("__main__"), "ms")


def test_ntptime_waits_seconds_for_a_200ms_responder():
    ntptime.host = LOCAL
    t0 = ticks_ms()
    t = ntptime.time()
    between(elapsed(t0), 150, 5000, "ntptime.time()")
    check(t > 0, "NTP time %r" % t)


def test_ntptime_silent_responder_raises_after_about_one_second():
    ntptime.host = "127.0.0.2"  # bound by the host test, never answers
    t0 = ticks_ms()
    try:
        ntptime.time()
    except OSError as e:
        import errno

        mptest.eq(e.errno, errno.ETIMEDOUT)
        between(elapsed(t0), 950, 4000, "silent NTP")
        return
    raise AssertionError("a silent NTP server did not time out")


def test_requests_timeout_2_waits_for_a_500ms_server():
    import requests

    t0 = ticks_ms()
    r = requests.get("http://%s:%d/slow" % (LOCAL, HTTP_SLOW), timeout=2)
    mptest.eq(r.status_code, 200)
    mptest.eq(r.content, b"slow but fine")
    between(elapsed(t0), 450, 5000, "requests.get")


def test_requests_timeout_2_ends_a_stalled_server_at_about_2s():
    import requests

    t0 = ticks_ms()
    try:
        requests.get("http://%s:%d/stall" % (LOCAL, HTTP_STALL), timeout=2)
    except OSError as e:
        import errno

        mptest.eq(e.errno, errno.ETIMEDOUT)
        between(elapsed(t0), 1900, 6000, "stalled requests.get")
        return
    raise AssertionError("a stalled server did not time out")


def _mqtt_messages(client):
    got = []
    client.set_callback(lambda topic, msg: got.append((topic, msg)))
    return got


def test_umqtt_simple_connect_timeout_5_through_a_300ms_peer():
    from umqtt.simple import MQTTClient

    c = MQTTClient(b"units-simple", LOCAL, port=MQTT_DELAYED, keepalive=30)
    t0 = ticks_ms()
    c.connect(timeout=5)  # the CONNACK comes 300 ms late: 5 s, not 5 ms
    between(elapsed(t0), 250, 5000, "connect")
    mptest.eq(c.sock.gettimeout(), 5.0)  # a socket keeps the unit of the view that made it
    got = _mqtt_messages(c)
    c.subscribe(b"units/simple", qos=1)
    c.publish(b"units/simple", b"qos0")
    c.wait_msg()
    c.publish(b"units/simple", b"qos1", qos=1)
    t0 = ticks_ms()
    while len(got) < 2 and elapsed(t0) < 5000:
        c.check_msg()
    mptest.eq(got, [(b"units/simple", b"qos0"), (b"units/simple", b"qos1")])
    c.ping()
    c.wait_msg()  # PINGRESP
    c.disconnect()


def _control(cmd):
    import socket

    s = socket.create_connection((LOCAL, CONTROL), 10000)  # user code: milliseconds
    try:
        s.sendall(cmd + b"\n")
        mptest.eq(s.readline(), b"ok\n")
    finally:
        s.close()


def test_umqtt_robust_reconnects_after_the_broker_restarts():
    from time import sleep_ms
    from umqtt.robust import MQTTClient

    class Counting(MQTTClient):  # counts reconnects; the library itself is unmodified
        reconnects = 0

        def reconnect(self):
            self.reconnects += 1
            return super().reconnect()

    c = Counting(b"units-robust", LOCAL, port=MQTT, keepalive=30)
    c.DELAY = 0.2
    c.connect(timeout=5)
    got = _mqtt_messages(c)
    c.subscribe(b"units/robust")
    c.publish(b"units/robust", b"before")
    c.wait_msg()
    _control(b"restart")  # the host restarts mosquitto on the same port
    for i in range(100):  # the first write after the restart may still be accepted
        c.publish(b"units/other", b"probe")
        if c.reconnects:
            break
        sleep_ms(50)
    check(c.reconnects >= 1, "robust never reconnected")
    c.subscribe(b"units/robust")
    c.publish(b"units/robust", b"again")
    c.wait_msg()
    mptest.eq(got, [(b"units/robust", b"before"), (b"units/robust", b"again")])
    c.disconnect()


def test_aiohttp_get_and_websocket():
    import asyncio
    import aiohttp

    async def main():
        async with aiohttp.ClientSession() as session:
            async with session.get("http://%s:%d/" % (LOCAL, HTTP)) as resp:
                mptest.eq(resp.status, 200)
                mptest.eq(await resp.text(), "aiohttp says hi " * 64)
            async with session.ws_connect("ws://%s:%d/echo" % (LOCAL, WS)) as ws:
                got = []
                for text in ("hello", "x" * 300):
                    await ws.send_str(text)
                    got.append(await ws.receive_str())
                await ws.close()
        return got

    mptest.eq(asyncio.run(main()), ["hello", "x" * 300])


def test_user_code_in_the_same_process_keeps_milliseconds():
    import socket

    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.bind((LOCAL, 0))
        s.settimeout(300)  # 300 ms
        mptest.eq(s.gettimeout(), 300)
        t0 = ticks_ms()
        try:
            s.recv(10)
        except socket.timeout:
            between(elapsed(t0), 280, 3000, "a 300 ms user timeout")
        else:
            raise AssertionError("nothing was sent, yet recv returned")
    finally:
        s.close()
    s = socket.socket()
    s.settimeout(1500)
    mptest.eq(s.gettimeout(), 1500)
    s.close()


mptest.main(globals())
