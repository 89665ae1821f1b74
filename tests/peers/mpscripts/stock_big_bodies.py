# mptest: timeout=180 heapsize=2M
# Big bodies through stock modules, unmodified, in a 2 MB heap: aiohttp's resp.read(n)
# (asyncio readexactly: non-blocking read(n) calls) and requests' r.content over HTTP
# and HTTPS, 512 KiB each. The built-in socket manages these in this heap; so must the
# library's, whose reads cost one buffer of the result. Both stock modules join the
# pieces themselves (readexactly's r += r2; this requests version joins 256-byte
# readinto() pieces), which needs about twice the body whichever socket is underneath
# once it arrives in more than one piece, and how it arrives depends on the machine's
# load: 512 KiB fits either way. (tests/device/test_socket_stream_memory.py holds the
# socket's own reads to one buffer, at 60% of a 256 KB heap.)
# Run by tests/host/test_stock_big_bodies.py: argv = http_port https_port test_name
# [builtin libdir] ("builtin": the same script with the library off the path, as the
# baseline). One test per process: each starts from a fresh heap, as the heap a test
# leaves behind (asyncio's and TLS's long-lived pieces) decides whether the next one's
# 512 KiB blocks still fit.
import sys

if len(sys.argv) > 4 and sys.argv[4] == "builtin":
    sys.path.remove(sys.argv[5])
import gc
import mptest

HTTP, HTTPS = int(sys.argv[1]), int(sys.argv[2])
SIZE = 512 * 1024


def check_body(body, size=SIZE):
    mptest.eq(len(body), size, "body length")
    mptest.eq(type(body), bytes, "body type")
    for i in range(0, size, 4099):
        if body[i] != (i * 7 + 3) & 0xFF:
            raise AssertionError("byte %d differs" % i)


def test_the_library_is_what_was_asked_for():
    import socket

    want = "builtin" if len(sys.argv) > 4 else "library"
    mptest.eq("library" if hasattr(socket, "seconds_for") else "builtin", want, "socket module")


def test_requests_http_512kib():
    import requests

    gc.collect()
    r = requests.get("http://127.0.0.1:%d/bytes/%d" % (HTTP, SIZE), timeout=30)
    mptest.eq(r.status_code, 200)
    check_body(r.content, SIZE)


def test_requests_https_512kib():
    import requests

    gc.collect()
    r = requests.get("https://127.0.0.1:%d/bytes/%d" % (HTTPS, SIZE), timeout=30)
    mptest.eq(r.status_code, 200)
    check_body(r.content, SIZE)


def test_aiohttp_read_512kib():
    import asyncio
    import aiohttp

    async def main():
        async with aiohttp.ClientSession() as session:
            async with session.get("http://127.0.0.1:%d/bytes/%d" % (HTTP, SIZE)) as resp:
                mptest.eq(resp.status, 200)
                return await resp.read(SIZE)

    gc.collect()
    check_body(asyncio.run(main()))


mptest.main({sys.argv[3]: globals()[sys.argv[3]]})
