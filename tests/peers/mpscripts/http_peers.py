# mptest: timeout=90
# sfnet.Http against tests/peers/http_handlers.py (run by tests/host/test_http_peers.py).
# argv: host port
import sys
import mptest
from time import ticks_ms, ticks_diff
from sfnet.http import Http, HttpRequest, HttpResponse

HOST = sys.argv[1]
PORT = int(sys.argv[2])


def pattern(n, start=0):
    return bytes(((i * 7 + 3) & 0xFF) for i in range(start, start + n))


def get(path, method=HttpRequest.GET, timeout=5000, **kw):
    return Http(HOST, PORT).send_request(HttpRequest(path, method), timeout, **kw)


def test_content_length():
    r = get("/len/5000")
    mptest.eq(r.status, HttpResponse.OK, "status")
    mptest.eq((r.major_http_version, r.minor_http_version), (1, 1), "version")
    mptest.eq(r.body, pattern(5000), "body")
    mptest.eq(r.get_field("content-length"), "5000")
    mptest.eq(r.get_field("CONTENT-TYPE"), "application/octet-stream")


def test_zero_length():
    r = get("/len/0")
    mptest.eq(r.status, 200)
    mptest.eq(r.body, b"")


def test_read_until_close():
    r = get("/close/3000")
    mptest.eq(r.status, 200)
    mptest.eq((r.major_http_version, r.minor_http_version), (1, 0))
    mptest.eq(r.body, pattern(3000))


def test_chunked():
    r = get("/chunked/10000")
    mptest.eq(r.status, 200)
    mptest.eq(r.body, pattern(10000), "chunked body")
    mptest.eq(r.body_size, 10000)


def test_chunked_streamed_small_buffer():
    # Chunks larger than the buffer, and a buffer smaller than some header lines.
    got = []
    h = Http(HOST, PORT, bufsize=64)
    r = h.send_request(HttpRequest("/chunked/9000"), 5000, sink=lambda mv: got.append(bytes(mv)))
    mptest.eq(r.status, 200)
    mptest.eq(r.body, b"", "body is not kept with a sink")
    assert max(len(g) for g in got) <= 64
    mptest.eq(b"".join(got), pattern(9000))


def test_statuses():
    for code in (201, 204, 304, 404, 500, 503):
        r = get("/status/%d" % code)
        mptest.eq(r.status, code, "status")
    r = get("/status/204")
    mptest.eq(r.body, b"")
    r = get("/status/404")
    mptest.eq(r.body, b"status 404")


def test_unknown_path_404():
    r = get("/nothing-here")
    mptest.eq(r.status, HttpResponse.NOT_FOUND)
    mptest.eq(r.body, b"no such path")


def test_interim_100_continue_is_skipped():
    r = get("/continue")
    mptest.eq(r.status, 200)
    mptest.eq(r.body, b"after continue")


def test_folded_header():
    r = get("/folded")
    mptest.eq(r.status, 200)
    mptest.eq(r.get_field("x-folded"), "first second")


def test_head_has_no_body():
    r = get("/head/500", HttpRequest.HEAD)
    mptest.eq(r.status, 200)
    mptest.eq(r.get_field("Content-Length"), "500")
    mptest.eq(r.body, b"")


def _request_lines(r):
    head = r.body.split(b"\r\n\r\n")[0].decode()
    lines = head.split("\r\n")
    return lines[0], dict((l.split(": ", 1)[0].lower(), l.split(": ", 1)[1]) for l in lines[1:])


def test_request_defaults_get():
    r = get("/echo")
    line, f = _request_lines(r)
    mptest.eq(line, "GET /echo HTTP/1.0")
    mptest.eq(f["host"], "%s:%d" % (HOST, PORT))
    assert f["user-agent"].startswith("sfnet"), f
    mptest.eq(f["content-length"], "0")
    assert "content-type" not in f and "connection" not in f, f


def test_request_defaults_post_http11():
    req = HttpRequest("/echo", HttpRequest.POST, b"a=1&b=2")
    req.http_version = (1, 1)
    r = Http(HOST, PORT).send_request(req, 5000)
    line, f = _request_lines(r)
    mptest.eq(line, "POST /echo HTTP/1.1")
    mptest.eq(f["content-length"], "7")
    mptest.eq(f["content-type"], "application/x-www-form-urlencoded")
    mptest.eq(f["connection"], "close")
    assert r.body.endswith(b"\r\n\r\na=1&b=2"), r.body


def test_caller_fields_win():
    req = HttpRequest("/echo", HttpRequest.POST, "{}")
    req.http_version = (1, 1)
    req.field = ("Content-Type", "application/json")
    req.field = ("Host", "example.test")
    req.field = ("user-agent", "mine/2")
    req.field = ("Connection", "keep-alive")
    r = Http(HOST, PORT).send_request(req, 5000)
    _, f = _request_lines(r)
    mptest.eq(f["content-type"], "application/json")
    mptest.eq(f["host"], "example.test")
    mptest.eq(f["user-agent"], "mine/2")
    mptest.eq(f["connection"], "keep-alive")
    mptest.eq(r.get_field("x-method"), "POST")


def test_put_and_delete():
    r = Http(HOST, PORT).send_request(HttpRequest("/echo", HttpRequest.PUT, b"new content"), 5000)
    mptest.eq(r.get_field("X-Method"), "PUT")
    assert r.body.startswith(b"PUT /echo HTTP/1.0\r\n"), r.body
    assert r.body.endswith(b"new content")
    r = Http(HOST, PORT).send_request(HttpRequest("/echo", "DELETE"), 5000)
    mptest.eq(r.get_field("X-Method"), "DELETE")


def _invalid(path):
    r = get(path)
    mptest.eq(r.status, HttpResponse.INVALID_RESPONSE, path)
    assert r.error, "INVALID_RESPONSE without an explanation for " + path
    return r


def test_malformed_responses_are_invalid():
    for path in ("/bad-status", "/bad-version", "/bad-header", "/bad-length", "/bad-chunk",
                 "/huge-header", "/garbage", "/empty", "/gzip-te"):
        _invalid(path)


def test_truncated_bodies_are_invalid_not_silent():
    r = _invalid("/short/4000")
    assert "truncated" in r.error, r.error
    r = _invalid("/short-chunked")
    assert "truncated" in r.error, r.error
    mptest.eq(r.body, b"", "no partial body")


def test_reset_mid_body():
    r = get("/rst/20000")
    assert r.status in (HttpResponse.CONNECTION_FAILED, HttpResponse.INVALID_RESPONSE), r
    mptest.eq(r.body, b"", "no partial body")


def test_timeout_covers_headers():
    t0 = ticks_ms()
    r = get("/slow-head", timeout=500)
    took = ticks_diff(ticks_ms(), t0)
    mptest.eq(r.status, HttpResponse.CONNECTION_FAILED)
    assert "timed out" in r.error, r.error
    assert took < 500 + 500, took


def test_timeout_is_one_deadline_for_the_body():
    # A byte every 100 ms never trips a per-read timeout; the total deadline must.
    t0 = ticks_ms()
    r = get("/drip", timeout=700)
    took = ticks_diff(ticks_ms(), t0)
    mptest.eq(r.status, HttpResponse.CONNECTION_FAILED)
    assert took < 700 + 500, took


def test_max_body():
    r = get("/len/1000", max_body=1000)
    mptest.eq(len(r.body), 1000)
    e = mptest.raises(ValueError, get, "/len/1001", max_body=1000)
    assert "max_body" in str(e)


def test_open_chunks_iterator():
    h = Http(HOST, PORT, bufsize=256)
    total = 0
    check = pattern(20000)
    with h.open(HttpRequest("/chunked/20000"), 5000) as r:
        mptest.eq(r.status, 200)
        for mv in r.chunks():
            assert len(mv) <= 256
            assert bytes(mv) == check[total:total + len(mv)]
            total += len(mv)
    mptest.eq(total, 20000)


def test_open_readinto():
    h = Http(HOST, PORT)
    buf = bytearray(100)
    out = b""
    with h.open(HttpRequest("/len/777"), 5000) as r:
        while True:
            n = r.readinto(buf)
            if n == 0:
                break
            out += buf[:n]
    mptest.eq(out, pattern(777))


def test_open_chunks_raise_on_truncation():
    h = Http(HOST, PORT)
    r = h.open(HttpRequest("/short/3000"), 5000)
    mptest.eq(r.status, 200)

    def drain():
        for _ in r.chunks():
            pass

    mptest.raises(ValueError, drain)
    mptest.eq(r.status, HttpResponse.INVALID_RESPONSE)


def test_sink_file_object():
    name = "http_sink_test.bin"
    with open(name, "wb") as f:
        r = Http(HOST, PORT).send_request(HttpRequest("/len/50000"), 5000, sink=f)
    mptest.eq(r.status, 200)
    mptest.eq(r.body_size, 50000)
    with open(name, "rb") as f:
        mptest.eq(f.read(), pattern(50000))
    import os

    os.remove(name)


def _open_fds():
    import os

    return len(os.listdir("/proc/self/fd"))


def test_no_socket_leak_on_failures():
    before = _open_fds()
    for path in ("/bad-status", "/short/100", "/empty", "/garbage", "/rst/1000", "/status/204", "/len/10"):
        get(path)
    get("/slow-head", timeout=100)
    Http("127.0.0.1", 1).send_request(HttpRequest(), 1000)  # refused
    mptest.eq(_open_fds(), before, "open file descriptors")


mptest.main(globals())
